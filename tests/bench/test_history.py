"""The history scenario's arithmetic: each list at the large size over the small."""

import pytest

from bench.history import AT_MOST, Figures, growth
from bench.wrk import WrkRun


def figures(p50: float, p99: float) -> Figures:
    return Figures(
        p50_ms=p50, p99_ms=p99, requests_per_second=100, errors=0, timeouts=0
    )


def test_figures_are_the_medians_of_the_rounds():
    runs = [
        WrkRun(100, 1.0, 0, 0, 0, p50, p50, p50 * 2, p50 * 3)
        for p50 in (10.0, 30.0, 20.0)
    ]
    assert Figures.of(runs) == Figures(20.0, 40.0, 100.0, 0, 0)


def test_each_list_is_held_to_its_own_figures_at_the_small_size():
    small = {
        "board": figures(10, 20),
        "page-1": figures(10, 20),
        "order": figures(5, 9),
    }
    large = {
        "board": figures(15, 30),
        "page-1": figures(15.1, 20),
        "order": figures(50, 90),
    }
    found = {g.name: g for g in growth(small, large)}
    assert found["board"].met  # exactly 1.5 times: within
    assert not found["page-1"].met  # 1.51 times at the median
    assert found["page-1"].p50 == pytest.approx(1.51)
    assert "order" not in found  # one order is not a list


def test_a_deep_page_the_small_history_lacks_is_held_to_its_first_page():
    small = {"page-1": figures(10, 20)}
    large = {"page-1": figures(10, 20), "page-50": figures(12, 31)}
    deep = {g.name: g for g in growth(small, large)}["page-50"]
    assert deep.against == "page-1"
    assert deep.p99 == pytest.approx(1.55)
    assert deep.p99 > AT_MOST
    assert not deep.met
