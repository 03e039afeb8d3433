"""A bad value in the environment stops the process at start, with a message naming the variable."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SETTINGS = (REPO / "alongside" / "settings.py").read_text()
# Read from settings.py itself, so a new variable is covered the day it is added.
READS = re.findall(r'\benv(str|bool|int|list)\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS)
BOOLS = sorted({name for helper, name in READS if helper == "bool"})
INTS = sorted({name for helper, name in READS if helper == "int"})
EVERY_VARIABLE = {name for _helper, name in READS}
# Production with PostgreSQL and SMTP, so that every branch of settings.py, and every variable, is read.
EVERY_BRANCH = {
    "DJANGO_PRODUCTION": "true",
    "DJANGO_SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://alongside@127.0.0.1:5432/alongside",
}
START = "import django; django.setup()"


def start(**variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in EVERY_VARIABLE}
    env |= {"DJANGO_SETTINGS_MODULE": "alongside.settings", **variables}
    return subprocess.run(
        [sys.executable, "-c", START],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_helpers_are_found():
    assert {"DJANGO_DEBUG", "DJANGO_PRODUCTION"} <= set(BOOLS)
    assert {"DATABASE_POOL_MAX", "DJANGO_HSTS_SECONDS"} <= set(INTS)


def test_it_works():
    result = start()
    assert result.returncode == 0, result.stderr
    result = start(**EVERY_BRANCH)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "variables",
    [
        {"DJANGO_DEBUG": "true"},
        {"DJANGO_DEBUG": "0"},
        {"DJANGO_DEBUG": ""},
        {"DATABASE_URL": "postgres://alongside@127.0.0.1:5432/alongside", "DATABASE_POOL_MAX": "20"},
        {"REDIS_URL": "rediss://cache.example:6380/1"},
    ],
)
def test_good_values_start(variables):
    result = start(**variables)
    assert result.returncode == 0, result.stderr


def fails_naming(variables: dict, named: str) -> None:
    result = start(**variables)
    assert result.returncode != 0, f"{variables} started"
    assert named in result.stderr, result.stderr[-2000:]
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("name", BOOLS)
def test_a_yes_or_no_that_is_neither_is_refused(name):
    fails_naming(EVERY_BRANCH | {name: "maybe"}, name)


@pytest.mark.parametrize("name", INTS)
def test_a_number_that_is_not_one_is_refused(name):
    fails_naming(EVERY_BRANCH | {name: "lots"}, name)


@pytest.mark.parametrize(
    "variables,named",
    [
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL"),
        ({"DJANGO_PRODUCTION": "true"}, "DJANGO_SECRET_KEY"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE"),
        ({"EMAIL_BACKEND": "no.such.Backend"}, "EMAIL_BACKEND"),
        ({"ALONGSIDE_SOCKET_DB_THREADS": "0"}, "ALONGSIDE_SOCKET_DB_THREADS"),
    ],
)
def test_a_bad_value_stops_the_start_and_names_the_variable(variables, named):
    fails_naming(variables, named)
