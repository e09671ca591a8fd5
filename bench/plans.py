"""A list's queries, their plans, and whether a plan reads only what it returns.

``python -m bench.plans`` runs in the environment of the server under test: it asks
for each list with Django's test client, as the server would answer it, and writes
down the SQL of every query (``CaptureQueriesContext``). The driver then has
PostgreSQL run each one under ``EXPLAIN (ANALYZE)`` and judges the plan: no node
that reads a table or an index may read more rows than the query returns, give or
take a page. A page of a list that reads the whole history to find its twenty
rows (a sort, an ``OFFSET``, a ``COUNT(*)``) fails; one that walks an index from
where the page starts passes.
"""

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The nodes that read rows from a table or an index. A bitmap index scan's rows
# are read again, and counted, by the bitmap heap scan above it.
READING_NODES = {
    "Seq Scan",
    "Index Scan",
    "Index Only Scan",
    "Bitmap Heap Scan",
    "Tid Scan",
    "Tid Range Scan",
}
DISCARDED = (
    "Rows Removed by Filter",
    "Rows Removed by Index Recheck",
    "Rows Removed by Join Filter",
)


@dataclass(frozen=True)
class Reading:
    """One node of a plan that reads rows: how many it looked at."""

    node: str
    relation: str
    index: str
    examined: int


@dataclass(frozen=True)
class PlanVerdict:
    """What a plan returned and read, and whether it stays within a page."""

    returned: int
    readings: list[Reading]
    page: int

    @property
    def most(self) -> Reading | None:
        return max(self.readings, key=lambda r: r.examined, default=None)

    @property
    def met(self) -> bool:
        most = self.most
        return most is None or most.examined <= self.returned + self.page

    def summary(self) -> str:
        most = self.most
        returned = f"returns {self.returned:,} row{'' if self.returned == 1 else 's'}"
        if most is None:
            return f"{returned}, reads no table"
        where = f"{most.node} on {most.relation}"
        if most.index:
            where += f" using {most.index}"
        return f"{returned}, reads at most {most.examined:,} ({where})"


def readings(node: dict[str, Any]) -> list[Reading]:
    """Every reading node of a plan (EXPLAIN's JSON), with the rows it examined."""
    found = []
    if node["Node Type"] in READING_NODES:
        loops = node.get("Actual Loops", 1)
        examined = node.get("Actual Rows", 0) + sum(node.get(k, 0) for k in DISCARDED)
        found.append(
            Reading(
                node=node["Node Type"],
                relation=node.get("Relation Name", ""),
                index=node.get("Index Name", ""),
                examined=round(examined * loops),
            )
        )
    for child in node.get("Plans", []):
        found += readings(child)
    return found


def judge(explained: list[dict[str, Any]], *, page: int) -> PlanVerdict:
    """Judge the output of ``EXPLAIN (ANALYZE, FORMAT JSON)``."""
    plan = explained[0]["Plan"]
    returned = round(plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1))
    return PlanVerdict(returned=returned, readings=readings(plan), page=page)


def explain(database_url: str, sql: str) -> tuple[str, list[dict[str, Any]]]:
    """PostgreSQL's plan of a query, run: as text, and as JSON."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        text = "\n".join(
            row[0] for row in connection.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        )
        explained = connection.execute(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"
        ).fetchone()[0]
    return text, explained


def capture(requests: list[dict[str, str]], tokens: dict[str, str], host: str) -> dict:
    """The SELECTs each request runs, as the server runs them (in-process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    found = {}
    for request in requests:
        headers = {"Authorization": f"Bearer {tokens[request['user']]}"}
        client.get(request["path"], headers=headers)  # warm, as the server is
        with CaptureQueriesContext(connection) as queries:
            response = client.get(request["path"], headers=headers)
        if response.status_code != 200:
            raise RuntimeError(
                f"{request['path']}: {response.status_code} {response.content[:200]!r}"
            )
        found[request["name"]] = [
            query["sql"]
            for query in queries.captured_queries
            if only_reads(query["sql"])
        ]
    return found


def only_reads(sql: str) -> bool:
    """A query that only reads: a SELECT, or a UNION of them, which begins with
    the first one's parenthesis."""
    return sql.lstrip("( \n").upper().startswith("SELECT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    found = capture(
        json.loads(args.requests.read_text()),
        json.loads(args.tokens.read_text()),
        args.host,
    )
    args.out.write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
