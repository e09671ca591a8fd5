"""What the server records, and what it costs: one write per relevant request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import issue_token_pair
from lab.models import Lab, LabOrder, Solve
from tests.factories import PASSWORD, UserFactory
from tests.lab import forgery

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
    ]


def test_the_broken_waiter_writes_its_order_and_nothing_else(attendee):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    with CaptureQueriesContext(connection) as queries:
        assert attendee.broken(Lab.ALG_NONE, forged).status_code == 201
    assert len(writes(queries)) == 1
    assert "lab_laborder" in writes(queries)[0]


def test_the_real_waiters_refusal_costs_one_read_and_one_write(attendee):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.broken(Lab.ALG_NONE, forged)
    with CaptureQueriesContext(connection) as queries:
        assert attendee.real(forged).status_code == 401
    assert len(queries.captured_queries) == 2
    assert len(writes(queries)) == 1
    assert "lab_solve" in writes(queries)[0]


def test_a_refusal_of_no_lab_card_writes_nothing(attendee):
    with CaptureQueriesContext(connection) as queries:
        assert attendee.real("not.a.card").status_code == 401
    assert writes(queries) == []
    assert len(queries.captured_queries) == 1  # is it a card the lab served?


def test_a_refusal_elsewhere_costs_nothing(attendee):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.broken(Lab.ALG_NONE, forged)
    with CaptureQueriesContext(connection) as queries:
        answer = attendee.client.get(
            "/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {forged}"
        )
    assert answer.status_code == 401
    assert queries.captured_queries == []
    assert attendee.solved() == set(), "GET /api/auth/me/ is not the same request"


def test_solving_twice_is_one_solve(attendee):
    for _ in range(2):
        forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
        attendee.broken(Lab.ALG_NONE, forged)
        attendee.real(forged)
        attendee.real(forged)
    assert sorted(Solve.objects.values_list("challenge", flat=True)) == [
        "alg-none",
        "lesson-5",
    ]
    assert LabOrder.objects.count() == 2


def test_a_login_is_a_lesson_for_one_more_write(api_client, user, settings):
    body = {"username": user.username, "password": PASSWORD}
    counts = {}
    for enabled in (False, True):
        settings.LABS_ENABLED = enabled
        with CaptureQueriesContext(connection) as queries:
            assert api_client.post(reverse("accounts:token"), body).status_code == 200
        counts[enabled] = len(writes(queries))
    assert counts[True] == counts[False] + 1
    assert set(Solve.objects.values_list("attendee_id", "challenge")) == {
        (user.pk, "lesson-3")
    }


def test_with_the_labs_off_nothing_is_recorded(attendee, settings):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.broken(Lab.ALG_NONE, forged)
    settings.LABS_ENABLED = False
    with CaptureQueriesContext(connection) as queries:
        attendee.real(forged)
    assert queries.captured_queries == []
    assert not Solve.objects.exists()


@pytest.mark.parametrize("size", [1, 6])
def test_the_room_feed_costs_the_same_for_any_room(
    attendee_for, size, django_assert_num_queries
):
    for person in [attendee_for() for _ in range(size)]:
        forged = forgery.alg_none(person.card(Lab.ALG_NONE))
        person.broken(Lab.ALG_NONE, forged)
        person.real(forged)
    instructor = APIClient()
    teacher = UserFactory(is_staff=True)
    instructor.cookies["delivery_access"] = str(issue_token_pair(user=teacher).access)
    # The instructor check, the attendees, their solves.
    with django_assert_num_queries(3):
        feed = instructor.get("/lab/room/feed/").json()
    assert feed["counts"][Lab.ALG_NONE] == size
    assert len(feed["attendees"]) == size
