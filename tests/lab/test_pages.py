"""The labs' pages: each lab's story, code and forge, the chef's page, the room."""

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import issue_token_pair
from lab.models import Lab
from teaching.room.accounts import ROOM_GROUP
from tests.factories import KitchenUserFactory, UserFactory
from tests.lab import forgery

STATIC = Path(__file__).resolve().parents[2] / "lab" / "static" / "lab"


@pytest.fixture
def browser(attendee) -> APIClient:
    attendee.client.cookies["delivery_access"] = attendee.access
    return attendee.client


@pytest.fixture
def instructor(db) -> APIClient:
    client = APIClient()
    teacher = UserFactory(is_staff=True)
    client.cookies["delivery_access"] = str(issue_token_pair(user=teacher).access)
    return client


@pytest.mark.parametrize(
    "path", ["/lab/", "/lab/alg-none/", "/lab/room/", "/lab/stolen-from-storage/chef/"]
)
def test_a_visitor_is_sent_to_log_in(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"/login/?next={path}")


@pytest.mark.parametrize("lab", list(Lab))
def test_each_lab_page_shows_its_mistake_its_code_and_a_closed_hint(browser, lab):
    page = browser.get(f"/lab/{lab}/").content.decode()
    assert "MISTAKE" in page or lab == Lab.STOLEN_FROM_STORAGE
    assert re.search(r'<details class="hint"><summary>Hint</summary>', page)
    assert '<details class="hint" open' not in page
    assert "lab/forge.js" in page
    assert "data-solved-mark hidden" in page
    assert "Deliberately broken" in page


def test_the_page_shows_the_code_that_runs(browser):
    page = browser.get("/lab/alg-none/").content.decode()
    assert "def alg_none_accepted(card: Card, table: Table) -&gt; Claims:" in page
    assert "# MISTAKE: the card&#x27;s own &quot;alg&quot; is obeyed" in page


def test_a_solved_lab_shows_its_tick(attendee, browser):
    forged = forgery.alg_none(attendee.card(Lab.ALG_NONE))
    attendee.broken(Lab.ALG_NONE, forged)
    attendee.real(forged)
    page = browser.get("/lab/alg-none/").content.decode()
    assert "data-solved-mark>" in page
    index = browser.get("/lab/").content.decode()
    assert re.search(r'class="is-solved" data-challenge="alg-none"', index)
    assert not re.search(r'class="is-solved" data-challenge="jwk-header"', index)


def test_only_the_chefs_page_lets_inline_scripts_run(browser):
    chef = browser.get("/lab/stolen-from-storage/chef/")
    policy = dict(
        part.strip().split(" ", 1)
        for part in chef["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["connect-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["default-src"] == "'self'"
    for path in ("/lab/", "/lab/stolen-from-storage/"):
        assert "unsafe-inline" not in browser.get(path)["Content-Security-Policy"]


def test_the_chefs_page_carries_the_review_as_data_not_markup(attendee, browser):
    text = '<img src="x" onerror="alert(1)">'
    browser.put(
        "/lab/stolen-from-storage/review/",
        {"text": text},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {attendee.access}",
    )
    page = browser.get("/lab/stolen-from-storage/chef/").content.decode()
    assert '<img src="x"' not in page  # only chef.js puts it in the page
    assert '\\u003Cimg src=\\"x\\" onerror=\\"alert(1)\\"\\u003E' in page


def test_another_attendees_review_never_reaches_your_chef(attendee_for):
    writer, reader = attendee_for(), attendee_for()
    writer.client.put(
        "/lab/stolen-from-storage/review/",
        {"text": "<b>mine</b>"},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {writer.access}",
    )
    reader.client.cookies["delivery_access"] = reader.access
    page = reader.client.get("/lab/stolen-from-storage/chef/").content.decode()
    assert "mine" not in page


def test_the_room_is_for_instructors(browser, instructor, attendee):
    assert browser.get("/lab/room/").status_code == 403
    assert instructor.get("/lab/room/").status_code == 200


def test_the_room_is_its_attendees_and_whoever_solved_something(
    instructor, attendee_for
):
    room = Group.objects.create(name=ROOM_GROUP)
    seated, solver, bystander = attendee_for(), attendee_for(), attendee_for()
    room.user_set.add(seated.user, KitchenUserFactory())
    forged = forgery.alg_none(solver.card(Lab.ALG_NONE))
    solver.broken(Lab.ALG_NONE, forged)
    solver.real(forged)

    page = instructor.get("/lab/room/").content.decode()
    listed = re.findall(r'data-attendee="([^"]+)"', page)
    assert listed == sorted([seated.user.username, solver.user.username])
    assert bystander.user.username not in page
    assert "lab/room.js" in page


def test_the_public_key_is_public(client, db):
    answer = client.get("/lab/algorithm-confusion/public.pem")
    assert answer.status_code == 200
    assert answer.content.startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert answer.content.endswith(b"-----END PUBLIC KEY-----\n")


def test_the_cracking_script_finds_the_secret(attendee):
    card = attendee.card(Lab.WEAK_SECRET)
    result = subprocess.run(
        [sys.executable, STATIC / "crack_hs256.py", card, STATIC / "wordlist.txt"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    assert secret in (STATIC / "wordlist.txt").read_text().split()
    assert forgery.crack(card, [secret]) == secret.encode()
    assert "Found after" in result.stderr


def test_the_room_names_who_solved_nothing_for_ten_minutes(instructor, attendee_for):
    start = timezone.now()
    solved_at = {}
    for minutes in (11, 9):
        with time_machine.travel(start - timedelta(minutes=minutes)):
            person = solved_at[minutes] = attendee_for()
            forged = forgery.alg_none(person.card(Lab.ALG_NONE))
            person.broken(Lab.ALG_NONE, forged)
            person.real(forged)
    early, recent, idle = solved_at[11], solved_at[9], attendee_for()
    Group.objects.create(name=ROOM_GROUP).user_set.add(idle.user)
    with time_machine.travel(start):
        feed = instructor.get("/lab/room/feed/").json()
    assert feed["quiet"] == sorted([early.user.username, idle.user.username])
    assert feed["counts"][Lab.ALG_NONE] == 2
    assert feed["counts"]["lesson-5"] == 2
    by_name = {row["username"]: row for row in feed["attendees"]}
    assert by_name[idle.user.username] == {
        "username": idle.user.username,
        "solved": {},
        "count": 0,
        "last_solved_at": None,
    }
    assert set(by_name[recent.user.username]["solved"]) == {"alg-none", "lesson-5"}


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        '"text"',
        "42",
        "null",
        '{"keys": "x"}',
        '{"keys": [1, 2]}',
        '{"keys": [{"kid": "a", "kty": "RSA", "n": "'
        + "A" * 20000
        + '", "e": "AQAB"}]}',
        '{"keys": [{"kid": "a", "kty": "oct", "k": {"deep": [[[[]]]]}}]}',
        '{"text": ["x"]}',
        '{"text": "' + "x" * 3000 + '"}',
        "{" * 3000,
        "\x00\xff",
    ],
)
def test_no_body_breaks_a_lab_endpoint(attendee, body):
    attendee.client.cookies["delivery_access"] = attendee.access
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {attendee.access}"}
    for method, path in (
        ("put", "/lab/jku/keys/"),
        ("put", "/lab/stolen-from-storage/review/"),
        ("post", "/lab/alg-none/card/"),
        ("post", "/lab/stolen-from-storage/drop/"),
    ):
        answer = getattr(attendee.client, method)(
            path, body, content_type="application/json", **bearer
        )
        assert answer.status_code < 500, (method, path, answer.content[:200])


@pytest.mark.parametrize("owner", ["%00", "a%00b", "x" * 151, "a%2Fb"])
def test_a_key_set_owner_that_no_username_can_be_is_a_404(client, db, owner):
    """Before any query: PostgreSQL refused a NUL byte in the lookup with a 500."""
    response = client.get(f"/lab/jku/{owner}/jwks.json")
    assert response.status_code == 404


def test_the_navigation_links_to_the_labs_while_they_are_on(client, db):
    page = client.get("/").content.decode()
    assert '<a href="/lab/">Labs</a>' in page
