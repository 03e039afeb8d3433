"""Production settings pass Django's deployment checklist with no warnings at all."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def run_check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALONGSIDE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
        "DJANGO_PRODUCTION": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "alongside.example.org",
    } | env_overrides
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_embedded_default_would_fail_the_checklist():
    """The check is real: without production settings it does complain."""
    env = {"DJANGO_PRODUCTION": "false"}
    result = run_check(**env)
    assert result.returncode != 0
