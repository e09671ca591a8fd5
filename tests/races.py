"""Running requests at the same instant, on PostgreSQL, for the concurrency tests."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

POSTGRES_RACE = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write, so these races need PostgreSQL",
    ),
]


def postgres_race(test):
    """Mark one test function as ``POSTGRES_RACE`` marks a module."""
    for mark in POSTGRES_RACE:
        test = mark(test)
    return test


def run_together(count: int, call):
    """Start ``count`` threads at the same instant; return what each call returned.

    Each thread has its own database connection, closed when it is done.
    """
    barrier = Barrier(count)

    def worker(index):
        try:
            barrier.wait(timeout=30)
            return call(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))
