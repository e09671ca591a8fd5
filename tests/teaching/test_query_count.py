"""Lesson 9 over HTTP: what knowing who sent a request costs, JWT against session."""

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.services import issue_token_pair
from tests.conftest import log_in

QUERY_COUNT = reverse("teaching:query-count")


def test_a_token_costs_no_query_and_a_session_two(auth_client):
    response = auth_client.get(QUERY_COUNT)
    assert response.status_code == 200
    assert response.json() == {"jwt_queries": 0, "session_queries": 2}
    assert not Session.objects.exists()


def test_a_browser_gets_the_same_count_with_its_cookie(client, user):
    log_in(client, user)
    response = client.get(QUERY_COUNT)
    assert response.status_code == 200
    assert response.json()["jwt_queries"] == 0


def test_without_a_card_there_is_nothing_to_count(api_client, db):
    response = api_client.get(QUERY_COUNT)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Session.objects.exists()


def test_a_forged_card_is_refused_before_anything_is_counted(api_client, user):
    response = api_client.get(QUERY_COUNT, HTTP_AUTHORIZATION="Bearer a.b.c")
    assert response.status_code == 401
    assert not Session.objects.exists()


def test_the_count_is_throttled_per_address(auth_client, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "inspect": "2/min"},
    }
    statuses = [auth_client.get(QUERY_COUNT).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_command_counts_the_same_from_a_terminal(user, capsys):
    call_command(
        "count_auth_queries", "--token", str(issue_token_pair(user=user).access)
    )
    assert capsys.readouterr().out.splitlines() == [
        "JWT (Authorization: Bearer): 0 database queries",
        "Django session (sessionid cookie): 2 database queries",
    ]


def test_the_command_refuses_a_forged_card(db):
    with pytest.raises(CommandError, match="The token was refused"):
        call_command("count_auth_queries", "--token", "a.b.c")
