"""A history of orders built in SQL, in seconds: the history scenario's data.

On a database with the demo data (``seed_demo``), ``build`` writes ``orders``
orders, each with two lines, as a real term of use would leave them:

- one order every 30 seconds, the newest now: a million orders span a year, a
  thousand eight hours;
- half of them Mario's Pizzeria's (the demo's ``chef`` cooks there), the rest
  spread over the other restaurants;
- a tenth of them alice's, the rest spread over 999 other customers;
- nearly all delivered (2 % cancelled), but for the last 20 minutes' orders, still
  with the kitchen: placed, preparing, ready, out for delivery, by age. A
  kitchen's current work is the same at every size; only the history grows.

Every order's lines add up to its subtotal, and its total is the subtotal plus the
restaurant's delivery fee, as ``orders.services.place_order`` would write them.
The rows are made by ``generate_series`` inside PostgreSQL, with the secondary
indexes dropped meanwhile and made again afterwards, in one transaction; then the
tables are vacuumed and analyzed, as autovacuum would do after such a load.
"""

import psycopg

OTHER_CUSTOMERS = 999
SECONDS_BETWEEN_ORDERS = 30
MARIOS = "marios-pizzeria"
CUSTOMER = "alice"
# By age, in minutes: younger than 5 placed, then preparing, ready, out.
ACTIVE_MINUTES = 20

CUSTOMERS = """
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
                           email, is_staff, is_active, date_joined, role)
SELECT '!', false, 'diner' || lpad(n::text, 4, '0'), '', '', '', false, true, now(),
       'customer'
FROM generate_series(1, %(others)s) AS n
ON CONFLICT DO NOTHING
"""

RESTAURANT_SLOTS = """
CREATE TEMP TABLE history_restaurants ON COMMIT DROP AS
SELECT r.id AS restaurant_id, r.delivery_fee,
       (row_number() OVER (ORDER BY r.slug <> %(marios)s, r.id) - 1)::int AS slot,
       d1.id AS dish1, d1.name AS name1, d1.price AS price1,
       d2.id AS dish2, d2.name AS name2, d2.price AS price2
FROM menu_restaurant r
CROSS JOIN LATERAL (SELECT id, name, price FROM menu_menuitem
                    WHERE restaurant_id = r.id AND available
                    ORDER BY id LIMIT 1) d1
CROSS JOIN LATERAL (SELECT id, name, price FROM menu_menuitem
                    WHERE restaurant_id = r.id AND available
                    ORDER BY id OFFSET 1 LIMIT 1) d2
"""

CUSTOMER_SLOTS = """
CREATE TEMP TABLE history_customers ON COMMIT DROP AS
SELECT id AS customer_id,
       (row_number() OVER (ORDER BY username <> %(customer)s, id) - 1)::int AS slot
FROM accounts_user
WHERE username = %(customer)s OR username LIKE 'diner%%'
"""

ORDERS = """
INSERT INTO orders_order (customer_id, restaurant_id, status, delivery_address, note,
                          subtotal, delivery_fee, total, idempotency_key,
                          request_fingerprint, created_at, updated_at)
SELECT c.customer_id, r.restaurant_id,
       CASE WHEN g.age < interval '5 minutes' THEN 'placed'
            WHEN g.age < interval '10 minutes' THEN 'preparing'
            WHEN g.age < interval '15 minutes' THEN 'ready'
            WHEN g.age < make_interval(mins => %(active)s) THEN 'out_for_delivery'
            WHEN g.luck < 0.02 THEN 'cancelled'
            ELSE 'delivered' END,
       '1 History Lane', '', r.price1 + r.price2, r.delivery_fee,
       r.price1 + r.price2 + r.delivery_fee, NULL, '',
       g.now - g.age, g.now - g.age + least(g.age, interval '40 minutes')
FROM (
    SELECT n,
           statement_timestamp() AS now,
           make_interval(secs => (%(orders)s - n) * %(step)s) AS age,
           random() AS luck,
           CASE WHEN random() < 0.5 THEN 0
                ELSE 1 + floor(random() * %(others_restaurants)s)::int END AS rslot,
           CASE WHEN random() < 0.1 THEN 0
                ELSE 1 + floor(random() * %(others_customers)s)::int END AS cslot
    FROM generate_series(1, %(orders)s) AS n
) g
JOIN history_restaurants r ON r.slot = g.rslot
JOIN history_customers c ON c.slot = g.cslot
ORDER BY g.n
"""

LINES = """
INSERT INTO orders_orderitem (order_id, menu_item_id, name, unit_price, quantity,
                              line_total)
SELECT o.id,
       CASE line WHEN 1 THEN r.dish1 ELSE r.dish2 END,
       CASE line WHEN 1 THEN r.name1 ELSE r.name2 END,
       CASE line WHEN 1 THEN r.price1 ELSE r.price2 END,
       1,
       CASE line WHEN 1 THEN r.price1 ELSE r.price2 END
FROM orders_order o
JOIN history_restaurants r ON r.restaurant_id = o.restaurant_id
CROSS JOIN generate_series(1, 2) AS line
ORDER BY o.id, line
"""


# The secondary indexes of the two tables (none that backs a constraint): dropped
# before the load and made again after it, as a bulk load is done.
SECONDARY_INDEXES = """
SELECT i.indexname, i.indexdef
FROM pg_indexes i
WHERE i.schemaname = current_schema()
  AND i.tablename IN ('orders_order', 'orders_orderitem')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
ORDER BY i.indexname
"""


def build(database_url: str, *, orders: int, seed: float = 0.42) -> dict[str, int]:
    """Replace the orders of the database with a history of ``orders`` orders.

    Returns what was written: orders, lines, Mario's, alice's, and the orders still
    with a kitchen.
    """
    with psycopg.connect(database_url) as connection:
        # The rows are consistent by construction: the foreign keys' triggers,
        # one check per row and key, would take most of the time.
        connection.execute("SET LOCAL session_replication_role = replica")
        connection.execute("SELECT setseed(%s)", (seed,))
        connection.execute("TRUNCATE orders_orderitem, orders_order RESTART IDENTITY")
        indexes = connection.execute(SECONDARY_INDEXES).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.execute(CUSTOMERS, {"others": OTHER_CUSTOMERS})
        connection.execute(RESTAURANT_SLOTS, {"marios": MARIOS})
        connection.execute(CUSTOMER_SLOTS, {"customer": CUSTOMER})
        restaurants = connection.execute(
            "SELECT count(*) FROM history_restaurants"
        ).fetchone()[0]
        customers = connection.execute(
            "SELECT count(*) FROM history_customers"
        ).fetchone()[0]
        connection.execute(
            ORDERS,
            {
                "orders": orders,
                "step": SECONDS_BETWEEN_ORDERS,
                "active": ACTIVE_MINUTES,
                "others_restaurants": restaurants - 1,
                "others_customers": customers - 1,
            },
        )
        connection.execute(LINES)
        for _, definition in indexes:
            connection.execute(definition)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE) orders_order, orders_orderitem")
        connection.execute("VACUUM (ANALYZE) accounts_user")
        return census(connection)


def census(connection: psycopg.Connection) -> dict[str, int]:
    """What the history holds."""
    row = connection.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE r.slug = %(marios)s),
               count(*) FILTER (WHERE u.username = %(customer)s),
               count(*) FILTER (WHERE o.status NOT IN ('delivered', 'cancelled')),
               count(*) FILTER (WHERE o.status = 'delivered'),
               (SELECT count(*) FROM orders_orderitem)
        FROM orders_order o
        JOIN menu_restaurant r ON r.id = o.restaurant_id
        JOIN accounts_user u ON u.id = o.customer_id
        """,
        {"marios": MARIOS, "customer": CUSTOMER},
    ).fetchone()
    return dict(
        zip(
            ("orders", "marios", "alice", "active", "delivered", "lines"),
            row,
            strict=True,
        )
    )
