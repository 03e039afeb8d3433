"""Private Redis and PostgreSQL servers for tests that break them on purpose (and for bench/soak.py).

Each runs from its own temporary directory on a free loopback port, is stopped and removed at the end, and
never touches the machine's shared servers. Tests using them skip when the binaries are not installed.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, *, up: bool, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            answered = sock.connect_ex(("127.0.0.1", port)) == 0
        if answered == up:
            return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} still {'closed' if up else 'open'} after {seconds} s")


REDIS_SERVER = shutil.which("redis-server")


class PrivateRedis:
    """redis-server on a free port, with no persistence; stop() and start() keep the port (a restart)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="alongside-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        _wait_for_port(self.port, up=False)

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def close_idle_connections(self) -> int:
        """What Redis's `timeout` does to idle clients (and a proxy or firewall to any): close them."""
        with contextlib.closing(self.client()) as admin:
            return int(admin.client_kill_filter(_type="normal", skipme=True))

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


POSTGRES_BIN = _postgres_bin()


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (trust auth, no fsync) on a free port; stop() and start() keep it."""

    def __init__(self) -> None:
        assert POSTGRES_BIN is not None
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="alongside-postgres-")
        self.data = os.path.join(self.directory, "data")
        self.log = os.path.join(self.directory, "postgres.log")
        if os.geteuid() == 0:  # initdb refuses to run as root: the cluster belongs to the postgres user
            shutil.chown(self.directory, "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        else:
            self._as = []
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(  # noqa: S603
            [*self._as, str(POSTGRES_BIN / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start")
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        """Stop at once, as a crash or a restart does: open connections are cut."""
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        _wait_for_port(self.port, up=False)

    def cleanup(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


# Fault tests run in the PostgreSQL + Redis run of .ci/run (they start their own servers all the same).
services_mode = pytest.mark.skipif(
    not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
    reason="fault injection runs in the PostgreSQL + Redis mode (with its own private servers)",
)
needs_redis_server = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")
needs_postgres_server = pytest.mark.skipif(
    POSTGRES_BIN is None, reason="PostgreSQL's initdb is not installed"
)
