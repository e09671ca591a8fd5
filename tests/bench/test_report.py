"""The endpoints table: medians of the rounds, and every order accounted for."""

import pytest

from bench.endpoints import ENDPOINTS, selected
from bench.ledger import account
from bench.report import ProfileResult, Round, render, targets_met
from bench.wrk import WrkRun

SETTINGS = {"connections": 16, "rounds": 1, "seconds": 2}


def wrk_run(requests: int, *, p99_ms: float = 20.0, failed: int = 0) -> WrkRun:
    return WrkRun(
        requests=requests,
        seconds=1.0,
        non_2xx_3xx=failed,
        socket_errors=0,
        timeouts=0,
        p50_ms=p99_ms / 2,
        p90_ms=p99_ms,
        p99_ms=p99_ms,
        max_ms=p99_ms,
    )


def result(rates: dict[str, list[tuple[int, float]]], **overrides) -> ProfileResult:
    fields = {
        "name": "postgresql",
        "label": "PostgreSQL",
        "runs": {
            # Two workers busy for the whole second: the cost is 2 s / requests.
            name: [
                Round(wrk=wrk_run(rate, p99_ms=p99), cpu_seconds=2.0)
                for rate, p99 in series
            ]
            for name, series in rates.items()
        },
        "queries": dict.fromkeys(rates, 3),
        "placements": [],
        "unbalanced_orders": 0,
        "load_before": (0.1, 0.1, 0.1),
        "load_after": (0.2, 0.1, 0.1),
    }
    return ProfileResult(**(fields | overrides))


ACCOUNTED = account(
    answered_ids=[1, 2, 3], notes_by_id={1: "a", 2: "b", 3: "c", 4: "d"}, connections=16
)
LOST = account(answered_ids=[1, 2], notes_by_id={1: "a"}, connections=16)


def test_the_table_shows_the_median_round():
    table = render(
        [result({"floor": [(4000, 5.0), (2000, 9.0), (3000, 7.0)]})], settings=SETTINGS
    )
    row = next(line for line in table.splitlines() if line.startswith("floor"))
    # 3,000 requests/s, p99 7.0 ms, 2 s of CPU over 3,000 requests.
    assert row.split()[:6] == ["floor", "3", "3,000", "3.5", "7.0", "0.67"]


def test_placement_shows_its_p99_beside_the_floor_and_the_ledger():
    measured = result(
        {"floor": [(4000, 5.0)], "place-order": [(300, 60.0)]},
        placements=[ACCOUNTED],
    )
    table = render([measured], settings=SETTINGS)
    assert (
        "order placement (PostgreSQL): p99 60.0 ms (the floor's p99 5.0 ms: "
        "12.0 times); 3 answered 201, 4 written, 1 in flight at the stop, 0 lost, "
        "0 duplicated, 0 unbalanced: PASS accounted"
    ) in table
    assert targets_met([measured])


@pytest.mark.parametrize(
    "overrides",
    [
        {"placements": [ACCOUNTED, LOST]},
        {"placements": [ACCOUNTED], "unbalanced_orders": 1},
    ],
)
def test_one_order_not_accounted_for_misses_the_target(overrides):
    measured = result(
        {"place-order": [(300, 60.0)] * len(overrides["placements"])}, **overrides
    )
    assert "MISS NOT accounted" in render([measured], settings=SETTINGS)
    assert not targets_met([measured])


def test_sqlite_placement_is_reported_without_a_verdict():
    measured = result(
        {"place-order": [(300, 60.0)]},
        name="sqlite",
        label="SQLite",
        placements=[ACCOUNTED],
    )
    line = render([measured], settings=SETTINGS).splitlines()[-2]
    assert line.endswith("0 unbalanced: accounted")
    assert targets_met([measured])


def test_no_whole_request_ratio_is_a_target_any_more():
    table = render(
        [result({"orders-jwt": [(900, 20.0)], "orders-session": [(700, 30.0)]})],
        settings=SETTINGS,
    )
    assert "ratio" not in table.lower()
    assert "MISS" not in table


def test_bench_only_picks_endpoints_and_refuses_unknown_names():
    assert selected("") == ENDPOINTS
    assert [e.name for e in selected("orders-jwt, floor")] == ["floor", "orders-jwt"]
    with pytest.raises(ValueError, match="nope"):
        selected("floor,nope")
