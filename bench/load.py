"""The endpoints scenario: every endpoint under wrk, on the production profile.

For each database the driver:

1. makes a fresh bench database and prepares it (``bench.prepare``): demo data,
   alice's orders, tokens, a session, and the query count of every endpoint;
2. starts gunicorn as in production (DEBUG off, 2 sync workers, strong random
   keys), with the bench-only baselines routed (``bench.settings``);
3. sends a few requests to each endpoint to warm the workers up;
4. loads each endpoint with wrk, in interleaved rounds (every endpoint once per
   round, the order reversed every other round), so that a slower minute of a
   shared machine touches every endpoint alike;
5. accounts for every order placed under load (``bench.ledger``).

The table is for information; the one target is that every order placed at 16
connections on PostgreSQL is accounted for. ``BENCH_ONLY`` (endpoint names, comma
separated) loads a subset.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from bench import report
from bench.cpu import workers_cpu_seconds
from bench.endpoints import WARMUP_REQUESTS, Endpoint, selected
from bench.ledger import OrderLedger, account
from bench.profiles import ROOT, Profile, free_port, fresh_database, server_env
from bench.server import Server, gunicorn, wait_until_idle
from bench.wrk import WrkRun, run_wrk

SCENARIO = "endpoints"
CONNECTIONS = 16
WORKERS = 2
# Refresh tokens signed per wrk run of the refresh endpoint, per second of load:
# comfortably more than this machine can rotate.
REFRESH_TOKENS_PER_SECOND = 600


def prepare(
    profile: Profile, env: dict[str, str], host: str, *, pools: int, seconds: int
) -> dict:
    out = profile.out(SCENARIO)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.prepare",
            "--out",
            str(out),
            "--host",
            host,
            "--pools",
            str(pools),
            "--pool-size",
            str(REFRESH_TOKENS_PER_SECOND * seconds),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads((out / "fixtures.json").read_text())


def headers_for(endpoint: Endpoint, fixtures: dict) -> dict[str, str]:
    if endpoint.credentials == "etag":
        return {"If-None-Match": fixtures["menu_etag"]}
    return dict(fixtures["headers"].get(endpoint.credentials, {}))


def url_for(server: Server, endpoint: Endpoint, fixtures: dict) -> str:
    return server.base_url + endpoint.path.format(order_id=fixtures["order_id"])


def body_for(endpoint: Endpoint, fixtures: dict, note: str = "warm-up") -> str | None:
    body = fixtures["bodies"].get(endpoint.body)
    if body is not None and endpoint.name == "place-order":
        return body % note
    return body


def warm_up(server: Server, endpoints: tuple[Endpoint, ...], fixtures: dict) -> None:
    """A few requests to every endpoint, so that both workers have loaded
    everything lazily loaded (URL patterns, serializers, the menu cache)."""
    refresh_tokens = iter(Path(fixtures["warmup_pool"]).read_text().split())
    for endpoint in endpoints:
        times = 2 if endpoint.name == "login" else WARMUP_REQUESTS
        for _ in range(times):
            if endpoint.name == "refresh":
                body = json.dumps({"refresh": next(refresh_tokens)})
            else:
                body = body_for(endpoint, fixtures)
            request = urllib.request.Request(
                url_for(server, endpoint, fixtures),
                method=endpoint.method,
                data=body.encode() if body else None,
                headers={**headers_for(endpoint, fixtures)}
                | ({"Content-Type": "application/json"} if body else {}),
            )
            try:
                with urllib.request.urlopen(request, timeout=30):
                    pass
            except urllib.error.HTTPError as answer:
                if answer.code != 304:
                    raise RuntimeError(
                        f"{endpoint.name}: {answer.code} during the warm-up"
                    ) from answer


def load(
    server: Server,
    endpoint: Endpoint,
    fixtures: dict,
    *,
    seconds: int,
    refresh_pool: str,
    placement: tuple[str, Path] | None,
) -> WrkRun:
    env = dict(os.environ)
    if endpoint.body:
        env["BENCH_BODY"] = fixtures["bodies"][endpoint.body]
    if endpoint.name == "refresh":
        env["BENCH_TOKENS"] = refresh_pool
    if placement is not None:
        env["BENCH_RUN"], answers = placement[0], placement[1]
        env["BENCH_ANSWERS"] = str(answers)
    return run_wrk(
        url_for(server, endpoint, fixtures),
        script=endpoint.script,
        headers=headers_for(endpoint, fixtures),
        seconds=seconds,
        connections=endpoint.connections or CONNECTIONS,
        env=env,
    )


def bench_profile(
    profile: Profile, endpoints: tuple[Endpoint, ...], *, rounds: int, seconds: int
) -> report.ProfileResult:
    print(f"==> {profile.label}: a fresh database, demo data, tokens, query counts")
    fresh_database(profile, SCENARIO)
    out = profile.out(SCENARIO)
    port = free_port()
    env = server_env(profile, SCENARIO)
    fixtures = prepare(profile, env, f"127.0.0.1:{port}", pools=rounds, seconds=seconds)
    ledger = OrderLedger(profile.database_url(SCENARIO))
    runs: dict[str, list[report.Round]] = {endpoint.name: [] for endpoint in endpoints}
    placements = []
    load_before = os.getloadavg()
    with gunicorn(env, port=port, log=out / "gunicorn.log", workers=WORKERS) as server:
        warm_up(server, endpoints, fixtures)
        for round_number in range(rounds):
            order = endpoints if round_number % 2 == 0 else endpoints[::-1]
            print(
                f"==> {profile.label}: endpoints, round {round_number + 1} of {rounds}"
            )
            for endpoint in order:
                placement = None
                if endpoint.name == "place-order":
                    placement = (
                        f"bench-{round_number}-",
                        out / f"placed-{round_number}",
                    )
                cpu_before = workers_cpu_seconds(server.pid)
                run = load(
                    server,
                    endpoint,
                    fixtures,
                    seconds=seconds,
                    refresh_pool=fixtures["refresh_pools"][round_number],
                    placement=placement,
                )
                cpu = workers_cpu_seconds(server.pid) - cpu_before
                runs[endpoint.name].append(report.Round(wrk=run, cpu_seconds=cpu))
                wait_until_idle(server)
                if placement is not None:
                    ledger.settle()
                    placements.append(
                        account(
                            answered_ids=[
                                int(line) for line in placement[1].read_text().split()
                            ],
                            notes_by_id=ledger.notes_by_id(placement[0]),
                            connections=CONNECTIONS,
                        )
                    )
                if endpoint.method != "GET":
                    ledger.analyze()
    return report.ProfileResult(
        name=profile.name,
        label=profile.label,
        runs=runs,
        queries=fixtures["queries"],
        placements=placements,
        unbalanced_orders=ledger.unbalanced(),
        load_before=load_before,
        load_after=os.getloadavg(),
    )


def scenario(profiles: list[Profile], *, quick: bool) -> tuple[str, bool]:
    """Run the endpoints scenario; its table, and whether its target held."""
    rounds = int(os.environ.get("BENCH_ROUNDS") or (1 if quick else 8))
    # QUICK=1: SQLite only, one round.
    profiles = profiles[:1] if quick else profiles
    seconds = int(os.environ.get("BENCH_SECONDS") or 2)
    endpoints = selected(os.environ.get("BENCH_ONLY", ""))
    results = [
        bench_profile(profile, endpoints, rounds=rounds, seconds=seconds)
        for profile in profiles
    ]
    settings = {
        "rounds": rounds,
        "seconds": seconds,
        "connections": CONNECTIONS,
        "workers": WORKERS,
    }
    out = profiles[0].out(SCENARIO).parent
    report.write_json(out / "endpoints.json", results, settings=settings)
    report.write_chart(out / "endpoints.png", results)
    table = report.render(results, settings=settings)
    return (
        table + f"\nWritten: {out / 'endpoints.json'} and {out / 'endpoints.png'}",
        report.targets_met(results),
    )
