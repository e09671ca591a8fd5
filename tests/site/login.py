"""Logging a test browser in through the login page, as a person would."""

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def log_in(client: Client, user, password: str = PASSWORD) -> Client:
    response = client.post(
        reverse("login-page"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, response.content
    return client
