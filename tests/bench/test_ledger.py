"""Every order placed under load accounted for: none lost, none duplicated."""

from bench.ledger import account


def test_every_answered_order_written_and_a_few_in_flight_is_accounted():
    result = account(
        answered_ids=[1, 2, 3],
        notes_by_id={1: "r-1", 2: "r-2", 3: "r-3", 4: "r-4", 5: "r-5"},
        connections=16,
    )
    assert (result.answered, result.written, result.unanswered) == (3, 5, 2)
    assert result.accounted


def test_an_order_answered_but_not_written_is_lost():
    result = account(
        answered_ids=[1, 2, 9], notes_by_id={1: "r-1", 2: "r-2"}, connections=16
    )
    assert result.lost == 1
    assert not result.accounted


def test_one_request_that_made_two_orders_is_a_duplicate():
    result = account(
        answered_ids=[1, 2], notes_by_id={1: "r-1", 2: "r-1"}, connections=16
    )
    assert result.duplicated == 1
    assert not result.accounted


def test_the_same_order_answered_twice_is_a_duplicate():
    result = account(answered_ids=[1, 1], notes_by_id={1: "r-1"}, connections=16)
    assert result.duplicated == 1
    assert not result.accounted


def test_more_unanswered_orders_than_connections_are_not_accounted_for():
    written = {index: f"r-{index}" for index in range(1, 20)}
    result = account(answered_ids=[1, 2], notes_by_id=written, connections=16)
    assert result.unanswered == 17
    assert not result.accounted
