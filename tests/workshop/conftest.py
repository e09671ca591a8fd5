"""One `make workshop` for the slow workshop tests, the session the room had, and a
browser to look at it with."""

import random
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.chromium import EXPECTED_REFUSAL, launched_chromium
from tests.workshop.handout import steps
from tests.workshop.room import (
    ATTENDEES,
    HOST,
    LOGINS_PER_MINUTE,
    SERVERS,
    Failure,
    Room,
    attend,
)
from tests.workshop.servers import ROOT, clean_environment, free_ports, stop

LESSONS_AT_ONCE = range(1, 9)


@pytest.fixture(scope="session")
def room(tmp_path_factory):
    """`make workshop` on 127.0.0.2, its own database and keys; 31 cards handed out."""
    folder = tmp_path_factory.mktemp("room")
    port = free_ports(HOST, SERVERS)
    env = clean_environment(
        DATABASE_URL=f"sqlite:///{folder / 'room.sqlite3'}",
        DEV_SECRETS_FILE=str(folder / "secrets.json"),
        LOGIN_RATE_PER_USERNAME=f"{LOGINS_PER_MINUTE}/min",
    )
    with (folder / "room.log").open("w") as log:
        process = subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                "workshop",
                f"HOST={HOST}",
                f"PORT={port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    room = Room(port=port, folder=folder, env=env, process=process)
    try:
        room.wait_until_ready()
        room.hand_out_cards(ATTENDEES + 1)
        room.baseline = room.table_counts()
        yield room
        room.stop_as_a_terminal_would()
    finally:
        stop(process)


@dataclass
class Session:
    """What the room's attendees got, each running the handout at the same time."""

    commands: dict[str, int]
    failures: dict[str, list[Failure]]
    log: str  # what the servers wrote while the session ran


@pytest.fixture(scope="session")
def session(room) -> Session:
    """Thirty attendees do lessons 1 to 8 at once; a thirty-first does them all.

    Each starts within fifteen seconds of the others, as a room does when told
    "go".
    """
    handout = steps()
    first_eight = [
        step
        for step in handout
        if step.lesson_number is None or step.lesson_number in LESSONS_AT_ONCE
    ]
    usernames = sorted(name for name in room.cards if name.startswith("table-"))
    log_start = room.log.stat().st_size

    def run(username: str):
        plan = handout if username == usernames[-1] else first_eight
        # A room does not press Enter in the same millisecond. On one machine
        # thirty simulated laptops also share its processors: spread over
        # seconds, none of them waits long enough for its 30-second card to
        # expire on the way (lesson 6).
        time.sleep(random.uniform(0, 15))  # noqa: S311 - not a secret
        return attend(
            room,
            plan,
            username=username,
            password=room.cards[username],
            folder=room.folder / "attendees" / username,
        )

    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        results = dict(zip(usernames, pool.map(run, usernames), strict=True))
    return Session(
        commands={name: ran for name, (ran, _) in results.items()},
        failures={name: failures for name, (_, failures) in results.items()},
        log=room.log.read_text()[log_start:],
    )


@pytest.fixture(scope="module")
def chromium():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def open_page(chromium, room):
    """A page of its own for each visitor; nothing from another host, no errors."""
    contexts, problems = [], []

    def open_page(viewport: dict):
        context = chromium.new_context(viewport=viewport, base_url=room.url())
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()

        def on_console(message) -> None:
            if message.type == "error" and not message.text.startswith(
                EXPECTED_REFUSAL
            ):
                problems.append(message.text)

        def on_request(request) -> None:
            if urlsplit(request.url).netloc != urlsplit(room.url()).netloc:
                problems.append(request.url)

        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", on_console)
        page.on("request", on_request)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems == []
