"""The history scenario: the order lists at 1,000 and at 1,000,000 orders.

On PostgreSQL (with Redis when ``REDIS_URL`` is set), two databases are made and
filled in SQL (``bench.history_data``): one with a history of 1,000 orders, one
with 1,000,000. A production-profile server (gunicorn, ``DEBUG`` off) serves
each, and wrk loads the lists on both in interleaved rounds: every list on the
small history then on the large one (the other way round every other round), so
that a slower minute of the machine touches both sizes alike. Then PostgreSQL
explains every query of every list at the large size (``bench.plans``).

Targets: every list's p50 and p99 at 1,000,000 orders within 1.5 times its own at
1,000; no plan at the large size reads more rows than it returns, give or take a
page.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.history_data import CUSTOMER, build
from bench.ledger import OrderLedger
from bench.plans import PlanVerdict, explain, judge
from bench.profiles import ROOT, Profile, free_port, fresh_database, server_env
from bench.server import Server, gunicorn, wait_until_idle
from bench.wrk import WrkRun, run_wrk

SCENARIO = "history"
SIZES = {"small": 1_000, "large": 1_000_000}
# QUICK=1: a large history of a tenth of the size, built in a few seconds.
QUICK_LARGE = 100_000
CONNECTIONS = 4
WORKERS = 2
PAGE_SIZE = 20
# A list's p50 and p99 at the large size, over its own at the small size.
AT_MOST = 1.5
DEEP_PAGE = 50


@dataclass(frozen=True)
class Target:
    """One request of the scenario."""

    name: str
    user: str
    about: str
    is_list: bool
    # Measured at the large size against this one's figures at the small size,
    # when the small history has no such page.
    fallback: str = ""


TARGETS = (
    Target("board", "chef", "the kitchen board as it opens", True),
    Target("board-placed", "chef", "the board filtered: ?status=placed", True),
    Target("board-history", "chef", "the whole history: ?show=all", True),
    Target("page-1", CUSTOMER, "a customer's own orders, first page", True),
    Target(
        "page-50",
        CUSTOMER,
        "the same customer's fiftieth page (next links followed)",
        True,
        fallback="page-1",
    ),
    Target("order", CUSTOMER, "one of the customer's orders (their oldest)", False),
)
FIRST_PATHS = {
    "board": "/api/kitchen/orders/",
    "board-placed": "/api/kitchen/orders/?status=placed",
    "board-history": "/api/kitchen/orders/?show=all",
    "page-1": "/api/orders/",
}


@dataclass
class Size:
    """One history: its database, its server, its credentials and its lists."""

    key: str
    orders: int
    database_url: str
    env: dict[str, str]
    built: dict[str, int] = field(default_factory=dict)
    build_seconds: float = 0.0
    tokens: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    server: Server | None = None
    runs: dict[str, list[WrkRun]] = field(default_factory=dict)

    def running(self) -> Server:
        if self.server is None:
            raise RuntimeError(f"The {self.orders:,}-order server is not running.")
        return self.server


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(profile: Profile, key: str, orders: int, out: Path) -> Size:
    """A fresh database with the demo data and a history of ``orders`` orders."""
    scenario = f"{SCENARIO}_{key}"
    fresh_database(profile, scenario)
    env = server_env(profile, scenario)
    size = Size(key, orders, profile.database_url(scenario), env)
    print(f"==> history: {orders:,} orders, migrations and demo data", flush=True)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "seed_demo", "--force", "--verbosity", "0")
    print(f"==> history: building {orders:,} orders in SQL", flush=True)
    started = time.monotonic()
    size.built = build(size.database_url, orders=orders)
    size.build_seconds = time.monotonic() - started
    tokens = out / f"tokens-{key}.json"
    subprocess.run(
        [sys.executable, "-m", "bench.tokens", "--out", str(tokens), CUSTOMER, "chef"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    size.tokens = json.loads(tokens.read_text())
    return size


def get(server: Server, path: str, token: str) -> dict:
    request = urllib.request.Request(
        server.base_url + path, headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.load(answer)


def relative(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def discover(size: Size) -> None:
    """The path of every request: the fiftieth page by following ``next`` links
    from the first (page numbers or cursors alike), and the customer's oldest
    order. A warm-up for both workers as well."""
    server = size.running()
    size.paths = dict(FIRST_PATHS)
    token = size.tokens[CUSTOMER]
    path = FIRST_PATHS["page-1"]
    for _ in range(DEEP_PAGE - 1):
        following = get(server, path, token).get("next")
        if not following:
            path = ""
            break
        path = relative(following)
    if path:
        size.paths["page-50"] = path
    with OrderLedger(size.database_url).cursor() as cursor:
        cursor.execute(
            "SELECT min(o.id) FROM orders_order o JOIN accounts_user u "
            "ON u.id = o.customer_id WHERE u.username = %s",
            (CUSTOMER,),
        )
        size.paths["order"] = f"/api/orders/{cursor.fetchone()[0]}/"
    for target in TARGETS:
        if target.name in size.paths:
            for _ in range(2 * WORKERS):
                get(server, size.paths[target.name], size.tokens[target.user])


def load(size: Size, target: Target, seconds: int) -> WrkRun:
    return run_wrk(
        size.running().base_url + size.paths[target.name],
        script="get.lua",
        headers={"Authorization": f"Bearer {size.tokens[target.user]}"},
        seconds=seconds,
        connections=CONNECTIONS,
    )


@dataclass(frozen=True)
class Figures:
    """One request at one size: the medians of its rounds."""

    p50_ms: float
    p99_ms: float
    requests_per_second: float
    errors: int
    timeouts: int

    @classmethod
    def of(cls, runs: list[WrkRun]) -> "Figures":
        return cls(
            p50_ms=statistics.median(run.p50_ms for run in runs),
            p99_ms=statistics.median(run.p99_ms for run in runs),
            requests_per_second=statistics.median(
                run.requests_per_second for run in runs
            ),
            errors=sum(run.errors for run in runs),
            timeouts=sum(run.timeouts for run in runs),
        )


@dataclass(frozen=True)
class Growth:
    """A list at the large size over the same (or its fallback) at the small."""

    name: str
    against: str
    p50: float
    p99: float

    @property
    def met(self) -> bool:
        return self.p50 <= AT_MOST and self.p99 <= AT_MOST


def growth(small: dict[str, Figures], large: dict[str, Figures]) -> list[Growth]:
    """Every list's growth from the small history to the large one."""
    found = []
    for target in TARGETS:
        if not target.is_list or target.name not in large:
            continue
        against = target.name if target.name in small else target.fallback
        if against not in small:
            continue
        before, after = small[against], large[target.name]
        found.append(
            Growth(
                target.name,
                against,
                after.p50_ms / before.p50_ms,
                after.p99_ms / before.p99_ms,
            )
        )
    return found


@dataclass(frozen=True)
class Plan:
    """One query of one list at the large size, explained and judged."""

    request: str
    number: int
    text: str
    verdict: PlanVerdict


def plans(size: Size, out: Path) -> list[Plan]:
    """Every query of every list at this size, explained by PostgreSQL."""
    requests = [
        {"name": t.name, "user": t.user, "path": size.paths[t.name]}
        for t in TARGETS
        if t.is_list and t.name in size.paths
    ]
    (out / "requests.json").write_text(json.dumps(requests))
    (out / "tokens.json").write_text(json.dumps(size.tokens))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.plans",
            "--requests",
            str(out / "requests.json"),
            "--tokens",
            str(out / "tokens.json"),
            "--host",
            urlsplit(size.running().base_url).netloc,
            "--out",
            str(out / "queries.json"),
        ],
        cwd=ROOT,
        env=size.env,
        check=True,
    )
    found = []
    for name, queries in json.loads((out / "queries.json").read_text()).items():
        for number, sql in enumerate(queries, start=1):
            text, explained = explain(size.database_url, sql)
            found.append(Plan(name, number, text, judge(explained, page=PAGE_SIZE)))
    return found


def render(
    small: Size,
    large: Size,
    figures: dict[str, dict[str, Figures]],
    grown: list[Growth],
    explained: list[Plan],
    *,
    label: str,
    rounds: int,
    seconds: int,
    load_before: tuple[float, ...],
    load_after: tuple[float, ...],
) -> str:
    lines = [
        f"History on {label}: gunicorn with {WORKERS} sync workers, wrk with "
        f"{CONNECTIONS} connections, {rounds} round(s) of {seconds} s per request and "
        "size, the sizes interleaved; medians of the rounds.",
    ]
    for size in (small, large):
        built = size.built
        lines.append(
            f"{size.orders:>9,} orders built in {size.build_seconds:.1f} s: "
            f"{built['lines']:,} lines, Mario's {built['marios']:,}, "
            f"alice {built['alice']:,}, still in a kitchen {built['active']:,}, "
            f"delivered {built['delivered']:,}"
        )
    head = f"{'request':<16}"
    for size in (small, large):
        head += f"{f'{size.orders:,}: p50':>16}{'p99':>8}{'req/s':>7}{'err':>5}"
    lines += ["", head + f"{'p50 x':>8}{'p99 x':>7}  target"]
    by_name = {g.name: g for g in grown}
    for target in TARGETS:
        row = f"{target.name:<16}"
        for size in (small, large):
            found = figures[size.key].get(target.name)
            if found is None:
                row += f"{'-':>16}{'-':>8}{'-':>7}{'-':>5}"
            else:
                row += (
                    f"{found.p50_ms:>16.1f}{found.p99_ms:>8.1f}"
                    f"{found.requests_per_second:>7.0f}"
                    f"{found.errors + found.timeouts:>5}"
                )
        grew = by_name.get(target.name)
        if grew is None:
            row += f"{'':>15}  {target.about}"
        else:
            verdict = "PASS" if grew.met else "MISS"
            against = "" if grew.against == target.name else f" (vs {grew.against})"
            row += (
                f"{grew.p50:>8.2f}{grew.p99:>7.2f}  {verdict} <= {AT_MOST}"
                f"{against}: {target.about}"
            )
        lines.append(row)
    lines += [
        "",
        f"Query plans at {large.orders:,} orders (EXPLAIN ANALYZE). A plan passes "
        f"when no node reads more rows than the query returns, give or take a page "
        f"({PAGE_SIZE}).",
    ]
    for plan in explained:
        verdict = "PASS" if plan.verdict.met else "MISS"
        lines += [
            "",
            f"{plan.request}, query {plan.number}: {plan.verdict.summary()}: {verdict}",
            *("    " + line for line in plan.text.splitlines()),
        ]
    failed = [f"{g.name} grows {max(g.p50, g.p99):.2f} x" for g in grown if not g.met]
    failed += [
        f"{p.request} query {p.number} reads {p.verdict.most.examined:,} rows"
        for p in explained
        if not p.verdict.met and p.verdict.most
    ]
    errors = sum(f.errors + f.timeouts for by in figures.values() for f in by.values())
    lines += [
        "",
        f"errors and timeouts: {errors}",
        "history targets: " + ("MISSED: " + "; ".join(failed) if failed else "all met"),
        f"load average: before {' '.join(f'{v:.2f}' for v in load_before)}, "
        f"after {' '.join(f'{v:.2f}' for v in load_after)}",
    ]
    return "\n".join(lines)


def scenario(profiles: list[Profile], *, quick: bool) -> tuple[str, bool]:
    """Run the history scenario on PostgreSQL; its tables and whether it met its
    targets."""
    postgresql = [profile for profile in profiles if profile.is_postgresql]
    if not postgresql:
        return (
            "history: skipped, it needs PostgreSQL (DATABASE_URL=postgres://...).",
            True,
        )
    profile = postgresql[0]
    rounds = int(os.environ.get("BENCH_HISTORY_ROUNDS") or (2 if quick else 6))
    seconds = int(os.environ.get("BENCH_SECONDS") or (2 if quick else 3))
    out = profile.out(SCENARIO)
    out.mkdir(parents=True, exist_ok=True)
    sizes = dict(SIZES, large=QUICK_LARGE) if quick else SIZES
    small, large = (prepare(profile, key, orders, out) for key, orders in sizes.items())
    runs: dict[str, dict[str, list[WrkRun]]] = {small.key: {}, large.key: {}}
    load_before = os.getloadavg()
    with ExitStack() as stack:
        for size in (small, large):
            port = free_port()
            size.server = stack.enter_context(
                gunicorn(
                    size.env,
                    port=port,
                    log=out / f"gunicorn-{size.key}.log",
                    workers=WORKERS,
                )
            )
            discover(size)
        for number in range(rounds):
            print(f"==> history: round {number + 1} of {rounds}", flush=True)
            order = (small, large) if number % 2 == 0 else (large, small)
            for target in TARGETS:
                for size in order:
                    if target.name not in size.paths:
                        continue
                    run = load(size, target, seconds)
                    runs[size.key].setdefault(target.name, []).append(run)
                    wait_until_idle(size.running())
        print("==> history: explaining the lists' queries", flush=True)
        explained = plans(large, out)
    figures = {
        key: {name: Figures.of(series) for name, series in by.items()}
        for key, by in runs.items()
    }
    grown = growth(figures[small.key], figures[large.key])
    text = render(
        small,
        large,
        figures,
        grown,
        explained,
        label=profile.label,
        rounds=rounds,
        seconds=seconds,
        load_before=load_before,
        load_after=os.getloadavg(),
    )
    errors = sum(f.errors + f.timeouts for by in figures.values() for f in by.values())
    met = (
        all(g.met for g in grown)
        and all(p.verdict.met for p in explained)
        and errors == 0
    )
    return text, met
