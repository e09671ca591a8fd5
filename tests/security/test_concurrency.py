"""Races a reviewer tries, on PostgreSQL with real threads and connections.

Orders placed, retried, advanced and cancelled at once are covered in
tests/orders/test_concurrency.py, renewals of one refresh token in
tests/accounts/test_logins.py (on SQLite too); these are the front desk's others.
"""

from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.models import User
from accounts.services import issue_token_pair
from tests.factories import PASSWORD, UserFactory
from tests.races import POSTGRES_RACE, run_together

pytestmark = POSTGRES_RACE

TOKEN = reverse("accounts:token")
REFRESH = reverse("accounts:token-refresh")
LOGOUT = reverse("accounts:logout")
# Accounts deleted while they use the front desk, each by its own thread.
ROUNDS = 8


def test_parallel_logouts_of_one_token_blacklist_it_once():
    pair = issue_token_pair(user=UserFactory())
    body = {"refresh": str(pair.refresh)}
    answers = run_together(8, lambda _: APIClient().post(LOGOUT, body))
    assert sorted(answer.status_code for answer in answers) == [205] + [401] * 7
    assert BlacklistedToken.objects.count() == 1


def delete_account(user_id: int) -> str:
    User.objects.get(pk=user_id).delete()
    return "deleted"


def against_deletions(users, request):
    """Each account's request and its deletion, all started at the same instant."""

    def act(index):
        user = users[index // 2]
        return delete_account(user.pk) if index % 2 else request(user)

    results = run_together(2 * len(users), act)
    assert results[1::2] == ["deleted"] * len(users)
    assert not User.objects.filter(pk__in=[user.pk for user in users]).exists()
    return results[0::2]


def test_an_account_deleted_while_it_logs_in_is_a_401_never_a_500():
    users = UserFactory.create_batch(ROUNDS)

    def log_in(user):
        body = {"username": user.username, "password": PASSWORD}
        return APIClient().post(TOKEN, body).status_code

    statuses = against_deletions(users, log_in)
    assert set(statuses) <= {200, 401}, statuses
    # Whatever was issued before the deletion ended with the account.
    assert not OutstandingToken.objects.filter(
        user__isnull=True, blacklistedtoken__isnull=True
    ).exists()


def test_an_account_deleted_while_it_refreshes_is_a_401_never_a_500():
    users = UserFactory.create_batch(ROUNDS)
    pairs = {user.pk: issue_token_pair(user=user) for user in users}

    def refresh(user):
        body = {"refresh": str(pairs[user.pk].refresh)}
        return APIClient().post(REFRESH, body).status_code

    statuses = against_deletions(users, refresh)
    assert set(statuses) <= {200, 401}, statuses
    assert not OutstandingToken.objects.filter(
        user__isnull=True, blacklistedtoken__isnull=True
    ).exists()
