"""Stop a real PostgreSQL under a running server: fast 503s with Retry-After, /healthz still answers, and
everything comes back when PostgreSQL does.

The server (daphne) runs on its own private PostgreSQL on a free port, never the machine's shared one; the
database is empty, which is enough: with PostgreSQL stopped no query gets as far as a table. Runs in the
PostgreSQL + Redis mode of .ci/run.
"""

import json
import os
import urllib.error
import urllib.request

import pytest

from tests.private_services import needs_postgres_server, private_postgres, services_mode
from tests.servers import running_server

pytestmark = [pytest.mark.redis, services_mode, needs_postgres_server]

# Generous: the answers are expected within a couple of seconds; this only stops a hung test.
CLIENT_TIMEOUT = 30
# /healthz has its own budget of about two seconds; a pool timeout (10 s before) must not hold it up.
HEALTHZ_TIMEOUT = 8


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="alongside.settings", **extra)
    return env


def get(url: str, timeout: float = CLIENT_TIMEOUT, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback test server)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def postgres():
    with private_postgres() as server:
        yield server


def test_pages_and_the_api_answer_503_while_postgresql_is_down(postgres):
    with running_server(env=server_env(postgres.url())) as base:
        assert get(f"{base}/healthz")[0] == 200
        postgres.stop()

        status, headers, body = get(f"{base}/clients/", Cookie="sessionid=" + "a" * 32)
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "can’t reach its database" in body.decode()

        status, headers, body = get(
            f"{base}/api/v1/clients/", Authorization="Token " + "a" * 64
        )  # well-formed, so it is looked up
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert json.loads(body) == {"detail": "Alongside can’t reach its database; try again in a minute."}

        status, _, body = get(f"{base}/healthz")
        assert status == 503
        assert json.loads(body)["database"] == "unavailable"

        postgres.start()
        for _attempt in range(60):  # the pool reconnects by itself; bounded by attempts
            if get(f"{base}/healthz")[0] == 200:
                break
        else:
            pytest.fail("/healthz never recovered after PostgreSQL came back")


def test_healthz_answers_without_waiting_for_the_pool(postgres):
    """Even with a pool that would wait a minute for a connection, /healthz answers within its own budget
    (well inside this client's timeout) when PostgreSQL is down."""
    with running_server(env=server_env(postgres.url(), DATABASE_POOL_TIMEOUT="120")) as base:
        assert get(f"{base}/healthz")[0] == 200
        postgres.stop()

        # The first check finds the pool's connection broken at once; the next ones would wait for the pool.
        for _ in range(3):
            status, _, body = get(f"{base}/healthz", timeout=HEALTHZ_TIMEOUT)

            assert status == 503
            assert json.loads(body) == {
                "status": "unavailable",
                "database": "unavailable",
                "channel_layer": "ok",
            }
