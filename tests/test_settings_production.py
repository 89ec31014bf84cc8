"""Production configuration: `check --deploy` passes with a complete environment, and the portal
refuses to start, naming the variable, when a required one is missing or a value is malformed.

Each case runs `manage.py check` in a fresh process, because settings are read once per process.
The process gets the real settings module (not the test settings) and an environment built here
from scratch for the variables the settings read, so nothing leaks in from the developer's shell
or from the test session (notably DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set and which
`check --deploy` rightly reports as async.E001).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables settings.py reads, besides everything starting with DJANGO_ or EMAIL_.
SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "FIELD_ENCRYPTION_KEY",
    "FIELD_HASH_KEY",
    "PARTICIPANT_RETENTION_DAYS",
    "SQLITE_PATH",
    "MEDIA_DIR",
    "LOG_LEVEL",
    "DEFAULT_FROM_EMAIL",
}


def _is_settings_variable(name: str) -> bool:
    return name in SETTINGS_VARIABLES or name.startswith(("DJANGO_", "EMAIL_"))


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """A complete, valid production environment (PostgreSQL when the suite runs on it)."""
    env = {name: value for name, value in os.environ.items() if not _is_settings_variable(name)}
    env.update(
        DJANGO_SETTINGS_MODULE="kompetence.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="kompetenceportalen.example.dk",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        FIELD_HASH_KEY=secrets.token_urlsafe(32),
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'production.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in env
    return env


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py, arguments from this file)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_manage(env, "check", "--deploy", "--fail-level", "WARNING")


def test_deploy_check_passes_with_complete_production_environment(production_env):
    result = run_deploy_check(production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY"]
)
def test_production_refuses_to_start_without_required_variable(production_env, name):
    del production_env[name]

    result = run_deploy_check(production_env)

    assert result.returncode != 0
    assert name in result.stderr


@pytest.mark.parametrize(
    "name", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY"]
)
def test_production_refuses_to_start_with_blank_required_variable(production_env, name):
    production_env[name] = "  "

    result = run_deploy_check(production_env)

    assert result.returncode != 0
    assert name in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("DATABASE_URL", "nonsense://"),
        ("REDIS_URL", "http://x"),
        ("DJANGO_SECRET_KEY", "too-short-to-be-a-secret"),
        ("DJANGO_SECRET_KEY", "django-insecure-" + "x" * 60),
        ("FIELD_HASH_KEY", "too-short"),
        ("PARTICIPANT_RETENTION_DAYS", "ten years"),
        ("EMAIL_PORT", "abc"),
        ("DJANGO_HSTS_SECONDS", "a year"),
        ("EMAIL_USE_TLS", "perhaps"),
    ],
)
def test_production_refuses_to_start_with_malformed_value(production_env, name, value):
    production_env[name] = value

    result = run_deploy_check(production_env)

    assert result.returncode != 0
    assert name in result.stderr


def test_production_refuses_to_start_with_malformed_encryption_key(production_env):
    production_env["FIELD_ENCRYPTION_KEY"] = "not-a-fernet-key"

    result = run_deploy_check(production_env)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_development_encryption_key_is_a_valid_fernet_key(production_env):
    env = {name: value for name, value in production_env.items() if not _is_settings_variable(name)}
    env["DJANGO_SETTINGS_MODULE"] = "kompetence.settings"
    code = (
        "from cryptography.fernet import Fernet; from django.conf import settings; "
        "[Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS]"
    )

    result = run_manage(env, "shell", "--no-startup", "--no-imports", "--command", code)

    assert result.returncode == 0, result.stderr


def test_deploy_check_fails_without_redis_naming_redis_url(production_env):
    # Without a broker, reports would be rendered inside web requests (kompetence.W002).
    del production_env["REDIS_URL"]

    result = run_deploy_check(production_env)

    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_deploy_check_reports_async_unsafe_mode(production_env):
    # The browser tests need DJANGO_ALLOW_ASYNC_UNSAFE; this guards that it never passes unnoticed.
    production_env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    result = run_deploy_check(production_env)

    assert result.returncode != 0
    assert "async.E001" in result.stderr
