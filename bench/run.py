"""``make bench``: the production profile under load, endpoint by endpoint.

For each database (SQLite always; PostgreSQL too when ``DATABASE_URL`` names one)
the driver:

1. makes a fresh bench database and prepares it (``bench.prepare``): demo data,
   alice's orders, tokens, a session, and the query count of every endpoint;
2. starts gunicorn as in production (DEBUG off, 2 sync workers, strong random
   keys), with the bench-only baselines routed (``bench.settings``);
3. sends a few requests to each endpoint to warm the workers up;
4. loads each endpoint with wrk, in interleaved rounds (every endpoint once per
   round, the order reversed every other round), so that a slower minute of a
   shared machine touches every endpoint alike;
5. counts the orders written while order placement was loaded.

Then it prints one table with the ratios and writes ``bench.json`` and
``bench.png`` to ``bench/results/``.

Settings, all optional: ``QUICK=1`` (one round of 2 s, SQLite only: under a
minute), ``BENCH_ROUNDS``, ``BENCH_SECONDS``, ``BENCH_PORT`` (default 8200) and
``BENCH_ONLY`` (endpoint names, comma separated, e.g. ``orders-jwt,orders-session``).
"""

import contextlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import report
from bench.cpu import workers_cpu_seconds
from bench.endpoints import WARMUP_REQUESTS, Endpoint, selected
from bench.wrk import WrkMissing, WrkRun, run_wrk, wrk_path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CONNECTIONS = 16
WORKERS = 2
# Refresh tokens signed per wrk run of the refresh endpoint, per second of load:
# comfortably more than this machine can rotate.
REFRESH_TOKENS_PER_SECOND = 600
# The bench database on the PostgreSQL server named by DATABASE_URL.
POSTGRES_BENCH_DATABASE = "delivery_bench"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Profile:
    """One database to bench, with the server's address."""

    name: str
    label: str
    database_url: str
    redis_url: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def out(self) -> Path:
        return RESULTS / self.name


def profiles(*, quick: bool, port: int) -> list[Profile]:
    """SQLite (a fresh file, the default local-memory cache); then PostgreSQL with
    Redis, as in production, when DATABASE_URL and REDIS_URL name them."""
    sqlite_file = RESULTS / "sqlite" / "bench.sqlite3"
    chosen = [
        Profile("sqlite", "SQLite", f"sqlite:///{sqlite_file}", "", port),
    ]
    database_url = os.environ.get("DATABASE_URL", "")
    if not quick and database_url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(database_url)
        bench_url = urlunsplit(parts._replace(path=f"/{POSTGRES_BENCH_DATABASE}"))
        redis_url = os.environ.get("REDIS_URL", "")
        label = "PostgreSQL+Redis" if redis_url else "PostgreSQL"
        chosen.append(Profile("postgresql", label, bench_url, redis_url, port + 1))
    return chosen


def server_env(profile: Profile) -> dict[str, str]:
    """The production profile: DEBUG off and strong keys made for this run alone.

    Only what the bench sets reaches the server (plus PATH and the locale), so a
    developer's own variables cannot change the figures. HTTPS redirection is off
    (wrk speaks plain HTTP on loopback), and the login throttles are raised so that
    they do not hide the cost of the password hash.
    """
    env = {
        name: os.environ[name]
        for name in ("PATH", "HOME", "LANG", "LC_ALL")
        if name in os.environ
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "JWT_SIGNING_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": profile.database_url,
            "LOGIN_RATE_PER_USERNAME": "1000000/min",
            "LOGIN_RATE_PER_ADDRESS": "1000000/min",
            # Long enough for the whole run: the access tokens are signed once.
            "JWT_ACCESS_TOKEN_LIFETIME": "7200",
            "LOG_LEVEL": "WARNING",
        }
    )
    if profile.redis_url:
        env["REDIS_URL"] = profile.redis_url
    return env


def fresh_database(profile: Profile) -> None:
    """Start from nothing each time, so that runs compare."""
    profile.out.mkdir(parents=True, exist_ok=True)
    for stale in profile.out.iterdir():
        stale.unlink()
    if profile.name != "postgresql":
        return
    import psycopg

    maintenance = urlunsplit(urlsplit(profile.database_url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            f"DROP DATABASE IF EXISTS {POSTGRES_BENCH_DATABASE} WITH (FORCE)"
        )
        connection.execute(f"CREATE DATABASE {POSTGRES_BENCH_DATABASE}")


def prepare(profile: Profile, env: dict[str, str], *, pools: int, seconds: int) -> dict:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.prepare",
            "--out",
            str(profile.out),
            "--host",
            f"127.0.0.1:{profile.port}",
            "--pools",
            str(pools),
            "--pool-size",
            str(REFRESH_TOKENS_PER_SECOND * seconds),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads((profile.out / "fixtures.json").read_text())


@contextlib.contextmanager
def gunicorn(profile: Profile, env: dict[str, str]) -> Iterator[int]:
    """Serve the project as in production until the block ends; yield the master's
    process id."""
    log = (profile.out / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            # The production settings (access log included), with two changes:
            # two workers, and none replaced after its thousandth request, which
            # would take place every second or so here and be measured instead.
            "--config",
            "python:delivery.gunicorn",
            "--workers",
            str(WORKERS),
            "--max-requests",
            "0",
            "--bind",
            f"127.0.0.1:{profile.port}",
            "delivery.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_serving(profile, server)
        yield server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def wait_until_idle(profile: Profile) -> None:
    """Wait for the requests left queued when wrk stopped, before the next run.

    wrk stops sending, but up to one request per connection is still waiting in
    the server's queue: for logins, seconds of work that would otherwise be
    charged to the next endpoint. A request sent now is served after them.
    """
    for _ in range(WORKERS):
        with urllib.request.urlopen(f"{profile.base_url}/bench/floor/", timeout=120):
            pass


def wait_until_serving(profile: Profile, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = (profile.out / "gunicorn.log").read_text()
            raise RuntimeError(f"gunicorn stopped:\n{log}")
        try:
            with urllib.request.urlopen(f"{profile.base_url}/bench/floor/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {profile.base_url} in 30 s")


class OrderLedger:
    """The bench's own access to the database: counts orders straight from it, to
    check placement afterwards, and keeps the planner's statistics current."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    @contextlib.contextmanager
    def cursor(self):
        if self.profile.name == "postgresql":
            import psycopg

            with psycopg.connect(self.profile.database_url) as connection:
                yield connection.cursor()
        else:
            path = urlsplit(self.profile.database_url).path
            connection = sqlite3.connect(path.removeprefix("/"), timeout=30)
            try:
                yield connection.cursor()
            finally:
                connection.close()

    def count(self) -> int:
        with self.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM orders_order")
            return cursor.fetchone()[0]

    def settled_count(self) -> int:
        """The count once the orders still in flight are written: unchanged for a
        quarter of a second (a worker may still be finishing one when the queue
        has drained)."""
        last = self.count()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.count()
            if now == last:
                return now
            last = now
        return last

    def analyze(self) -> None:
        """Bring the query planner's statistics up to date after a run that wrote.

        A production PostgreSQL server does this by itself (autovacuum), as the
        tables grow. A development server may have autovacuum off; the planner
        then keeps the estimates of an almost empty table and, thousands of orders
        later, reads every order line to find the twenty of one page: what
        would be measured is the server's configuration, not Delivery. (SQLite
        has no such statistics unless asked, and picks the indexes without them.)
        """
        if self.profile.name != "postgresql":
            return
        with self.cursor() as cursor:
            cursor.execute("ANALYZE")

    def unbalanced(self) -> int:
        """Orders whose lines are missing or do not add up to the subtotal."""
        with self.cursor() as cursor:
            cursor.execute(
                # Rounded: SQLite adds decimals as binary floating point numbers.
                "SELECT COUNT(*) FROM orders_order o WHERE ROUND(o.subtotal, 2) <> "
                "ROUND(COALESCE((SELECT SUM(i.line_total) FROM orders_orderitem i "
                "WHERE i.order_id = o.id), 0), 2)"
            )
            return cursor.fetchone()[0]


def headers_for(endpoint: Endpoint, fixtures: dict) -> dict[str, str]:
    if endpoint.credentials == "etag":
        return {"If-None-Match": fixtures["menu_etag"]}
    return dict(fixtures["headers"].get(endpoint.credentials, {}))


def url_for(profile: Profile, endpoint: Endpoint, fixtures: dict) -> str:
    return profile.base_url + endpoint.path.format(order_id=fixtures["order_id"])


def warm_up(profile: Profile, endpoints: tuple[Endpoint, ...], fixtures: dict) -> None:
    """A few requests to every endpoint, so that both workers have loaded
    everything lazily loaded (URL patterns, serializers, the menu cache)."""
    refresh_tokens = iter(Path(fixtures["warmup_pool"]).read_text().split())
    for endpoint in endpoints:
        times = 2 if endpoint.name == "login" else WARMUP_REQUESTS
        for _ in range(times):
            if endpoint.name == "refresh":
                body = json.dumps({"refresh": next(refresh_tokens)})
            else:
                body = fixtures["bodies"].get(endpoint.body)
            request = urllib.request.Request(
                url_for(profile, endpoint, fixtures),
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
    profile: Profile,
    endpoint: Endpoint,
    fixtures: dict,
    *,
    seconds: int,
    refresh_pool: str,
) -> WrkRun:
    env = dict(os.environ)
    if endpoint.body:
        env["BENCH_BODY"] = fixtures["bodies"][endpoint.body]
    if endpoint.name == "refresh":
        env["BENCH_TOKENS"] = refresh_pool
    return run_wrk(
        url_for(profile, endpoint, fixtures),
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
    fresh_database(profile)
    env = server_env(profile)
    fixtures = prepare(profile, env, pools=rounds, seconds=seconds)
    ledger = OrderLedger(profile)
    runs: dict[str, list[report.Round]] = {endpoint.name: [] for endpoint in endpoints}
    placements = []
    load_before = os.getloadavg()
    with gunicorn(profile, env) as master:
        warm_up(profile, endpoints, fixtures)
        for round_number in range(rounds):
            order = endpoints if round_number % 2 == 0 else endpoints[::-1]
            print(f"==> {profile.label}: round {round_number + 1} of {rounds}")
            for endpoint in order:
                before = ledger.count() if endpoint.name == "place-order" else 0
                cpu_before = workers_cpu_seconds(master)
                run = load(
                    profile,
                    endpoint,
                    fixtures,
                    seconds=seconds,
                    refresh_pool=fixtures["refresh_pools"][round_number],
                )
                cpu = workers_cpu_seconds(master) - cpu_before
                runs[endpoint.name].append(report.Round(wrk=run, cpu_seconds=cpu))
                wait_until_idle(profile)
                if endpoint.name == "place-order":
                    placements.append(
                        {
                            "created": ledger.settled_count() - before,
                            "answered": run.successes,
                            "connections": CONNECTIONS,
                        }
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


def main() -> int:
    try:
        wrk_path()
    except WrkMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    quick = env_flag("QUICK")
    rounds = int(os.environ.get("BENCH_ROUNDS") or (1 if quick else 8))
    seconds = int(os.environ.get("BENCH_SECONDS") or 2)
    port = int(os.environ.get("BENCH_PORT") or 8200)
    endpoints = selected(os.environ.get("BENCH_ONLY", ""))
    settings = {
        "quick": quick,
        "rounds": rounds,
        "seconds": seconds,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "cpus": os.cpu_count(),
        "started_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
    }
    print(f"==> load average now: {report.fmt_load(os.getloadavg())}")
    results = [
        bench_profile(profile, endpoints, rounds=rounds, seconds=seconds)
        for profile in profiles(quick=quick, port=port)
    ]
    print()
    print(report.render(results, settings=settings))
    report.write_json(RESULTS / "bench.json", results, settings=settings)
    report.write_chart(RESULTS / "bench.png", results)
    print(f"\nWritten: {RESULTS / 'bench.json'} and {RESULTS / 'bench.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
