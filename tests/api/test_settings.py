"""Settings from the environment: safe defaults, a refusal to start without secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = secrets.token_urlsafe(50)
STRONG_JWT_KEY = secrets.token_hex(32)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "JWT_SIGNING_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(**overrides: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": STRONG_SECRET,
        "JWT_SIGNING_KEY": STRONG_JWT_KEY,
        "ALLOWED_HOSTS": "example.com",
        **overrides,
    }


@pytest.mark.slow
def test_check_deploy_reports_no_issue_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"JWT_SIGNING_KEY": ""}, "JWT_SIGNING_KEY"),
        ({"JWT_SIGNING_KEY": "secret"}, "JWT_SIGNING_KEY"),
        ({"JWT_SIGNING_KEY": "ab" * 40}, "JWT_SIGNING_KEY"),
        ({"JWT_SIGNING_KEY": STRONG_SECRET}, "JWT_SIGNING_KEY must differ"),
        ({"JWT_ACCESS_TOKEN_LIFETIME": "soon"}, "JWT_ACCESS_TOKEN_LIFETIME"),
    ],
)
def test_production_refuses_to_start_without_strong_secrets(overrides, named):
    result = manage("check", **production(**overrides))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Delivery cannot start:")
    assert named in lines[0]
    for secret in (STRONG_SECRET, STRONG_JWT_KEY):
        assert secret not in result.stderr


def test_development_uses_separate_per_checkout_keys(settings):
    assert settings.DEBUG is False  # pytest-django turns DEBUG off while testing
    assert len(settings.SECRET_KEY) >= 50
    assert len(settings.SIMPLE_JWT["SIGNING_KEY"]) >= 43
    assert settings.SIMPLE_JWT["SIGNING_KEY"] != settings.SECRET_KEY
    assert (ROOT / ".dev-secrets.json").exists()


def test_api_denies_by_default_and_trusts_no_forwarded_header(settings):
    rest = settings.REST_FRAMEWORK
    assert rest["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.IsAuthenticated"
    ]
    assert rest["NUM_PROXIES"] == 0
    assert settings.SIMPLE_JWT["ALGORITHM"] == "HS256"
    assert settings.SIMPLE_JWT["ROTATE_REFRESH_TOKENS"] is True
    assert settings.SIMPLE_JWT["BLACKLIST_AFTER_ROTATION"] is True
