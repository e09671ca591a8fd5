"""Nothing marks a challenge solved but doing it, and nobody reaches another
attendee's progress. The lab never takes a real card, nor makes one the real waiter
takes, and no card or body, however broken, is a 5xx."""

import json

import pytest
from django.urls import URLPattern, get_resolver

from accounts.services import issue_token_pair
from lab.models import Lab, LabOrder, Loot, PublishedKeySet, Review, Solve
from tests.lab import forgery
from tests.lab.test_exploits import EXPLOITS
from tests.tokens import assembled, hs256, parts

VERDICTS = [
    {"solved": True},
    {"challenge": "alg-none", "solved": True},
    {"lab": "alg-none", "staff_meal": True, "attendee": 1},
    {"solved": {"alg-none": "2026-01-01T00:00:00Z"}, "user_id": 1},
]
METHODS = ["get", "post", "put", "patch", "delete"]


def lab_paths(owner: str) -> list[str]:
    """Every address of the lab's URLconf, each lab's and the owner's filled in."""
    lab_urls = next(
        pattern
        for pattern in get_resolver().url_patterns
        if str(pattern.pattern) == "lab/"
    )
    paths = []
    for pattern in lab_urls.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = "/lab/" + str(pattern.pattern)
        if "<lab:lab>" in route:
            paths += [route.replace("<lab:lab>", lab.value) for lab in Lab]
        else:
            paths.append(route.replace("<str:owner>", owner))
    return paths


def test_no_endpoint_takes_a_verdict(attendee_for):
    """Every address, every method, with verdicts in the body: by the attendee's
    real card in the header, and in the cookie with a genuine lab card."""
    attendee, other = attendee_for(), attendee_for()
    for path in lab_paths(other.user.username):
        for method in METHODS:
            for body in VERDICTS:
                bodied = {**body, "attendee": other.user.pk}
                answer = getattr(attendee.client, method)(
                    path,
                    bodied,
                    format="json",
                    HTTP_AUTHORIZATION=f"Bearer {attendee.access}",
                )
                assert answer.status_code < 500, (method, path)
                attendee.client.cookies["delivery_access"] = attendee.access
                answer = getattr(attendee.client, method)(path, bodied, format="json")
                assert answer.status_code < 500, (method, path)
    assert not Solve.objects.exists()
    assert not LabOrder.objects.filter(staff_meal=True).exists()
    assert attendee.solved() == set()
    assert other.solved() == set()


def test_a_replayed_forgery_solves_nothing_for_whoever_replays_it(attendee_for):
    """Another attendee's forged card is for another table: the broken waiter
    refuses it, so the replayer's lab is not solved, however they send it."""
    author, copycat = attendee_for(), attendee_for()
    forged = forgery.alg_none(author.card(Lab.ALG_NONE))

    answer = copycat.broken(Lab.ALG_NONE, forged)
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_your_table"
    assert copycat.real(forged).status_code == 401
    assert copycat.solved() == set()
    assert author.solved() == set()
    assert not LabOrder.objects.exists()


def test_a_forgery_retold_for_your_own_table_is_doing_the_lab(attendee_for):
    """Changing the table claim is forging a card: that is the lab, done."""
    author, learner = attendee_for(), attendee_for()
    _, claims, _ = parts(author.card(Lab.ALG_NONE))
    claims |= {"table": learner.user.username, "role": "kitchen"}
    forged = assembled({"alg": "none"}, claims)
    assert learner.broken(Lab.ALG_NONE, forged).status_code == 201
    assert learner.real(forged).status_code == 401
    assert learner.solved() == {Lab.ALG_NONE.value, "lesson-5"}
    assert author.solved() == set()


def test_progress_is_your_own_and_nobody_elses(attendee_for):
    attendee, other = attendee_for(), attendee_for()
    forged = forgery.alg_none(other.card(Lab.ALG_NONE))
    other.broken(Lab.ALG_NONE, forged)
    other.real(forged)
    assert other.solved() == {Lab.ALG_NONE.value, "lesson-5"}

    for query in (f"?attendee={other.user.pk}", f"?user_id={other.user.pk}"):
        answer = attendee.client.get(
            f"/lab/progress/{query}", HTTP_AUTHORIZATION=f"Bearer {attendee.access}"
        )
        assert answer.json()["solved"] == {}
    assert attendee.client.get("/lab/room/feed/").status_code == 401
    attendee.client.cookies["delivery_access"] = attendee.access
    assert attendee.client.get("/lab/room/feed/").status_code == 403
    assert attendee.client.get("/lab/room/").status_code == 403
    assert attendee.client.get("/lab/progress/").json()["solved"] == {}


def test_nobody_writes_anothers_material(attendee_for):
    attendee, other = attendee_for(), attendee_for()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {attendee.access}"}
    keys = {**forgery.key_set(b"whose?"), "owner": other.user.username}
    attendee.client.put("/lab/jku/keys/", keys, format="json", **bearer)
    attendee.client.put(
        "/lab/stolen-from-storage/review/",
        {"text": "hi", "author": other.user.pk},
        format="json",
        **bearer,
    )
    assert list(PublishedKeySet.objects.values_list("owner_id", flat=True)) == [
        attendee.user.pk
    ]
    assert list(Review.objects.values_list("author_id", flat=True)) == [
        attendee.user.pk
    ]
    other_review = attendee.client.get(
        f"/lab/stolen-from-storage/review/?author={other.user.pk}", **bearer
    )
    assert other_review.json() == {"text": "hi"}


def test_the_lab_never_takes_a_real_card(attendee):
    real = attendee.access
    for lab in Lab:
        answer = attendee.broken(lab, real)
        assert answer.status_code == 401, lab
    assert not LabOrder.objects.exists()


@pytest.mark.parametrize("lab", list(Lab))
def test_no_lab_card_is_taken_by_the_real_waiter(attendee, lab):
    for card in (attendee.card(lab), EXPLOITS[lab](attendee, attendee.card(lab))):
        answer = attendee.client.get(
            "/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {card}"
        )
        assert answer.status_code == 401
        assert attendee.real(card).status_code == 401


def test_the_broken_waiter_needs_a_real_login(attendee):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.client.cookies.clear()
    answer = attendee.client.post(
        "/lab/alg-none/orders/",
        attendee.order_body(),
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {forged}",
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "lab_login_required"
    assert not LabOrder.objects.exists()


def test_a_disabled_account_has_no_table(attendee):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.user.is_active = False
    attendee.user.save()
    assert attendee.broken(Lab.ALG_NONE, forged).status_code == 403
    assert not LabOrder.objects.exists()


def garbage_cards(table: str) -> list[str]:
    """Cards that are not cards, and cards whose every header or claim is wrong."""
    good = {
        "iss": "delivery-lab",
        "aud": "delivery-lab-waiter",
        "sub": table,
        "table": table,
        "role": "kitchen",
        "exp": 4_000_000_000,
    }
    raw = ["", ".", "..", "a.b", "a.b.c", "é.é.é", "x" * 9000, "a..", "=.=.="]
    raw += [assembled(b"[1,2]", good)]
    raw += [assembled({"alg": "none"}, b"[" * 5000)]
    headers = [
        {"alg": 5},
        {"alg": ["HS256"]},
        {"alg": "RS256"},
        {"alg": "ES256"},
        {"alg": "HS256", "jwk": 5},
        {"alg": "HS256", "jwk": {"kty": "RSA", "n": 5, "e": "AQAB"}},
        {"alg": "HS256", "jwk": {"kty": "RSA", "n": "AQAB", "e": "AQAB"}},
        {"alg": "HS256", "jwk": {"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}},
        {"alg": "HS256", "jwk": {"kty": "oct"}},
        {"alg": "HS256", "jwk": {"kty": "oct", "k": "!!"}},
        {"alg": "HS256", "jwk": {"kty": "oct", "k": "c2Vj", "alg": 5}},
        {"alg": "HS256", "jwk": {"kty": "oct", "k": "c2Vj", "alg": "none"}},
        {"alg": "HS256", "jku": 5, "kid": "a"},
        {"alg": "HS256", "jku": "http://evil.example/jwks.json", "kid": "a"},
        {"alg": "HS256", "jku": "file:///etc/passwd", "kid": "a"},
        {"alg": "HS256", "jku": "/lab/jku/../../etc/jwks.json", "kid": "a"},
        {"alg": "HS256", "jku": "/lab/jku/nobody/jwks.json", "kid": "a"},
        {"alg": "HS256", "jku": "http://[::1/lab/jku/jwks.json", "kid": "a"},
        {"alg": "HS256", "jku": "/lab/jku/jwks.json", "kid": ["a"]},
        {"alg": "HS256", "kid": 5},
        {"alg": "HS256", "kid": "../../../../etc/passwd"},
        {"alg": "HS256", "kid": "\x00"},
        {"alg": "HS256", "kid": "/" * 3000},
    ]
    for header in headers:
        raw.append(hs256(good, header=header, key=b""))
    for claims in (
        {**good, "exp": "tomorrow"},
        {**good, "exp": 10**100},
        {**good, "exp": True},
        {**good, "exp": 1.5},
        {**good, "role": ["kitchen"]},
        {**good, "table": 5},
        {**good, "sub": None},
        {**good, "iss": ["delivery-lab"]},
    ):
        raw.append(assembled({"alg": "none"}, claims))
    return raw


@pytest.mark.parametrize("lab", list(Lab))
def test_no_card_breaks_a_waiter(attendee, lab):
    """A 4xx in the API's shape, or (where the lab's mistake lets it in) a meal."""
    for card in garbage_cards(attendee.user.username):
        answer = attendee.broken(lab, card)
        if answer.status_code == 201:
            assert lab in (Lab.UNVERIFIED_SIGNATURE, Lab.ALG_NONE), card[:80]
            continue
        assert answer.status_code in {400, 401, 403}, (card[:80], answer.content)
        assert set(answer.json()) == {"detail", "code"}


def test_no_body_breaks_the_broken_waiter(attendee):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.client.cookies["delivery_access"] = attendee.access
    bodies = [
        "not json",
        "[]",
        "{}",
        json.dumps({"items": "x", "delivery_address": "a"}),
        json.dumps({"items": [], "delivery_address": "a"}),
        json.dumps({"items": [{"menu_item": 10**30, "quantity": 1}]}),
        json.dumps(
            {"items": [{"menu_item": 999_999, "quantity": 1}], "delivery_address": "a"}
        ),
        json.dumps(
            {"items": [{"menu_item": 1, "quantity": 99}], "delivery_address": "a"}
        ),
        "[" * 10_000,
    ]
    for body in bodies:
        answer = attendee.client.post(
            "/lab/alg-none/orders/",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {forged}",
        )
        assert answer.status_code == 400, (body[:40], answer.content)
    assert not LabOrder.objects.exists()


def test_the_drop_box_keeps_only_the_chefs_lab_card(attendee):
    attendee.client.cookies["delivery_access"] = attendee.access
    chef_card = attendee.card(Lab.STOLEN_FROM_STORAGE)
    real_card = str(issue_token_pair(user=attendee.user).access)
    for sent, kept in (
        (json.dumps({"card": real_card, "cookies": "csrftoken=abc; x=1"}), ""),
        (real_card, ""),
        ("[" * 5000, ""),
        (json.dumps([chef_card]), ""),
        (json.dumps({"card": chef_card, "cookies": "a=1; b=2"}), chef_card),
        (chef_card, chef_card),
    ):
        answer = attendee.client.post(
            "/lab/stolen-from-storage/drop/", sent, content_type="text/plain"
        )
        assert answer.status_code == 200
        assert Loot.objects.get().card == kept
    loot = attendee.client.get("/lab/stolen-from-storage/loot/").json()
    assert loot["card"] == chef_card
    assert Loot.objects.count() == 1


def test_the_drop_box_keeps_cookie_names_never_values(attendee):
    attendee.client.cookies["delivery_access"] = attendee.access
    attendee.client.post(
        "/lab/stolen-from-storage/drop/",
        json.dumps({"cookies": "csrftoken=s3cr3t; theme=dark"}),
        content_type="application/json",
    )
    loot = Loot.objects.get()
    assert loot.cookie_names == ["csrftoken", "theme"]
    assert "s3cr3t" not in json.dumps(
        attendee.client.get("/lab/stolen-from-storage/loot/").json()
    )
