"""The handout runs: every command of docs/workshop.md against a live `make workshop`.

Changing an endpoint without updating the handout fails here. The expiry and the
two-branch lessons run for real: extra server processes and a 30-second wait.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.workshop.handout import missing, steps

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the handout runs on its own SQLite database; once per CI run is enough",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_until_serving(port: int, process: subprocess.Popen, seconds: float = 120):
    deadline = time.monotonic() + seconds
    url = f"http://127.0.0.1:{port}/api/restaurants/"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server on port {port} exited early")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s")


@pytest.fixture
def room(tmp_path):
    """The environment of a workshop room: its own database, no shared cache."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "PORT", "HOST"}
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
    servers: list[subprocess.Popen] = []

    def start(command: str, port: int) -> None:
        log = (tmp_path / f"server-{port}.log").open("w")
        process = subprocess.Popen(  # noqa: S602 - the handout's own command
            command,
            shell=True,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        servers.append(process)
        wait_until_serving(port, process)

    yield env, start
    for process in servers:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


def test_the_handout_has_the_lessons_and_commands():
    lessons = {step.lesson for step in steps()}
    assert len([name for name in lessons if name.startswith("Lesson")]) == 10
    runnable = [step for step in steps() if not step.is_setup and not step.is_server]
    assert all(step.expected for step in runnable), [
        step.command for step in runnable if not step.expected
    ]


def test_every_command_of_the_handout_answers_as_promised(room, tmp_path):
    env, start = room
    for step in steps():
        if step.is_server:
            assert port_is_free(step.port), f"port {step.port} is taken"
    port = free_port()
    start(f"make workshop HOST=127.0.0.1 PORT={port}", port)

    state = tmp_path / "shell-state"
    state.write_text(
        f"export BASE=http://127.0.0.1:{port}\nexport ME=workshop-tester\n"
    )
    for step in steps():
        if step.is_setup:
            continue
        if step.is_server:
            start(step.command.split("\n", 1)[1], step.port)
            continue
        script = f"set -a\n. {state}\n{step.command}\nexport -p > {state}\n"
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        output = (result.stdout + result.stderr).replace("\r", "")
        absent = missing(step.expected, output)
        assert absent is None, (
            f"{step.lesson}: expected {absent!r} in the answer to\n"
            f"{step.command}\n--- got ---\n{output}"
        )
