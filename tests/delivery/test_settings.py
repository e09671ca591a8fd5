"""Settings from the environment: safe defaults, a refusal to start without secrets."""

import json
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
        if key
        not in {"DEBUG", "SECRET_KEY", "JWT_SIGNING_KEY", "ALLOWED_HOSTS", "REDIS_URL"}
        and key not in {"WEB_CONCURRENCY", "PLAIN_HTTP", "JWT_INSTANT_REVOCATION"}
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
    ("overrides", "names"),
    [
        ({}, ["__Host-delivery_access", "__Secure-delivery_refresh_token"]),
        ({"PLAIN_HTTP": "1"}, ["delivery_access", "delivery_refresh_token"]),
    ],
    ids=["https", "plain http"],
)
def test_the_token_cookies_are_prefixed_when_served_over_https(overrides, names):
    shown = (
        "from django.conf import settings as s; print(s.JWT_ACCESS_COOKIE_NAME, "
        "s.JWT_REFRESH_COOKIE_NAME, s.JWT_COOKIE_SECURE)"
    )
    result = manage("shell", "-c", shown, **production(**overrides))
    assert result.returncode == 0, result.stderr
    secure = str(not overrides)
    assert result.stdout.splitlines()[-1].split() == [*names, secure]


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


def print_settings(*names: str, **env: str) -> dict:
    """The named settings as a process with ``env`` sees them."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_production_assumes_https():
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "JWT_COOKIE_SECURE")
    found = print_settings(*names, "SESSION_COOKIE_SECURE", **production())
    assert found == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "JWT_COOKIE_SECURE": True,
        "SESSION_COOKIE_SECURE": True,
    }


@pytest.mark.slow
def test_plain_http_serves_a_room_without_redirects_hsts_or_secure_cookies():
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "JWT_COOKIE_SECURE")
    found = print_settings(
        *names,
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DEBUG",
        **production(PLAIN_HTTP="1"),
    )
    assert found == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "JWT_COOKIE_SECURE": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "DEBUG": False,
    }


@pytest.mark.slow
def test_instant_revocation_without_redis_needs_a_server_of_one_process():
    refused = manage("check", **production(JWT_INSTANT_REVOCATION="1"))
    assert refused.returncode == 2
    assert "WEB_CONCURRENCY=1" in refused.stderr
    alone = manage(
        "check", **production(JWT_INSTANT_REVOCATION="1", WEB_CONCURRENCY="1")
    )
    assert alone.returncode == 0, alone.stderr


@pytest.mark.slow
def test_the_grace_period_is_ten_seconds_unless_the_environment_says_otherwise():
    code = (
        "from django.conf import settings; "
        "print(settings.JWT_REFRESH_GRACE_PERIOD.total_seconds())"
    )
    for env, seconds in (({}, "10.0"), ({"JWT_REFRESH_GRACE_SECONDS": "0"}, "0.0")):
        result = manage("shell", "-c", code, **production(**env))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == seconds
