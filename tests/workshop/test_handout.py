"""The handout runs: every command of docs/workshop.md against a live `make workshop`.

The room listens on 127.0.0.2 and the commands are those of the /workshop/ page,
with the room's addresses filled in. Changing an endpoint without updating the
handout fails here. The expiry lesson waits its 30 seconds for real.
"""

import pytest
from django.db import connection

from tests.workshop.handout import steps

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the room runs on its own SQLite database; once per CI run is enough",
    ),
]


def test_the_handout_has_the_lessons_and_commands():
    lessons = {step.lesson for step in steps()}
    assert len([name for name in lessons if name.startswith("Lesson")]) == 12
    runnable = [step for step in steps() if not step.command.startswith("# setup")]
    assert all(step.expected for step in runnable), [
        step.command for step in runnable if not step.expected
    ]


def test_no_command_names_an_address_of_its_own():
    """Every server is named by a placeholder the page fills, or by a variable."""
    for step in steps():
        if not step.is_for_the_instructor:
            assert "127.0.0.1" not in step.command, step.command
            assert "localhost:8" not in step.command, step.command


def test_every_command_of_the_handout_answers_as_promised(session):
    attendee = max(session.commands)
    handout = [step for step in steps() if not step.is_for_the_instructor]
    assert session.commands[attendee] == len(handout)
    failures = session.failures[attendee]
    assert not failures, "\n\n".join(str(failure) for failure in failures)
