"""Run wrk, the HTTP load generator, and read its figures."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"
MARKER = "BENCH-JSON "


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class WrkRun:
    """What one wrk run measured (latencies in milliseconds)."""

    requests: int
    seconds: float
    non_2xx_3xx: int
    socket_errors: int
    timeouts: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + self.socket_errors + self.timeouts

    @property
    def successes(self) -> int:
        return self.requests - self.non_2xx_3xx


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkMissing(
            "make bench needs wrk, the HTTP load generator: apt-get install wrk"
        )
    return path


def run_wrk(
    url: str,
    *,
    script: str,
    headers: dict[str, str],
    seconds: int,
    connections: int,
    env: dict[str, str] | None = None,
) -> WrkRun:
    """Load ``url`` for ``seconds`` with ``connections`` open connections.

    One wrk thread is plenty for a few thousand requests/s, and leaves the
    machine's other core to the server.
    """
    command = [
        wrk_path(),
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        # Logins take a while (the password hash): a slow answer is not an error.
        "--timeout",
        "30s",
        "--script",
        script,
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    command.append(url)
    # The scripts load report.lua by a relative path, and read their inputs from
    # environment variables.
    finished = subprocess.run(
        command,
        cwd=LUA_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(
        (row for row in finished.stdout.splitlines() if row.startswith(MARKER)), None
    )
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{finished.stdout}")
    figures = json.loads(line.removeprefix(MARKER))
    return WrkRun(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        non_2xx_3xx=figures["non_2xx_3xx"],
        socket_errors=figures["socket_errors"],
        timeouts=figures["timeouts"],
        p50_ms=figures["p50_us"] / 1000,
        p90_ms=figures["p90_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
    )
