"""A plan passes when no node reads more rows than the query returns, give or
take a page."""

from bench.plans import judge, only_reads


def node(kind: str, rows: int, *, loops: int = 1, children=(), **more) -> dict:
    return {
        "Node Type": kind,
        "Actual Rows": rows,
        "Actual Loops": loops,
        "Plans": list(children),
        **more,
    }


def explained(plan: dict) -> list[dict]:
    return [{"Plan": plan}]


def index_scan(rows: int, relation: str = "orders_order", **more) -> dict:
    return node(
        "Index Scan",
        rows,
        **{"Relation Name": relation, "Index Name": f"{relation}_idx"},
        **more,
    )


def test_a_keyset_page_reads_what_it_returns():
    plan = node(
        "Limit",
        21,
        children=[
            node(
                "Nested Loop",
                21,
                children=[
                    index_scan(21),
                    index_scan(1, "menu_restaurant", loops=21),
                ],
            )
        ],
    )
    verdict = judge(explained(plan), page=20)
    assert verdict.met
    assert verdict.summary() == (
        "returns 21 rows, reads at most 21 "
        "(Index Scan on orders_order using orders_order_idx)"
    )


def test_counting_the_whole_history_misses():
    plan = node(
        "Aggregate",
        1,
        children=[
            node("Index Only Scan", 100_074, **{"Relation Name": "orders_order"})
        ],
    )
    verdict = judge(explained(plan), page=20)
    assert not verdict.met
    assert verdict.summary().startswith("returns 1 row, reads at most 100,074")


def test_an_offset_reads_every_row_it_skips():
    verdict = judge(explained(node("Limit", 20, children=[index_scan(1001)])), page=20)
    assert not verdict.met


def test_rows_thrown_away_by_a_filter_count_as_read():
    scan = node(
        "Seq Scan",
        20,
        **{"Relation Name": "orders_order", "Rows Removed by Filter": 999_980},
    )
    verdict = judge(explained(node("Limit", 20, children=[scan])), page=20)
    assert verdict.most.examined == 1_000_000
    assert not verdict.met


def test_a_page_of_slack_and_no_more():
    assert judge(explained(node("Limit", 20, children=[index_scan(40)])), page=20).met
    assert not judge(
        explained(node("Limit", 20, children=[index_scan(41)])), page=20
    ).met


def test_a_bitmap_is_counted_once_at_the_heap():
    bitmap = node(
        "Bitmap Heap Scan",
        40,
        **{"Relation Name": "orders_orderitem"},
        children=[node("Bitmap Index Scan", 40, **{"Index Name": "item_order"})],
    )
    verdict = judge(explained(node("Sort", 40, children=[bitmap])), page=20)
    assert [r.node for r in verdict.readings] == ["Bitmap Heap Scan"]
    assert verdict.met


def test_a_union_of_pages_is_explained_as_a_select():
    assert only_reads('SELECT "orders_order"."id" FROM "orders_order"')
    assert only_reads('(SELECT "id" FROM "a" LIMIT 2) UNION ALL (SELECT "id" FROM "b")')
    assert not only_reads('UPDATE "orders_order" SET "status" = \'ready\'')
    assert not only_reads('INSERT INTO "orders_order" ("status") VALUES (\'placed\')')
