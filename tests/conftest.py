"""Fixtures shared by the whole suite."""

import os
import socket
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import issue_token_pair
from tests.factories import PASSWORD, UserFactory


def pytest_configure(config: pytest.Config) -> None:
    """Give each xdist worker its own Redis database: clearing one spares the rest."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = 1 + int(worker.removeprefix("gw") or 0) % 15
    for alias in settings.CACHES.values():
        location = alias.get("LOCATION", "")
        if isinstance(location, str) and location.startswith("redis"):
            base = location.rsplit("/", 1)[0] if location.count("/") > 2 else location
            alias["LOCATION"] = f"{base}/{index}"


def clear_caches() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clear_caches()
    yield
    clear_caches()


def dead_redis_caches() -> dict:
    """``CACHES`` with every shared cache on a Redis that does not answer.

    The port is one the system just handed out and nobody listens on, so each
    connection is refused at once. The per-process caches stay as they are.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
    return {
        alias: config if alias == "menu" else dead
        for alias, config in settings.CACHES.items()
    }


@pytest.fixture
def redis_down():
    """The shared caches (counters, marks, the menu's version) are unreachable."""
    with override_settings(CACHES=dead_redis_caches()):
        yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


def bearer_client(user) -> APIClient:
    """A client that sends a real ``Authorization: Bearer`` header for ``user``."""
    client = APIClient()
    pair = issue_token_pair(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    client.token_pair = pair
    return client


@pytest.fixture
def auth_client(user) -> APIClient:
    return bearer_client(user)


def throttle_rates(settings, **rates: str) -> None:
    """Set some of DRF's throttle rates for one test.

    The throttles read their rates when a request comes
    (``accounts.throttling.CurrentRatesMixin``), so a changed setting applies at
    once.
    """
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **rates,
        },
    }


def log_in(client: Client, user, password: str = PASSWORD) -> Client:
    """Log a test browser in through the login page, as a person would."""
    response = client.post(
        reverse("login-page"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def browser(client, user) -> Client:
    """A browser holding ``user``'s tokens in its cookies."""
    return log_in(client, user)


def past_the_grace_period() -> time_machine.travel:
    """The clock moved beyond the grace period of a renewal that just happened, when
    a refresh token presented again is a copy in other hands."""
    grace = settings.JWT_REFRESH_GRACE_PERIOD + timedelta(seconds=1)
    return time_machine.travel(timezone.now() + grace, tick=False)
