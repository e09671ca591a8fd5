"""The card scenario: what checking the card costs, one request, in one process.

``make bench card`` runs this module once per database, in the environment of the
production profile (DEBUG off, a fresh database, the profile's cache):

    python -m bench.card --out bench/results/card/sqlite --rounds 150 --label SQLite

It makes alice, her card (``accounts.services.issue_token_pair``), a stock
simplejwt token and a Django session, checks that every contender
(``bench.contenders``) authenticates her, and counts what one authentication
spends (``bench.counting``). Then it times the contenders in interleaved rounds:
every contender once per round, a batch of requests each, the order reversed every
other round, so that a slower second of a shared machine touches them all alike.
Each batch lasts about ``--batch-ms`` (its size is set in the warm-up rounds), so
that a round is short and every contender's batch is as long as the others'.
The figures go to ``card.json`` in ``--out``; ``bench.card_report`` reads them.
"""

import argparse
import gc
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

import django

from bench.card_report import CardRun, missed, render
from bench.profiles import ROOT, Profile, fresh_database, server_env

SCENARIO = "card"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rounds", type=int, required=True)
    parser.add_argument("--batch-ms", type=float, default=10.0)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--profile",
        default="",
        help="contenders to profile afterwards (cProfile), comma separated",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # Everything made while setting up lives as long as the process: out of the
    # collector's way, so that the collection before each batch takes
    # microseconds, not a tenth of a second.
    gc.collect()
    gc.freeze()
    args.out.mkdir(parents=True, exist_ok=True)
    document = measure(
        rounds=args.rounds,
        batch_ms=args.batch_ms,
        label=args.label,
        profile=[name for name in args.profile.split(",") if name],
        out=args.out,
    )
    (args.out / "card.json").write_text(json.dumps(document, indent=2))


def credentials():
    """Alice, a customer, and everything the contenders present for her."""
    from django.conf import settings
    from django.test import Client
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import Role, User
    from accounts.services import issue_token_pair
    from bench.contenders import Credentials

    alice = User.objects.create_user(
        username="alice", password=secrets.token_urlsafe(), role=Role.CUSTOMER
    )
    browser = Client()
    browser.force_login(alice)
    simple_jwt = settings.SIMPLE_JWT
    algorithm = simple_jwt["ALGORITHM"]
    return Credentials(
        user_id=alice.pk,
        card=str(issue_token_pair(user=alice).access),
        # simplejwt's stock path, as its documentation shows it.
        stock_token=str(AccessToken.for_user(alice)),
        session_cookie=browser.cookies[settings.SESSION_COOKIE_NAME].value,
        algorithm=algorithm,
        verifying_key=simple_jwt["SIGNING_KEY"]
        if algorithm.startswith("HS")
        else simple_jwt["VERIFYING_KEY"],
    )


class WrongUser(RuntimeError):
    """A contender did not authenticate alice: its figures would mean nothing."""


def checked(contender, result, user_id: int) -> None:
    from bench.contenders import user_id_of

    if user_id_of(result) != user_id:
        raise WrongUser(f"{contender.name} authenticated {result!r}, not alice")


def in_force(contender):
    from django.test.utils import override_settings

    return (
        override_settings(**contender.settings) if contender.settings else nullcontext()
    )


def time_batch(contender, batch: int, user_id: int) -> tuple[float, float]:
    """Microseconds per authentication over one batch of fresh requests: of the
    clock on the wall, and of this process's CPU time.

    The clock counts all a request waits for (a database on another process
    included); CPU time leaves out the moments another process had the CPU.
    """
    with in_force(contender):
        inputs = contender.prepare(batch + 1)
        # The first request after a change of settings pays for it: not timed.
        checked(contender, contender.authenticate(inputs.pop()), user_id)
        authenticate = contender.authenticate
        gc.collect()
        started, cpu_started = time.perf_counter_ns(), time.process_time_ns()
        for item in inputs:
            result = authenticate(item)
        cpu = time.process_time_ns() - cpu_started
        elapsed = time.perf_counter_ns() - started
    checked(contender, result, user_id)
    return elapsed / batch / 1000, cpu / batch / 1000


def batch_size(microseconds: float, batch_ms: float) -> int:
    """Requests in a batch of about ``batch_ms``, for a contender that takes
    ``microseconds`` a request; at least 20, so that the timer's own cost is nil."""
    return max(20, min(5000, round(batch_ms * 1000 / microseconds)))


def profile_of(contender, out: Path, *, requests: int = 5000) -> None:
    """Where a contender's time goes: cProfile over ``requests`` authentications,
    written to ``profile-<name>.txt`` in ``out`` (most time of its own first)."""
    import cProfile
    import io
    import pstats

    with in_force(contender):
        inputs = contender.prepare(requests)
        profiler = cProfile.Profile()
        profiler.enable()
        for item in inputs:
            contender.authenticate(item)
        profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs().sort_stats("tottime").print_stats(30)
    path = out / f"profile-{contender.name}.txt"
    path.write_text(text.getvalue())
    print(f"==> profile of {contender.name} ({requests} requests): {path}", flush=True)


def measure(
    *,
    rounds: int,
    batch_ms: float,
    label: str,
    profile: Sequence[str] = (),
    out: Path | None = None,
) -> dict:
    import jwt
    import rest_framework
    import rest_framework_simplejwt

    from bench.contenders import contenders
    from bench.counting import REDIS_TRIES, spent

    load_before = os.getloadavg()
    given = credentials()
    every = contenders(given)
    counts = {}
    for contender in every:
        with in_force(contender):
            inputs = contender.prepare(2 + REDIS_TRIES)
            cost = spent(lambda c=contender, i=inputs: c.authenticate(i.pop()))
        checked(contender, cost.result, given.user_id)
        counts[contender.name] = {
            "queries": cost.queries,
            "cache_reads": cost.cache_reads,
            "cache_writes": cost.cache_writes,
            "redis_commands": cost.redis_commands,
        }
    samples: dict[str, list[float]] = {contender.name: [] for contender in every}
    cpu_samples: dict[str, list[float]] = {contender.name: [] for contender in every}
    # Warm-up rounds, not kept: each sets the contender's batch size.
    batches = dict.fromkeys(samples, 20)
    for _ in range(3):
        for contender in every:
            wall, _cpu = time_batch(contender, batches[contender.name], given.user_id)
            batches[contender.name] = batch_size(wall, batch_ms)
    for number in range(rounds):
        order = every if number % 2 == 0 else every[::-1]
        for contender in order:
            wall, cpu = time_batch(contender, batches[contender.name], given.user_id)
            samples[contender.name].append(wall)
            cpu_samples[contender.name].append(cpu)
        if (number + 1) % 20 == 0 or number + 1 == rounds:
            print(f"==> {label}: the card, round {number + 1} of {rounds}", flush=True)
    for contender in every:
        if contender.name in profile and out is not None:
            profile_of(contender, out)
    return {
        "label": label,
        "rounds": rounds,
        "batch_ms": batch_ms,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "versions": {
            "python": sys.version.split()[0],
            "django": django.__version__,
            "djangorestframework": rest_framework.__version__,
            "simplejwt": rest_framework_simplejwt.__version__,
            "pyjwt": jwt.__version__,
        },
        "contenders": [
            {
                "name": contender.name,
                "about": contender.about,
                **counts[contender.name],
                "batch": batches[contender.name],
                "samples_us": samples[contender.name],
                "cpu_samples_us": cpu_samples[contender.name],
            }
            for contender in every
        ],
    }


def scenario(profiles: list[Profile], *, quick: bool) -> tuple[str, bool]:
    """Run the card scenario on each database; its tables, and whether every
    target held."""
    rounds = int(os.environ.get("BENCH_CARD_ROUNDS") or (40 if quick else 150))
    runs = []
    for profile in profiles:
        print(f"==> {profile.label}: the card, a fresh database", flush=True)
        fresh_database(profile, SCENARIO)
        out = profile.out(SCENARIO)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.card",
                "--out",
                str(out),
                "--rounds",
                str(rounds),
                "--label",
                profile.label,
                "--profile",
                os.environ.get("BENCH_CARD_PROFILE", ""),
            ],
            cwd=ROOT,
            env=server_env(profile, SCENARIO),
            check=True,
        )
        document = json.loads((out / "card.json").read_text())
        runs.append(CardRun.from_document(profile.name, document))
    return render(runs), not missed(runs)


if __name__ == "__main__":
    main()
