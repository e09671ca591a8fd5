"""``/healthz`` for load balancers, and what a failure looks like with DEBUG off."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.db.utils import ConnectionHandler
from django.test import Client, override_settings

from api import health
from tests.conftest import dead_redis_caches

ROOT = Path(__file__).resolve().parents[2]
HEALTHZ = "/healthz"
CLOSED_PORT = 1  # nothing listens on port 1


def test_healthz_answers_ok_when_the_database_and_cache_answer(client, db):
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_cache_is_down(client, db):
    dead_cache = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    # Restored inside the test: the suite's own teardown clears the cache.
    with override_settings(CACHES=dead_cache):
        response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_healthz_answers_503_when_the_security_cache_is_down(client, db, settings):
    dead = dead_redis_caches()["security"]
    with override_settings(CACHES={**settings.CACHES, "security": dead}):
        response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    dead = ConnectionHandler(
        {
            "default": dj_database_url.parse(
                f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/delivery"
            )
        }
    )["default"]
    monkeypatch.setattr(health, "connection", dead)
    try:
        response = client.get(HEALTHZ)
    finally:
        dead.close()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_healthz_is_not_redirected_to_https(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get(HEALTHZ).status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_takes_no_writes(client, db):
    assert client.post(HEALTHZ).status_code == 405


@pytest.mark.urls("tests.api.error_urls")
def test_an_error_in_the_api_is_a_json_500_without_a_traceback(api_client, db):
    response = api_client.get("/api/broken/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "A server error occurred.",
        "code": "server_error",
    }
    assert b"Traceback" not in response.content
    assert b"hunter2" not in response.content


@pytest.mark.urls("tests.api.error_urls")
def test_an_error_on_the_site_is_a_plain_page(db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Something went wrong in the kitchen" in response.content
    assert b"Traceback" not in response.content
    assert b"oven" not in response.content


def test_an_unknown_api_path_is_a_json_404(client, db):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unknown_page_is_a_plain_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Not on the menu" in response.content


@pytest.mark.slow
def test_a_dead_cache_or_database_fails_in_seconds_not_forever():
    """redis-py and libpq wait without limit by default; the settings set limits."""
    script = (
        "import json; from django.conf import settings; print(json.dumps(["
        "settings.CACHES['default']['OPTIONS'], "
        "settings.DATABASES['default']['OPTIONS']]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/delivery",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    cache_options, database_options = json.loads(result.stdout.strip().splitlines()[-1])
    assert 0 < cache_options["SOCKET_CONNECT_TIMEOUT"] <= 5
    assert 0 < cache_options["SOCKET_TIMEOUT"] <= 5
    assert 0 < database_options["connect_timeout"] <= 10
