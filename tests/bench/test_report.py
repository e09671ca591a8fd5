"""The bench's arithmetic: paired ratios, verdicts, and the order ledger."""

import pytest

from bench.endpoints import ENDPOINTS, selected
from bench.report import ProfileResult, Round, render
from bench.wrk import WrkRun


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


def result(rates: dict[str, list[int]], **overrides) -> ProfileResult:
    fields = {
        "name": "postgresql",
        "label": "PostgreSQL",
        "runs": {
            # Two workers busy for the whole second: the cost is 2 s / requests.
            name: [Round(wrk=wrk_run(rate), cpu_seconds=2.0) for rate in series]
            for name, series in rates.items()
        },
        "queries": dict.fromkeys(rates, 3),
        "placements": [],
        "unbalanced_orders": 0,
        "load_before": (0.1, 0.1, 0.1),
        "load_after": (0.2, 0.1, 0.1),
    }
    return ProfileResult(**(fields | overrides))


def test_ratios_are_paired_round_by_round():
    # The machine slowed down in round 2; each round's ratio is still 0.95.
    measured = result(
        {"orders-jwt": [950, 475, 950], "orders-no-auth": [1000, 500, 1000]}
    )
    assert measured.ratios() == {"jwt-vs-no-auth": pytest.approx(0.95)}
    assert measured.cost_ratios() == {"jwt-vs-no-auth": pytest.approx(0.95)}


def test_render_gives_each_target_a_verdict():
    table = render(
        [
            result(
                {
                    "orders-no-auth": [1000],
                    "orders-jwt": [950],
                    "orders-session": [800],
                }
            )
        ],
        settings={"connections": 16, "rounds": 1, "seconds": 3},
    )
    assert "orders-jwt / orders-no-auth" in table
    assert ">= 0.90 met" in table
    assert ">= 1.30 MISSED on PostgreSQL" in table
    # 2 s of CPU over 1000, 950 and 800 requests: 2.00, 2.11 and 2.50 ms each.
    assert "the card 0.11 ms, the session 0.50 ms (4.8 times the card" in table


def test_every_order_must_be_accounted_for():
    fine = {"created": 105, "answered": 100, "connections": 16}
    lost = {"created": 99, "answered": 100, "connections": 16}
    assert result({"place-order": [100]}, placements=[fine]).placement_accounted()
    assert not result({"place-order": [100]}, placements=[lost]).placement_accounted()
    assert not result(
        {"place-order": [100]}, placements=[fine], unbalanced_orders=1
    ).placement_accounted()


def test_bench_only_picks_endpoints_and_refuses_unknown_names():
    assert selected("") == ENDPOINTS
    assert [e.name for e in selected("orders-jwt, floor")] == ["floor", "orders-jwt"]
    with pytest.raises(ValueError, match="nope"):
        selected("floor,nope")


def test_a_ratio_just_under_its_target_does_not_read_as_met():
    """1.296 rounds to 1.30: the table shows three decimals and names the
    database where the target was missed."""
    rates = {"orders-no-auth": [1400], "orders-jwt": [1296]}
    table = render(
        [
            result(rates | {"orders-session": [1000]}, name="sqlite", label="SQLite"),
            result(rates | {"orders-session": [900]}),
        ],
        settings={"connections": 16, "rounds": 1, "seconds": 3},
    )
    assert "1.296 (1.296)" in table
    assert "1.440 (1.440)" in table
    assert ">= 1.30 MISSED on SQLite:" in table
