"""``make bench [scenario ...]``: the words after ``bench`` name scenarios."""

import pytest

from bench.run import SCENARIOS, chosen


def test_no_scenario_named_runs_them_all():
    assert chosen([]) == list(SCENARIOS)


def test_scenarios_run_in_the_order_given():
    assert chosen(["endpoints", "card"]) == ["endpoints", "card"]


def test_an_unknown_scenario_is_refused_with_the_choices():
    with pytest.raises(SystemExit, match=r"Unknown bench scenario.*nope.*card"):
        chosen(["card", "nope"])
