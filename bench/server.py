"""The server under load: gunicorn with the project's production configuration."""

import contextlib
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.profiles import ROOT

FLOOR_PATH = "/bench/floor/"


@dataclass(frozen=True)
class Server:
    """A running server: where it answers, and its master's process id."""

    base_url: str
    pid: int
    workers: int


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str],
    *,
    port: int,
    log: Path,
    workers: int = 2,
    options: Sequence[str] = (),
) -> Iterator[Server]:
    """Serve the project as in production until the block ends.

    The production settings (``delivery/gunicorn.py``, access log included), with
    ``workers`` sync workers and none replaced after its thousandth request, which
    would take place every second or so under load and be measured instead.
    """
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config",
        "python:delivery.gunicorn",
        "--workers",
        str(workers),
        "--max-requests",
        "0",
        *options,
        "--bind",
        f"127.0.0.1:{port}",
        "delivery.wsgi:application",
    ]
    with serve(command, env, port=port, log=log, workers=workers) as server:
        yield server


@contextlib.contextmanager
def serve(
    command: Sequence[str], env: dict[str, str], *, port: int, log: Path, workers: int
) -> Iterator[Server]:
    """Run a server's command until the block ends, once it answers on ``port``."""
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(base_url, server, log)
            yield Server(base_url=base_url, pid=server.pid, workers=workers)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def wait_until_serving(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base_url + FLOOR_PATH, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base_url} in 30 s")


def wait_until_idle(server: Server) -> None:
    """Wait for the requests left queued when a load stopped.

    wrk stops sending, but up to one request per connection is still waiting in
    the server's queue: for logins, seconds of work that would otherwise be
    charged to what comes next. A request sent now is served after them.
    """
    for _ in range(server.workers):
        with urllib.request.urlopen(server.base_url + FLOOR_PATH, timeout=120):
            pass
