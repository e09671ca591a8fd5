"""The room scenario: a hundred attendees and six kitchens on one workshop server.

The server is the room's main server as ``make workshop`` starts it, by its own
description (``teaching.room.servers``: gunicorn, DEBUG off, one process of eight
threads without Redis, the room's limits), on a SQLite database of its own, with
the bench's settings for the floor view. The room gets its accounts as an
instructor gives them (``bench.room_setup``), then a simulated room, one thread
per person:

- each attendee logs in (the logins spread over the first minute), then polls
  their own orders every 3 seconds, as the "My orders" page does, and places an
  order a minute (one to three dishes of one restaurant);
- each kitchen's cook logs in likewise, polls the board every 3 seconds and
  moves every order it shows that is still in the kitchen one step on;
- a probe asks for the floor view (a plain Django view) four times a second, so
  that the run measures its own floor.

Every request is timed by the clock, from sending to the last byte of the answer.
Targets: no error and no timeout; every endpoint's p99 but the login's within 10
times the floor's p99 of the same run. The login is slow on purpose (the password
hash), and the first minute's logins queue behind one another.
"""

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.ledger import OrderLedger
from bench.profiles import ROOT, Profile, base_env, free_port, fresh_database
from bench.server import FLOOR_PATH, Server, serve

SCENARIO = "room"
ATTENDEES = 100
POLL_SECONDS = 3.0
ORDER_SECONDS = 60.0
FLOOR_SECONDS = 0.25
# As long as a worker may take (gunicorn's timeout): past it, the answer is lost.
TIMEOUT_SECONDS = 30.0
LOGIN_SPREAD_SECONDS = 60.0
# Times the floor's p99 that any endpoint's p99 may reach (the login apart).
AT_MOST = 10.0
ACTIVE = ("placed", "preparing", "ready", "out_for_delivery")


@dataclass(frozen=True)
class Sample:
    """One request: which endpoint, how long it took, how it ended."""

    endpoint: str
    seconds: float
    status: int  # 0: no answer (a timeout or a broken connection)
    error: str = ""
    # When it was sent (time.monotonic()).
    sent: float = 0.0


@dataclass
class Recorder:
    """Every request of the run (``list.append`` is atomic: no lock needed)."""

    samples: list[Sample] = field(default_factory=list)
    timeout: float = TIMEOUT_SECONDS

    def request(
        self,
        server: Server,
        endpoint: str,
        method: str,
        path: str,
        *,
        token: str = "",
        body: dict | None = None,
    ) -> tuple[int, dict | None]:
        """Send one request; record it; return its status and JSON answer."""
        host, port = server.base_url.removeprefix("http://").split(":")
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection(host, int(port), timeout=self.timeout)
        sent, started = time.monotonic(), time.perf_counter()
        try:
            connection.request(method, path, body=payload, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        except TimeoutError:
            self.samples.append(
                Sample(endpoint, time.perf_counter() - started, 0, "timeout", sent)
            )
            return 0, None
        except OSError as exc:
            self.samples.append(
                Sample(
                    endpoint,
                    time.perf_counter() - started,
                    0,
                    type(exc).__name__,
                    sent,
                )
            )
            return 0, None
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        error = "" if answer.status < 400 else f"{answer.status}"
        self.samples.append(Sample(endpoint, seconds, answer.status, error, sent))
        try:
            return answer.status, json.loads(content) if content else None
        except ValueError:
            return answer.status, None


@dataclass(frozen=True)
class Room:
    """What the simulated people share: the server, the clock and the recorder."""

    server: Server
    recorder: Recorder
    started: float
    ends: float
    login_spread: float

    def wait_until(self, moment: float) -> bool:
        """Sleep until ``moment`` (seconds from the start); False once the run ends."""
        delay = self.started + moment - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        return time.monotonic() < self.ends


def every(room: Room, first: float, period: float, action: Callable[[], None]) -> None:
    """Run ``action`` every ``period`` seconds from ``first`` on, as a page's timer
    does: late runs are not made up for."""
    moment = first
    while room.wait_until(moment):
        action()
        moment = max(moment + period, time.monotonic() - room.started)


def log_in(room: Room, card: dict) -> str | None:
    status, answer = room.recorder.request(
        room.server,
        "login",
        "POST",
        "/api/auth/token/",
        body={"username": card["username"], "password": card["password"]},
    )
    return answer["access"] if status == 200 and answer else None


def attendee(room: Room, card: dict, dishes: dict[str, list[int]], seed: int) -> None:
    chance = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    login_at = chance.uniform(0, room.login_spread)
    if not room.wait_until(login_at):
        return
    token = log_in(room, card)
    if token is None:
        return
    restaurants = sorted(dishes)

    def poll() -> None:
        room.recorder.request(
            room.server, "my-orders", "GET", "/api/orders/", token=token
        )

    def order() -> None:
        choices = dishes[chance.choice(restaurants)]
        picked = chance.sample(choices, k=min(len(choices), chance.randint(1, 3)))
        room.recorder.request(
            room.server,
            "place-order",
            "POST",
            "/api/orders/",
            token=token,
            body={
                "items": [{"menu_item": dish, "quantity": 1} for dish in picked],
                "delivery_address": f"Table {card['username']}, the workshop room",
            },
        )

    since = time.monotonic() - room.started
    threads = [
        threading.Thread(
            target=every,
            args=(room, since + chance.uniform(0, POLL_SECONDS), POLL_SECONDS, poll),
        ),
        threading.Thread(
            target=every,
            args=(room, since + chance.uniform(0, ORDER_SECONDS), ORDER_SECONDS, order),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def kitchen(room: Room, card: dict, seed: int) -> None:
    chance = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    if not room.wait_until(chance.uniform(0, room.login_spread)):
        return
    token = log_in(room, card)
    if token is None:
        return

    def poll_and_advance() -> None:
        status, board = room.recorder.request(
            room.server, "board", "GET", "/api/kitchen/orders/", token=token
        )
        if status != 200 or not board:
            return
        for order in board.get("results", []):
            if order["status"] in ACTIVE:
                room.recorder.request(
                    room.server,
                    "advance",
                    "POST",
                    f"/api/kitchen/orders/{order['id']}/advance/",
                    token=token,
                    body={"current_status": order["status"]},
                )

    since = time.monotonic() - room.started
    every(room, since + chance.uniform(0, POLL_SECONDS), POLL_SECONDS, poll_and_advance)


def floor_probe(room: Room) -> None:
    every(
        room,
        0.0,
        FLOOR_SECONDS,
        lambda: room.recorder.request(room.server, "floor", "GET", FLOOR_PATH),
    )


def progress(room: Room) -> None:
    """A line every 30 seconds: how far the room is, and what went wrong so far."""
    moment = 30.0
    while room.wait_until(moment):
        samples = list(room.recorder.samples)
        failed = sum(1 for sample in samples if sample.error)
        print(
            f"==> room: {moment:.0f} s of {room.ends - room.started:.0f}, "
            f"{len(samples)} requests, {failed} errors",
            flush=True,
        )
        moment += 30.0


def simulate(
    server: Server, cards: list[dict], dishes: dict, *, seconds: float, spread: float
) -> tuple[list[Sample], float]:
    """Run the room for ``seconds``; every request it made, and when it started."""
    recorder = Recorder()
    started = time.monotonic()
    room = Room(server, recorder, started, started + seconds, spread)
    people = []
    for index, card in enumerate(cards):
        if card["role"] == "kitchen":
            people.append(threading.Thread(target=kitchen, args=(room, card, index)))
        else:
            people.append(
                threading.Thread(target=attendee, args=(room, card, dishes, index))
            )
    people += [
        threading.Thread(target=floor_probe, args=(room,)),
        threading.Thread(target=progress, args=(room,), daemon=True),
    ]
    for person in people:
        person.start()
    for person in people:
        if not person.daemon:
            person.join()
    return recorder.samples, started


@dataclass(frozen=True)
class Endpoint:
    """One endpoint's figures over the run."""

    name: str
    requests: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    timeouts: int
    # What went wrong, e.g. "503 x2, timeout x1".
    failures: str = ""

    @classmethod
    def of(cls, name: str, samples: list[Sample]) -> "Endpoint":
        times = sorted(1000 * sample.seconds for sample in samples)
        return cls(
            name=name,
            requests=len(samples),
            p50_ms=statistics.median(times),
            p99_ms=percentile(times, 99),
            max_ms=times[-1],
            errors=sum(1 for s in samples if s.error and s.error != "timeout"),
            timeouts=sum(1 for s in samples if s.error == "timeout"),
            failures=", ".join(
                f"{kind} x{count}"
                for kind, count in Counter(s.error for s in samples if s.error).items()
            ),
        )


def percentile(ordered: list[float], percent: float) -> float:
    """The nearest-rank percentile of sorted values (what wrk reports)."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


ORDER = ("login", "my-orders", "place-order", "board", "advance", "floor")


def summarize(samples: list[Sample]) -> dict[str, Endpoint]:
    by_name: dict[str, list[Sample]] = {}
    for sample in samples:
        by_name.setdefault(sample.endpoint, []).append(sample)
    return {name: Endpoint.of(name, by_name[name]) for name in ORDER if name in by_name}


def verdicts(endpoints: dict[str, Endpoint]) -> list[tuple[str, bool, str]]:
    """(target, met, what was measured) for each of the room's targets."""
    errors = sum(e.errors for e in endpoints.values())
    timeouts = sum(e.timeouts for e in endpoints.values())
    found = [
        (
            "0 errors and 0 timeouts",
            errors == 0 and timeouts == 0,
            f"{errors} errors, {timeouts} timeouts",
        )
    ]
    floor = endpoints.get("floor")
    for endpoint in endpoints.values():
        if endpoint.name in ("login", "floor") or floor is None:
            continue
        ratio = endpoint.p99_ms / floor.p99_ms
        found.append(
            (
                f"{endpoint.name} p99 <= {AT_MOST:.0f} x the floor's",
                ratio <= AT_MOST,
                f"{ratio:.1f} x ({endpoint.p99_ms:.1f} / {floor.p99_ms:.1f} ms)",
            )
        )
    return found


def render(
    endpoints: dict[str, Endpoint],
    *,
    attendees: int,
    kitchens: int,
    seconds: float,
    spread: float,
    placed: tuple[int, int],
    load: tuple[tuple[float, ...], tuple[float, ...]],
    steady: dict[str, Endpoint] | None = None,
) -> str:
    lines = [
        f"The room: {attendees} attendees and {kitchens} kitchens for {seconds:.0f} s "
        f"on the workshop's server, logins spread over {spread:.0f} s; every "
        "request timed by the clock.",
        "",
        f"{'endpoint':<13}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'errors':>8}{'timeouts':>10}  what went wrong",
    ]
    for endpoint in endpoints.values():
        lines.append(
            f"{endpoint.name:<13}{endpoint.requests:>9}{endpoint.p50_ms:>9.1f}"
            f"{endpoint.p99_ms:>9.1f}{endpoint.max_ms:>9.1f}{endpoint.errors:>8}"
            f"{endpoint.timeouts:>10}  {endpoint.failures}".rstrip()
        )
    if steady:
        lines += [
            "",
            f"After the logins (requests sent from {spread:.0f} s on), for "
            "information:",
        ]
        for endpoint in steady.values():
            lines.append(
                f"{endpoint.name:<13}{endpoint.requests:>9}{endpoint.p50_ms:>9.1f}"
                f"{endpoint.p99_ms:>9.1f}{endpoint.max_ms:>9.1f}{endpoint.errors:>8}"
                f"{endpoint.timeouts:>10}"
            )
    lines += ["", "Targets:"]
    for target, met, shown in verdicts(endpoints):
        lines.append(f"{target:<40}{'PASS' if met else 'MISS'} {shown}")
    answered, written = placed
    lines += [
        "",
        f"orders: {answered} answered 201, {written} in the database",
        f"load average: before {' '.join(f'{v:.2f}' for v in load[0])}, "
        f"after {' '.join(f'{v:.2f}' for v in load[1])}",
    ]
    return "\n".join(lines)


def setup_env(profile: Profile) -> dict[str, str]:
    """The environment the room is set up in, and the base of its server's, as
    ``make workshop`` runs with its own: the room's database, and the bench's
    settings, for the floor view. ``teaching.room.servers`` adds the rest."""
    return base_env(profile, SCENARIO)


def scenario(profiles: list[Profile], *, quick: bool) -> tuple[str, bool]:
    """Run the room; its table and whether its targets held."""
    profile = next(p for p in profiles if not p.is_postgresql)
    seconds = float(os.environ.get("BENCH_ROOM_SECONDS") or (90 if quick else 300))
    spread = min(LOGIN_SPREAD_SECONDS, seconds / 2)
    fresh_database(profile, SCENARIO)
    out = profile.out(SCENARIO)
    env = setup_env(profile)
    port = free_port()
    print(f"==> room: a fresh database, {ATTENDEES} attendees' accounts", flush=True)

    def room_setup(step: str, environment: dict[str, str], *options: str) -> dict:
        found = out / f"{step}.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.room_setup",
                step,
                *options,
                "--out",
                str(found),
            ],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        return json.loads(found.read_text())

    room_server = room_setup("server", env, "--port", str(port))
    setup = room_setup(
        "room", room_server["environment"], "--attendees", str(ATTENDEES)
    )
    cards = setup["cards"]
    kitchens = sum(1 for card in cards if card["role"] == "kitchen")
    ledger = OrderLedger(profile.database_url(SCENARIO))
    before = ledger.count()
    load_before = os.getloadavg()
    with serve(
        room_server["command"],
        room_server["environment"],
        port=port,
        log=out / "gunicorn.log",
        workers=int(room_server["environment"].get("WEB_CONCURRENCY", "1")),
    ) as server:
        print(f"==> room: {len(cards)} people for {seconds:.0f} s", flush=True)
        samples, started = simulate(
            server, cards, setup["dishes"], seconds=seconds, spread=spread
        )
    load_after = os.getloadavg()
    endpoints = summarize(samples)
    placed = (
        sum(1 for s in samples if s.endpoint == "place-order" and s.status == 201),
        ledger.count() - before,
    )
    text = render(
        endpoints,
        attendees=len(cards) - kitchens,
        kitchens=kitchens,
        seconds=seconds,
        spread=spread,
        placed=placed,
        load=(load_before, load_after),
        steady=summarize([s for s in samples if s.sent >= started + spread]),
    )
    met = all(ok for _, ok, _ in verdicts(endpoints)) and placed[0] == placed[1]
    return text, met
