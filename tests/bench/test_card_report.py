"""The card scenario's arithmetic: paired ratios, spreads and verdicts."""

import pytest

from bench.card_report import CardRun, Spread, missed, render, verdicts


def contender(name: str, cpu: list[float], **spent) -> dict:
    return {
        "name": name,
        "about": f"{name} (test)",
        "queries": spent.get("queries", 0),
        "cache_reads": spent.get("cache_reads", 0),
        "cache_writes": spent.get("cache_writes", 0),
        "redis_commands": spent.get("redis_commands"),
        "batch": 100,
        # The clock twice the CPU time: a machine busy with something else.
        "samples_us": [2 * value for value in cpu],
        "cpu_samples_us": cpu,
    }


def card_run(times: dict[str, list[float]], label: str = "SQLite", **spent) -> CardRun:
    document = {
        "label": label,
        "rounds": len(next(iter(times.values()))),
        "batch_ms": 10.0,
        "load_before": [0.5, 0.4, 0.3],
        "load_after": [0.6, 0.4, 0.3],
        "versions": {"pyjwt": "2.15.1"},
        "contenders": [
            contender(name, series, **spent.get(name, {}))
            for name, series in times.items()
        ],
    }
    return CardRun.from_document(label.lower(), document)


MET = {
    "card": [30.0, 60.0, 30.0],
    "card-cookie": [40.0, 80.0, 40.0],
    "simplejwt-stateless": [50.0, 100.0, 50.0],
    "session": [500.0, 1000.0, 500.0],
    "floor": [30.0, 60.0, 30.0],
}


def verdict_of(run: CardRun, target: str):
    return next(v for v in verdicts(run) if v.target == target)


def test_ratios_are_paired_round_by_round():
    """A round twice as slow for everyone leaves each round's ratio unchanged."""
    run = card_run({"card": [30.0, 60.0, 30.0], "floor": [20.0, 40.0, 20.0]})
    assert run.ratio("card", "floor", cpu=True) == Spread(1.5, 1.5, 1.5)
    # The ratio of medians over unpaired rounds would say the same here; a burst
    # that hits one contender's batch only moves that round's ratio.
    burst = card_run({"card": [30.0, 90.0, 30.0], "floor": [20.0, 20.0, 20.0]})
    assert burst.ratio("card", "floor", cpu=True).median == 1.5


def test_spread_gives_the_median_and_quartiles():
    assert Spread.of([1.0, 2.0, 3.0, 4.0, 5.0]) == Spread(3.0, 2.0, 4.0)
    assert Spread.of([7.0]) == Spread(7.0, 7.0, 7.0)


def test_every_target_met_reads_pass():
    run = card_run(MET)
    assert all(v.met for v in verdicts(run)), verdicts(run)
    assert missed([run]) == []
    table = render([run])
    assert "PASS 0.600 [0.60-0.60] wall 0.600" in table  # card / stateless
    assert "card targets: all met on SQLite" in table
    assert "load average before 0.50 0.40 0.30, after 0.60 0.40 0.30" in table


def test_a_ratio_at_its_bound_passes_and_just_over_it_misses():
    at = card_run(MET | {"card": [125.0, 250.0, 125.0]})  # 0.25 of the session
    assert verdict_of(at, "card / session <= 0.25").met
    over = card_run(MET | {"card": [125.5, 251.0, 125.5]}, label="PostgreSQL")
    verdict = verdict_of(over, "card / session <= 0.25")
    assert not verdict.met
    assert verdict.shown.startswith("0.251")
    assert "card / session <= 0.25 (PostgreSQL)" in missed([over])
    assert "MISS 0.251" in render([over])


def test_the_verdict_goes_by_cpu_time_and_shows_the_clock():
    """CPU time leaves out the moments another process had the CPU."""
    run = card_run(MET)
    verdict = verdict_of(run, "card / floor <= 3.00")
    assert verdict.met
    assert verdict.shown == "1.000 [1.00-1.00] wall 1.000"


def test_the_card_may_spend_no_query_and_no_cache_read():
    run = card_run(MET, card={"queries": 1}, **{"card-cookie": {"cache_reads": 1}})
    assert not verdict_of(run, "card: 0 queries, 0 cache reads").met
    assert not verdict_of(run, "card-cookie: 0 queries, 0 cache reads").met


@pytest.mark.parametrize(
    ("spent", "met"),
    [
        ({"cache_reads": 1, "redis_commands": 1}, True),
        ({"cache_reads": 1}, True),  # local memory: no server to count at
        ({"cache_reads": 1, "redis_commands": 2}, False),
        ({"cache_reads": 2, "redis_commands": 2}, False),
        ({"cache_reads": 1, "queries": 1, "redis_commands": 1}, False),
        ({"cache_reads": 0, "redis_commands": 0}, False),
    ],
)
def test_instant_revocation_costs_exactly_one_round_trip(spent, met):
    run = card_run(
        MET | {"card-revocation": [40.0, 80.0, 40.0]},
        **{"card-revocation": spent},
    )
    assert verdict_of(run, "card-revocation: 0 queries, 1 cache round trip").met is met


def test_two_databases_side_by_side_name_the_one_that_missed():
    sqlite = card_run(MET)
    postgresql = card_run(MET | {"card": [60.0, 120.0, 60.0]}, label="PostgreSQL+Redis")
    table = render([sqlite, postgresql])
    assert "card targets: MISSED: card / simplejwt-stateless <= 1.00 " in table
    assert "(PostgreSQL+Redis)" in table
    assert "(SQLite)" not in table.split("card targets:")[1]
