"""Run Alongside in real server processes (daphne) against the test database, for end-to-end tests.

The test must use `transactional_db`, so that what it writes is committed and the servers can read it.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env() -> dict[str, str]:
    """The environment for a server process that shares this test run's database and channel layer."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings.get("USER") or "postgres"
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{settings['NAME']}"
    else:
        env["SQLITE_PATH"] = str(settings["NAME"])
    env["ALONGSIDE_FAST_PASSWORD_HASHER"] = "1"  # the test users' passwords are hashed that way
    env["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    return env


@contextlib.contextmanager
def running_server(port: int | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start one daphne process (with `env`, or one sharing this test run's services); yield its base URL;
    stop it afterwards."""
    port = port or free_port()
    log = open(REPO / f".server-{port}.log", "w+")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "alongside.asgi:application"],
        cwd=REPO,
        env=env if env is not None else server_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _wait_until_healthy(base: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"The server stopped at start:\n{log.read()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"The server did not become healthy:\n{log.read()}")
