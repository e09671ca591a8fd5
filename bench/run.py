"""``make bench [scenario ...]``: run the bench's scenarios and print their tables.

The scenarios (bench/README.md), all of them when none is named:

- ``card``: what checking the card costs, in one process, against its peers;
- ``endpoints``: every endpoint under wrk on the production profile;
- ``history``: the order lists at 1,000 and at 1,000,000 orders (PostgreSQL);
- ``room``: a hundred attendees and six kitchens on the workshop's server.

Settings, all optional: ``QUICK=1`` (fewer rounds: every scenario in a few
minutes), ``DATABASE_URL`` and ``REDIS_URL`` (PostgreSQL and Redis besides
SQLite), and the scenarios' own (bench/README.md).
"""

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from bench import card, history, load, room
from bench.profiles import RESULTS, Profile, profiles
from bench.wrk import WrkMissing, wrk_path

Scenario = Callable[..., tuple[str, bool]]

SCENARIOS: dict[str, Scenario] = {
    "card": card.scenario,
    "endpoints": load.scenario,
    "history": history.scenario,
    "room": room.scenario,
}
NEEDS_WRK = {"endpoints", "history"}


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def fmt_load(load_average: tuple[float, ...]) -> str:
    return " ".join(f"{value:.2f}" for value in load_average)


def chosen(names: list[str]) -> list[str]:
    """The scenarios named, in the order given; all of them when none is."""
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        raise SystemExit(
            f"Unknown bench scenario(s): {', '.join(unknown)}. "
            f"Choose from: {', '.join(SCENARIOS)}."
        )
    return names or list(SCENARIOS)


def main(argv: list[str]) -> int:
    names = chosen(argv)
    if NEEDS_WRK & set(names):
        try:
            wrk_path()
        except WrkMissing as exc:
            print(exc, file=sys.stderr)
            return 1
    quick = env_flag("QUICK")
    databases: list[Profile] = profiles()
    started = datetime.now(tz=UTC).isoformat(timespec="seconds")
    print(
        f"==> bench {' '.join(names)}{' (QUICK)' if quick else ''}, {started}, "
        f"load average {fmt_load(os.getloadavg())}, on "
        + ", ".join(profile.label for profile in databases),
        flush=True,
    )
    verdicts = {}
    for name in names:
        text, met = SCENARIOS[name](databases, quick=quick)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{name}.txt").write_text(text + "\n")
        print(f"\n{text}\n", flush=True)
        verdicts[name] = met
    print(
        "targets: "
        + ", ".join(
            f"{name} {'met' if met else 'MISSED'}" for name, met in verdicts.items()
        )
        + f"; load average now {fmt_load(os.getloadavg())}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
