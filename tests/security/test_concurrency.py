"""Races a reviewer tries, on PostgreSQL with real threads and connections.

Orders placed, retried, advanced and cancelled at once are covered in
tests/orders/test_concurrency.py; these are the front desk's races.
"""

from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.services import issue_token_pair
from tests.factories import UserFactory
from tests.races import POSTGRES_RACE, run_together

pytestmark = POSTGRES_RACE

REFRESH = reverse("accounts:token-refresh")
LOGOUT = reverse("accounts:logout")


def test_parallel_refreshes_of_one_token_let_exactly_one_through():
    pair = issue_token_pair(user=UserFactory())
    body = {"refresh": str(pair.refresh)}
    answers = run_together(10, lambda _: APIClient().post(REFRESH, body))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [401] * 9
    winners = [
        answer.json()["refresh"] for answer in answers if answer.status_code == 200
    ]
    assert len(winners) == 1
    assert BlacklistedToken.objects.filter(token__jti=pair.refresh["jti"]).count() == 1
    # One pair at login, one for the single successful rotation.
    assert OutstandingToken.objects.count() == 2


def test_parallel_logouts_of_one_token_blacklist_it_once():
    pair = issue_token_pair(user=UserFactory())
    body = {"refresh": str(pair.refresh)}
    answers = run_together(8, lambda _: APIClient().post(LOGOUT, body))
    assert sorted(answer.status_code for answer in answers) == [205] + [401] * 7
    assert BlacklistedToken.objects.count() == 1
