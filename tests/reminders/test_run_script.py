"""`make run` (scripts/run) starts daphne and one background worker, and Ctrl-C stops both."""

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from tests.servers import REPO, free_port, server_env


def _children(pid: int) -> set[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return {int(line) for line in found.stdout.split()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout
    return bool(state.strip()) and not state.strip().startswith("Z")


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_stops_the_server_and_the_worker_together():
    port = free_port()
    env = {**server_env(), "PORT": str(port)}
    script = subprocess.Popen(  # noqa: S603
        ["bash", "scripts/run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal would give it
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.3)
        children = _children(script.pid)
        commands = {
            pid: subprocess.run(["ps", "-o", "args=", "-p", str(pid)], capture_output=True, text=True).stdout
            for pid in children
        }
        assert any("daphne" in c for c in commands.values()), commands
        assert any("db_worker" in c for c in commands.values()), commands

        os.killpg(script.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        # A bound on "stops", not a timing: the worker first finishes the task in hand (on start the clock
        # enqueues the dashboard's refresh), which on a busy machine can take a while.
        script.wait(timeout=90)
        time.sleep(0.5)
        assert not [pid for pid in children if _alive(pid)]
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
