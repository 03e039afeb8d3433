"""What the benchmarks measure with: percentiles, a latency summary, a process's CPU time, a free port, and
the database an in-process benchmark runs on.

Imported by the scripts beside it (bench/ is on their path), never by the app.
"""

import argparse
import os
import socket
import statistics
import tempfile
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile by the nearest-rank method; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": max(values) if values else float("nan"),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


def cpu_seconds(pids: list[int]) -> list[float]:
    """User + system CPU time used so far by each process (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = []
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out.append((int(fields[11]) + int(fields[12])) / ticks)
        except (OSError, IndexError, ValueError):
            out.append(float("nan"))
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loopback_only(parser: argparse.ArgumentParser, url: str) -> None:
    """Refuse a PostgreSQL server URL that is not on this machine: a benchmark writes and rolls back."""
    host = url.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        parser.error(f"loopback only: {url}")


def set_up_django(pg: str, pg_db: str | None, prefix: str) -> tempfile.TemporaryDirectory | None:
    """Point Django at the PostgreSQL database `pg_db` on `pg`, or (without one) at a fresh SQLite file in a
    temporary folder, which is returned so the caller keeps it until the end; no Redis; then set Django up."""
    folder = None
    if pg_db:
        os.environ["DATABASE_URL"] = f"{pg.rstrip('/')}/{pg_db}"
    else:
        os.environ.pop("DATABASE_URL", None)
        folder = tempfile.TemporaryDirectory(prefix=prefix)
        os.environ["SQLITE_PATH"] = str(Path(folder.name) / "bench.sqlite3")
    os.environ.pop("REDIS_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "alongside.settings",
            "LOG_LEVEL": "ERROR",
            "DJANGO_ALLOWED_HOSTS": "testserver",
        }
    )
    import django

    django.setup()
    return folder
