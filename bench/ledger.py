"""The bench's own look at the orders in the database: every order accounted for.

Each order placed under load carries a note that names it (the run and a counter,
``bench/lua/place-order.lua``), and each order id answered with a 201 is written
down by wrk. Afterwards the database must hold every answered order (none lost),
no request may have made two (none duplicated), and the orders nobody was
answered for are at most the requests in flight when the load stopped, one per
connection.
"""

import contextlib
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Accounting:
    """The orders of one placement run, checked against wrk's answers."""

    answered: int
    written: int
    lost: int
    duplicated: int
    unanswered: int
    connections: int

    @property
    def accounted(self) -> bool:
        return (
            self.lost == 0
            and self.duplicated == 0
            and 0 <= self.unanswered <= self.connections
        )


def account(
    *, answered_ids: list[int], notes_by_id: dict[int, str], connections: int
) -> Accounting:
    """Compare the ids answered 201 with the orders written for the same run."""
    answered = set(answered_ids)
    notes = Counter(notes_by_id.values())
    return Accounting(
        answered=len(answered_ids),
        written=len(notes_by_id),
        lost=len(answered - notes_by_id.keys()),
        # Two answers with one id, or two orders from one request (one note).
        duplicated=(len(answered_ids) - len(answered))
        + sum(count - 1 for count in notes.values()),
        unanswered=len(notes_by_id.keys() - answered),
        connections=connections,
    )


class OrderLedger:
    """Counts orders straight from the database, and keeps the planner's
    statistics current."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.is_postgresql = database_url.startswith(("postgres://", "postgresql://"))

    @contextlib.contextmanager
    def cursor(self) -> Iterator:
        if self.is_postgresql:
            import psycopg

            with psycopg.connect(self.database_url) as connection:
                yield connection.cursor()
        else:
            path = urlsplit(self.database_url).path
            connection = sqlite3.connect(path.removeprefix("/"), timeout=30)
            try:
                yield connection.cursor()
            finally:
                connection.close()

    def count(self) -> int:
        with self.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM orders_order")
            return cursor.fetchone()[0]

    def settle(self) -> int:
        """The count once the orders still in flight are written: unchanged for a
        quarter of a second (a worker may still be finishing one when the queue
        has drained)."""
        last = self.count()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.count()
            if now == last:
                return now
            last = now
        return last

    def notes_by_id(self, prefix: str) -> dict[int, str]:
        """The orders whose note starts with ``prefix``: one placement run's."""
        with self.cursor() as cursor:
            query = "SELECT id, note FROM orders_order WHERE note LIKE %s"
            if not self.is_postgresql:
                query = "SELECT id, note FROM orders_order WHERE note LIKE ?"
            cursor.execute(query, (prefix + "%",))
            return dict(cursor.fetchall())

    def analyze(self) -> None:
        """Bring the query planner's statistics up to date after a run that wrote.

        A production PostgreSQL server does this by itself (autovacuum), as the
        tables grow. A development server may have autovacuum off; the planner
        then keeps the estimates of an almost empty table and, thousands of orders
        later, reads every order line to find the twenty of one page: what
        would be measured is the server's configuration, not Delivery.
        """
        if not self.is_postgresql:
            return
        with self.cursor() as cursor:
            cursor.execute("ANALYZE")

    def unbalanced(self) -> int:
        """Orders whose lines are missing or do not add up to the subtotal."""
        with self.cursor() as cursor:
            cursor.execute(
                # Rounded: SQLite adds decimals as binary floating point numbers.
                "SELECT COUNT(*) FROM orders_order o WHERE ROUND(o.subtotal, 2) <> "
                "ROUND(COALESCE((SELECT SUM(i.line_total) FROM orders_orderitem i "
                "WHERE i.order_id = o.id), 0), 2)"
            )
            return cursor.fetchone()[0]
