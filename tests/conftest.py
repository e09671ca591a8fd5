"""Fixtures shared by the whole suite."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import issue_token_pair
from tests.factories import UserFactory


def pytest_configure(config: pytest.Config) -> None:
    """Give each xdist worker its own Redis database: clearing one spares the rest."""
    location = settings.CACHES["default"].get("LOCATION", "")
    if isinstance(location, str) and location.startswith("redis"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        index = 1 + int(worker.removeprefix("gw") or 0) % 15
        base = location.rsplit("/", 1)[0] if location.count("/") > 2 else location
        settings.CACHES["default"]["LOCATION"] = f"{base}/{index}"


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


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
