"""The card scenario's arithmetic: medians, spreads, paired ratios and verdicts."""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# The card, from either carrier, is held to every target.
CARDS = ("card", "card-cookie")
# The card with JWT_INSTANT_REVOCATION=1: one cache round trip, no query.
REVOCATION = "card-revocation"


@dataclass(frozen=True)
class RatioTarget:
    """A contender's cost over another's, in the same run: at most ``at_most``."""

    peer: str
    at_most: float
    about: str


RATIO_TARGETS: tuple[RatioTarget, ...] = (
    RatioTarget(
        "simplejwt-stateless", 1.0, "no dearer than simplejwt's stateless class"
    ),
    RatioTarget("session", 0.25, "at most a quarter of a Django database session"),
    RatioTarget("floor", 3.0, "at most 3 x PyJWT's own jwt.decode"),
)


@dataclass(frozen=True)
class Spread:
    """The median of a series, and its quartiles."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> "Spread":
        if len(values) < 2:
            return cls(values[0], values[0], values[0])
        low, median, high = statistics.quantiles(values, n=4, method="inclusive")
        return cls(median, low, high)


@dataclass(frozen=True)
class Contender:
    """One contender on one database: what it spent and how long it took."""

    name: str
    about: str
    queries: int
    cache_reads: int
    cache_writes: int
    # Round trips seen by the Redis server; None when the cache is not Redis.
    redis_commands: int | None
    batch: int
    samples_us: list[float]
    cpu_samples_us: list[float]

    @property
    def wall(self) -> Spread:
        return Spread.of(self.samples_us)

    @property
    def cpu(self) -> Spread:
        return Spread.of(self.cpu_samples_us)


@dataclass(frozen=True)
class CardRun:
    """Everything the card scenario measured on one database."""

    name: str
    label: str
    rounds: int
    batch_ms: float
    contenders: dict[str, Contender]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    versions: dict[str, str]

    @classmethod
    def from_document(cls, name: str, document: dict[str, Any]) -> "CardRun":
        return cls(
            name=name,
            label=document["label"],
            rounds=document["rounds"],
            batch_ms=document["batch_ms"],
            contenders={
                entry["name"]: Contender(**entry) for entry in document["contenders"]
            },
            load_before=tuple(document["load_before"]),
            load_after=tuple(document["load_after"]),
            versions=document.get("versions", {}),
        )

    def ratio(self, numerator: str, denominator: str, *, cpu: bool = False) -> Spread:
        """The numerator's time over the denominator's, round by round (the two
        ran milliseconds apart); the median and quartiles of the rounds."""
        a, b = self.contenders[numerator], self.contenders[denominator]
        pairs = zip(
            a.cpu_samples_us if cpu else a.samples_us,
            b.cpu_samples_us if cpu else b.samples_us,
            strict=True,
        )
        return Spread.of([x / y for x, y in pairs if y])


@dataclass(frozen=True)
class Verdict:
    """One target on one database."""

    target: str
    met: bool
    shown: str


def ratio_verdicts(run: CardRun) -> list[Verdict]:
    verdicts = []
    for card in CARDS:
        if card not in run.contenders:
            continue
        for target in RATIO_TARGETS:
            if target.peer not in run.contenders:
                continue
            cpu = run.ratio(card, target.peer, cpu=True)
            wall = run.ratio(card, target.peer)
            verdicts.append(
                Verdict(
                    f"{card} / {target.peer} <= {target.at_most:.2f}",
                    cpu.median <= target.at_most,
                    f"{cpu.median:.3f} [{cpu.low:.2f}-{cpu.high:.2f}] "
                    f"wall {wall.median:.3f}",
                )
            )
    return verdicts


def count_verdicts(run: CardRun) -> list[Verdict]:
    """0 queries and no cache operation for the card; with instant revocation,
    0 queries and exactly one cache read, one round trip to Redis."""
    verdicts = []
    for card in CARDS:
        spent = run.contenders.get(card)
        if spent is None:
            continue
        verdicts.append(
            Verdict(
                f"{card}: 0 queries, 0 cache reads",
                spent.queries == 0
                and spent.cache_reads == 0
                and not spent.cache_writes,
                counts(spent),
            )
        )
    spent = run.contenders.get(REVOCATION)
    if spent is not None:
        round_trips = spent.redis_commands
        verdicts.append(
            Verdict(
                f"{REVOCATION}: 0 queries, 1 cache round trip",
                spent.queries == 0
                and spent.cache_reads == 1
                and spent.cache_writes == 0
                and round_trips in (None, 1),
                counts(spent),
            )
        )
    return verdicts


def counts(spent: Contender) -> str:
    shown = f"{spent.queries} q, {spent.cache_reads} r/{spent.cache_writes} w"
    if spent.redis_commands is not None:
        shown += f", {spent.redis_commands} redis"
    return shown


def verdicts(run: CardRun) -> list[Verdict]:
    return ratio_verdicts(run) + count_verdicts(run)


def missed(runs: Sequence[CardRun]) -> list[str]:
    """``"target (database)"`` for every target missed."""
    return [
        f"{verdict.target} ({run.label})"
        for run in runs
        for verdict in verdicts(run)
        if not verdict.met
    ]


def fmt_load(load: Sequence[float]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def render(runs: Sequence[CardRun]) -> str:
    """The card scenario's tables, as ``make bench card`` prints them."""
    first = runs[0]
    lines = [
        "The card: one request authenticated in one process, from a Django "
        "request to request.user through a",
        f"DRF Request; {first.rounds} interleaved rounds, batches of about "
        f"{first.batch_ms:.0f} ms. cpu us: this process's CPU time a request, "
        "median of the",
        "rounds [quartiles]; wall us: the same by the clock. q: database queries, "
        "r/w: cache reads and",
        "writes, redis: commands the Redis server received.",
    ]
    for run in runs:
        lines += [
            "",
            f"{run.label}  (load average before {fmt_load(run.load_before)}, "
            f"after {fmt_load(run.load_after)})",
            f"{'contender':<20}{'cpu us':>8}  {'quartiles':<14}{'wall us':>8}  "
            f"{'spent':<24}what",
        ]
        for contender in run.contenders.values():
            wall, cpu = contender.wall, contender.cpu
            lines.append(
                f"{contender.name:<20}{cpu.median:>8.1f}  "
                f"{f'{cpu.low:.1f}-{cpu.high:.1f}':<14}{wall.median:>8.1f}  "
                f"{counts(contender):<24}{contender.about}"
            )
    lines += [
        "",
        "Targets: ratios of the CPU times measured in the same round, median of "
        "the rounds [quartiles];",
        "wall: the same by the clock.",
    ]
    by_run = [{v.target: v for v in verdicts(run)} for run in runs]
    names = list(dict.fromkeys(name for found in by_run for name in found))
    width = max(len(name) for name in names) + 2
    lines.append(
        f"{'target':<{width}}" + "".join(f"{run.label:<40}" for run in runs).rstrip()
    )
    for name in names:
        row = f"{name:<{width}}"
        for found in by_run:
            mine = found.get(name)
            shown = "-" if mine is None else ("PASS " if mine.met else "MISS ")
            row += f"{shown + (mine.shown if mine else ''):<40}"
        lines.append(row.rstrip())
    failures = missed(runs)
    lines.append("")
    lines.append(
        "card targets: MISSED: " + "; ".join(failures)
        if failures
        else "card targets: all met on " + " and ".join(run.label for run in runs)
    )
    versions = first.versions
    if versions:
        lines.append(
            "versions: " + ", ".join(f"{name} {v}" for name, v in versions.items())
        )
    return "\n".join(lines)
