"""The card scenario's contenders authenticate alice, and spend what they should."""

import gc

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.models import TokenUser as SimpleJWTTokenUser

from accounts.services import log_out_everywhere
from accounts.tokens import TokenUser
from bench.card import WrongUser, checked, credentials, in_force, measure, profile_of
from bench.contenders import contenders, user_id_of
from bench.counting import REDIS_TRIES, spent

pytestmark = pytest.mark.django_db


@pytest.fixture
def given():
    return credentials()


@pytest.fixture
def by_name(given):
    return {contender.name: contender for contender in contenders(given)}


def authenticate(contender, request=None):
    with in_force(contender):
        return contender.authenticate(request or contender.prepare(1)[0])


def test_every_contender_authenticates_alice(given, by_name):
    assert list(by_name) == [
        "card",
        "card-cookie",
        "card-revocation",
        "simplejwt-stateless",
        "stateless-card",
        "simplejwt-user",
        "session",
        "floor",
    ]
    for contender in by_name.values():
        assert user_id_of(authenticate(contender)) == given.user_id, contender.name


@pytest.mark.parametrize(
    ("name", "queries", "cache_reads"),
    [
        ("card", 0, 0),
        ("card-cookie", 0, 0),
        ("card-revocation", 0, 1),
        ("simplejwt-stateless", 0, 0),
        ("stateless-card", 0, 0),
        ("simplejwt-user", 1, 0),
        ("session", 2, 0),
        ("floor", 0, 0),
    ],
)
def test_what_one_authentication_spends(by_name, name, queries, cache_reads):
    contender = by_name[name]
    with in_force(contender):
        inputs = contender.prepare(2 + REDIS_TRIES)
        cost = spent(lambda: contender.authenticate(inputs.pop()))
    assert (cost.queries, cost.cache_reads, cost.cache_writes) == (
        queries,
        cache_reads,
        0,
    )
    # Counted at the Redis server, when the cache is Redis: other clients of the
    # same server can only add to the count.
    assert cost.redis_commands is None or cost.redis_commands >= cache_reads


def test_the_card_contenders_are_the_projects_and_the_peers_simplejwts(by_name):
    assert type(authenticate(by_name["card"])) is TokenUser
    assert type(authenticate(by_name["card-cookie"])) is TokenUser
    assert type(authenticate(by_name["simplejwt-stateless"])) is SimpleJWTTokenUser


def test_the_stock_peers_refuse_a_tampered_token(given, by_name):
    for name in ("simplejwt-stateless", "simplejwt-user"):
        contender = by_name[name]
        request = contender.prepare(1)[0]
        request.META["HTTP_AUTHORIZATION"] = request.META["HTTP_AUTHORIZATION"][:-2]
        with pytest.raises(AuthenticationFailed):
            authenticate(contender, request)


def test_with_instant_revocation_the_card_reads_the_marks(given, by_name):
    """The revocation contender really checks: a revoked card is refused."""
    contender = by_name["card-revocation"]
    with in_force(contender):
        log_out_everywhere(user_id=given.user_id)
        with pytest.raises(AuthenticationFailed):
            contender.authenticate(contender.prepare(1)[0])
    # Without the setting, the same card still works: nothing is read.
    assert user_id_of(authenticate(by_name["card"])) == given.user_id


def test_an_anonymous_answer_is_never_timed(by_name, given):
    with pytest.raises(WrongUser, match="card"):
        checked(by_name["card"], AnonymousUser(), given.user_id)


@pytest.fixture
def frozen_heap():
    """As ``python -m bench.card`` does: what exists now is not collected again
    before every batch (a full collection of the test process takes 0.3 s)."""
    gc.freeze()
    yield
    gc.unfreeze()


def test_a_short_measurement_keeps_every_round_of_every_contender(frozen_heap):
    document = measure(rounds=2, batch_ms=0.2, label="SQLite")
    assert document["rounds"] == 2
    for entry in document["contenders"]:
        assert len(entry["samples_us"]) == len(entry["cpu_samples_us"]) == 2
        assert entry["batch"] >= 20
    counted = {entry["name"]: entry["queries"] for entry in document["contenders"]}
    assert counted["session"] == 2
    assert counted["card"] == 0


def test_a_profile_names_where_the_time_goes(by_name, tmp_path):
    profile_of(by_name["card"], tmp_path, requests=20)
    written = (tmp_path / "profile-card.txt").read_text()
    # The card's own check, where a good part of it goes (accounts.hs256_fast_path).
    assert "hs256_fast_path.py" in written
    assert "tottime" in written
