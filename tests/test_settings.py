"""The settings come from the environment: checked by running manage.py as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def manage(*args, **env):
    # An operator's environment: none of the variables the test run itself sets.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"SECRET_KEY", "FORUM_LANGUAGE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_development_settings_start_without_a_secret_key():
    assert manage("check", DJANGO_DEBUG="1").returncode == 0


def test_the_deployment_checklist_reports_nothing_in_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "a-long-random-production-key-0123456789",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_unknown_forum_language_is_refused():
    result = manage("check", DJANGO_DEBUG="1", FORUM_LANGUAGE="fr")
    assert result.returncode != 0
    assert "FORUM_LANGUAGE must be one of de, en" in result.stderr
