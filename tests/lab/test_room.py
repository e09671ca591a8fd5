"""Thirty attendees solving labs at once, on the server a room runs: the room page
counts exactly what each of them did."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from lab.models import Lab
from tests.lab import forgery
from tests.workshop.servers import (
    Answer,
    Visitor,
    gunicorn,
    manage,
    production_environment,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the server runs on its own SQLite database; once per CI run is enough",
    ),
]

ROOM = 30
LABS = list(Lab)
DEMO_PASSWORD = "delivery-demo"  # the documented password of the demo accounts


def labs_of(number: int) -> list[Lab]:
    """The labs attendee ``number`` solves: one to four, a different run each."""
    return [LABS[(number + step) % len(LABS)] for step in range(number % 4 + 1)]


def exploit(lab: Lab, card: str, visitor: Visitor, username: str, bearer) -> str:
    if lab == Lab.UNVERIFIED_SIGNATURE:
        return forgery.keep_old_signature(card)
    if lab == Lab.ALG_NONE:
        return forgery.alg_none(card)
    if lab == Lab.WEAK_SECRET:
        words = visitor.get("/static/lab/wordlist.txt").text.split()
        return forgery.resigned(card, forgery.crack(card, words))
    if lab == Lab.JWK_HEADER:
        return forgery.own_jwk(card)
    if lab == Lab.JKU_HEADER:
        secret = f"{username}'s own key".encode()
        published = visitor.call(
            "PUT", "/lab/jku/keys/", forgery.key_set(secret), headers=bearer
        )
        assert published.status == 200, published.text
        jku = f"{visitor.base}/lab/jku/{username}/jwks.json"
        return forgery.own_jku(card, jku, secret)
    if lab == Lab.KID_PATH:
        return forgery.kid_to_dev_null(card)
    if lab == Lab.ALGORITHM_CONFUSION:
        pem = visitor.get("/lab/algorithm-confusion/public.pem").text.encode()
        return forgery.public_key_as_secret(card, pem)
    return card  # the chef's cards: expired, and stolen


def log_in(visitor: Visitor, username: str, password: str) -> str:
    body = {"username": username, "password": password}
    answer = visitor.call("POST", "/api/auth/token/", body)
    assert answer.status == 200, answer.text
    return answer.json()["access"]


def attend(base: str, number: int, password: str, dish: int) -> list[Answer]:
    """One attendee: log in, then for each of their labs both waiters, in order."""
    username = f"table-{number:03d}"
    visitor = Visitor(base)
    access = log_in(visitor, username, password)
    bearer = {"Authorization": f"Bearer {access}"}
    order = {"items": [{"menu_item": dish, "quantity": 1}], "delivery_address": "1"}
    answers = []
    for lab in labs_of(number):
        card = visitor.call("POST", f"/lab/{lab}/card/", headers=bearer).json()["card"]
        forged = exploit(lab, card, visitor, username, bearer)
        same = {
            "Authorization": f"Bearer {forged}",
            "Cookie": f"delivery_access={access}",
        }
        answers.append(visitor.call("POST", f"/lab/{lab}/orders/", order, headers=same))
        answers.append(visitor.call("POST", "/api/orders/", order, headers=same))
    return answers


def test_thirty_attendees_at_once_are_counted_exactly(tmp_path):
    env = production_environment(
        tmp_path / "room.sqlite3",
        WORKSHOP_LABS="1",
        GUNICORN_THREADS="8",
        LOGIN_RATE_PER_ADDRESS="1000/min",
    )
    manage("migrate", "--no-input", env=env)
    manage("seed_demo", "--force", env=env)
    cards = manage("workshop_accounts", str(ROOM), "--address", "http://room", env=env)
    passwords = dict(
        re.findall(r"Username  (table-\d+).*?Password  (\S+)", cards, re.S)
    )
    assert len(passwords) == ROOM

    with gunicorn(env, tmp_path / "room.log") as base:
        dish = Visitor(base).get("/api/menu-items/").json()["results"][0]["id"]
        with ThreadPoolExecutor(max_workers=ROOM) as pool:
            runs = list(
                pool.map(
                    lambda number: attend(
                        base, number, passwords[f"table-{number:03d}"], dish
                    ),
                    range(1, ROOM + 1),
                )
            )
        instructor = Visitor(base)
        admin = log_in(instructor, "admin", DEMO_PASSWORD)
        feed = instructor.get(
            "/lab/room/feed/", headers={"Cookie": f"delivery_access={admin}"}
        )

    for answers in runs:
        assert [answer.status for answer in answers] == [201, 401] * (len(answers) // 2)
    assert feed.status == 200, feed.text
    room = feed.json()
    expected = {
        f"table-{number:03d}": {
            "lesson-3",  # a login
            "lesson-5",  # a forgery of one's own refused
            *(["lesson-11"] if Lab.WEAK_SECRET in labs_of(number) else []),
            *(lab.value for lab in labs_of(number)),
        }
        for number in range(1, ROOM + 1)
    }
    assert {
        attendee["username"]: set(attendee["solved"]) for attendee in room["attendees"]
    } == expected
    for challenge, count in room["counts"].items():
        assert count == sum(challenge in solved for solved in expected.values())
    assert room["counts"]["lesson-3"] == ROOM
    assert room["quiet"] == []
