"""A workshop room for the tests: `make workshop` on 127.0.0.2, and its attendees.

The room listens on a loopback address other than 127.0.0.1, and every command is
sent there: a command or a server that still assumes 127.0.0.1 fails.
"""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from teaching.room.addresses import fill_placeholders
from tests.workshop.handout import Step, missing
from tests.workshop.servers import ROOT, Visitor

HOST = "127.0.0.2"
SERVERS = 6
ATTENDEES = 30
# The handout logs each attendee in six times at $BASE (lessons 3, 8, 11 and 12's
# two devices). A room takes an hour and more over them, this session seconds, so
# the room's limit of 5 logins a minute per username would refuse the sixth. The
# room's servers get a few more here; the reset test still reaches the limit.
LOGINS_PER_MINUTE = 8
CARD = re.compile(r"Username  (\S+)\s+\|\n\| Password  (\S+)")
READY = "Ctrl-C stops every server."
START_TIMEOUT = 240


@dataclass
class Room:
    """A running `make workshop`, what it was started with and the cards it gave."""

    port: int
    folder: Path
    env: dict[str, str]
    process: subprocess.Popen
    cards: dict[str, str] = field(default_factory=dict)
    baseline: dict[str, int] = field(default_factory=dict)  # rows of every table

    @property
    def log(self) -> Path:
        return self.folder / "room.log"

    @property
    def database(self) -> Path:
        return self.folder / "room.sqlite3"

    @property
    def secrets(self) -> dict[str, str]:
        return json.loads((self.folder / "secrets.json").read_text())

    def url(self, offset: int = 0) -> str:
        return f"http://{HOST}:{self.port + offset}"

    def make(self, target: str, *variables: str, timeout: float = 300) -> str:
        """Run a make target of the room, as the instructor does in a terminal."""
        result = subprocess.run(
            [
                "make",
                "--no-print-directory",
                target,
                f"HOST={HOST}",
                f"PORT={self.port}",
                *variables,
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, f"make {target}:\n{result.stdout}{result.stderr}"
        return result.stdout

    def hand_out_cards(self, attendees: int) -> None:
        self.cards = dict(
            CARD.findall(self.make("workshop-accounts", f"N={attendees}"))
        )
        assert len(self.cards) >= attendees

    def wait_until_ready(self, since: int = 0) -> None:
        """Until the banner (after ``since`` bytes of the log) says the room is up."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            text = self.log.read_text()[since:]
            if READY in text or "The room is ready again." in text:
                return
            if self.process.poll() is not None:
                raise AssertionError(f"make workshop stopped:\n{self.log.read_text()}")
            time.sleep(0.3)
        raise AssertionError(f"the room did not start:\n{self.log.read_text()}")

    def launcher(self) -> int:
        """The process id of `manage.py workshop`, which make started."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                command = (stat.parent / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if int(fields[2]) == self.process.pid and b"workshop" in command[-2:]:
                return int(stat.parent.name)
        raise AssertionError("manage.py workshop is not running")

    def stop_as_a_terminal_would(self) -> None:
        """SIGTERM to the launcher alone: it must stop every server it started."""
        os.kill(self.launcher(), signal.SIGTERM)
        self.process.wait(timeout=60)
        assert "==> Stopping the room" in self.log.read_text()
        for offset in range(SERVERS):
            with socket.socket() as probe:
                assert probe.connect_ex((HOST, self.port + offset)) != 0, offset

    def table_counts(self) -> dict[str, int]:
        """Rows in every table of the room's database."""
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }

    def log_in(self, username: str, password: str, offset: int = 0):
        return Visitor(self.url(offset)).call(
            "POST", "/api/auth/token/", {"username": username, "password": password}
        )


@dataclass
class Failure:
    lesson: str
    command: str
    absent: str
    output: str

    def __str__(self) -> str:
        return (
            f"{self.lesson}: expected {self.absent!r} in the answer to\n"
            f"{self.command}\n--- got ---\n{self.output}"
        )


def attend(
    room: Room,
    steps: list[Step],
    *,
    username: str,
    password: str,
    folder: Path,
) -> tuple[int, list[Failure]]:
    """Run the handout's commands as one attendee would, in a terminal of their own.

    Returns how many commands ran and the ones whose answer broke a promise.
    """
    folder.mkdir(parents=True, exist_ok=True)
    state = folder / "shell-state"
    state.write_text("")
    env = {key: value for key, value in room.env.items() if key != "DATABASE_URL"}
    ran, failures = 0, []
    for step in steps:
        if step.is_for_the_instructor:
            continue
        command = fill_placeholders(
            step.command, scheme="http", host=HOST, port=room.port
        )
        if step.is_attendee_setup:
            command += f"\nexport ME={username} PASSWORD={password}"
        script = f"set -a\n. {state}\n{command}\nexport -p > {state}\n"
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        ran += 1
        output = (result.stdout + result.stderr).replace("\r", "")
        expected = [
            fill_placeholders(piece, scheme="http", host=HOST, port=room.port)
            for piece in step.expected
        ]
        absent = missing(expected, output)
        if absent is not None:
            failures.append(Failure(step.lesson, command, absent, output))
    return ran, failures
