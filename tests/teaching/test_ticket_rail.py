"""The ticket rail: token events for the instructor, never the tokens themselves."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from accounts import signals
from accounts.services import issue_token_pair
from teaching import ticket_rail
from tests.conftest import dead_redis_caches, log_in, past_the_grace_period
from tests.factories import PASSWORD, UserFactory

TOKEN = reverse("accounts:token")
REFRESH = reverse("accounts:token-refresh")
LOGOUT = reverse("accounts:logout")
LOGOUT_ALL = reverse("accounts:logout-all")
ME = reverse("accounts:me")
PAGE = reverse("ticket-rail-page")
FEED = reverse("ticket-rail-feed")


@pytest.fixture(autouse=True)
def empty_rail():
    ticket_rail.rail().clear()
    yield
    ticket_rail.rail().clear()


@pytest.fixture
def pushes(monkeypatch):
    """Count the writes made to the rail."""
    counted: list[str] = []
    rail = ticket_rail.rail()
    original = type(rail).push

    def push(self, line):
        counted.append(line)
        return original(self, line)

    monkeypatch.setattr(type(rail), "push", push)
    return counted


def kinds():
    return [ticket.kind for ticket in ticket_rail.latest()]


def login(client, user):
    body = {"username": user.username, "password": PASSWORD}
    return client.post(TOKEN, body, format="json").json()


def test_a_login_a_refresh_and_a_logout_hang_three_tickets(api_client, user):
    pair = login(api_client, user)
    newer = api_client.post(REFRESH, {"refresh": pair["refresh"]}).json()
    api_client.post(LOGOUT, {"refresh": newer["refresh"]})
    assert kinds() == ["logged out", "refreshed", "issued"]
    logged_out, refreshed, issued = ticket_rail.latest()
    assert issued.user_id == user.pk
    assert issued.username == user.username
    assert refreshed.jti
    assert logged_out.jti
    assert refreshed.jti != logged_out.jti


def test_a_reused_refresh_token_is_a_ticket(api_client, user):
    pair = issue_token_pair(user=user)
    api_client.post(REFRESH, {"refresh": str(pair.refresh)})
    with past_the_grace_period():
        api_client.post(REFRESH, {"refresh": str(pair.refresh)})
    assert kinds()[0] == "reused"
    assert ticket_rail.latest()[0].jti == pair.refresh["jti"]


def test_logout_everywhere_and_a_password_change_are_tickets(auth_client, user):
    auth_client.post(LOGOUT_ALL)
    user.set_password("another-long-pass-phrase")
    user.save()
    reasons = [ticket.reason for ticket in ticket_rail.latest()]
    assert reasons[:2] == ["password changed", "logged out everywhere"]


def test_a_refused_card_is_one_write_and_an_accepted_one_none(api_client, user, pushes):
    pair = issue_token_pair(user=user)
    api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    assert pushes == []
    api_client.get(ME, HTTP_AUTHORIZATION="Bearer not.a.token")
    assert len(pushes) == 1
    refused = ticket_rail.latest()[0]
    assert refused.kind == "refused"
    assert refused.path == f"GET {ME}"
    assert "token_not_valid" in refused.reason


def test_no_ticket_holds_a_token(api_client, user):
    pair = login(api_client, user)
    api_client.post(REFRESH, {"refresh": pair["refresh"]})
    api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair['access']}x")
    everything = json.dumps([ticket.__dict__ for ticket in ticket_rail.latest()])
    for secret in (pair["access"], pair["refresh"], PASSWORD):
        assert secret not in everything
    assert pair["access"].split(".")[2] not in everything


def test_the_rail_keeps_only_the_latest_tickets(db):
    for number in range(ticket_rail.RAIL_LENGTH + 5):
        ticket_rail.record(signals.REFUSED, reason=str(number))
    tickets = ticket_rail.latest(limit=1000)
    assert len(tickets) == ticket_rail.RAIL_LENGTH
    assert tickets[0].reason == str(ticket_rail.RAIL_LENGTH + 4)


# --- the page -------------------------------------------------------------------


def test_the_page_sends_visitors_to_log_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-page"))
    assert client.get(FEED).status_code == 401


def test_the_page_is_for_instructors_only(client, user):
    log_in(client, user)
    response = client.get(PAGE)
    assert response.status_code == 403
    assert "Instructors only" in response.content.decode()
    assert client.get(FEED).status_code == 403


def test_an_instructor_sees_the_tickets(client, db):
    instructor = UserFactory(is_staff=True)
    log_in(client, instructor)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "issued" in response.content.decode()
    feed = client.get(FEED)
    assert feed["Cache-Control"].startswith("max-age=0")
    assert feed.json()["tickets"][0]["kind"] == "issued"
    assert feed.json()["tickets"][0]["user_id"] == instructor.pk


def test_the_page_shows_times_a_person_can_read(client, db):
    at = datetime(2026, 3, 4, 13, 5, 9, 250000, tzinfo=UTC)
    with time_machine.travel(at, tick=False):
        ticket_rail.record(signals.REFUSED, reason="token_not_valid")
    log_in(client, UserFactory(is_staff=True))
    page = client.get(PAGE).content.decode()
    assert (
        '<time datetime="2026-03-04T13:05:09.250Z" title="4 Mar 2026, 13:05:09 UTC">'
        "13:05:09</time>"
    ) in page
    assert client.get(FEED).json()["tickets"][-1]["at"] == "2026-03-04T13:05:09.250Z"


def test_with_redis_down_the_rail_is_empty_not_an_error(client, db):
    instructor = UserFactory(is_staff=True)
    log_in(client, instructor)
    with override_settings(CACHES=dead_redis_caches()):
        feed = client.get(FEED)
    assert feed.status_code == 200
    assert feed.json() == {"tickets": []}
