"""Indexes in the order of each list, so that a page costs the same at any depth.

The single-column indexes of the two foreign keys go: the composite indexes begin
with the same columns. Django's AlterField would drop and re-create the foreign
keys to do it, which checks every order again; only the indexes are dropped here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def foreign_key_without_index(to: str) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="orders",
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("menu", "0001_initial"),
        ("orders", "0002_exact_amount_checks_on_sqlite"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="order", name="order_customer_recent"),
        migrations.RemoveIndex(model_name="order", name="order_restaurant_status"),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["customer", "-created_at", "-id"],
                name="order_customer_recent",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["restaurant", "-created_at", "-id"],
                name="order_restaurant_recent",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["restaurant", "status", "-created_at", "-id"],
                name="order_restaurant_status",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["restaurant", "updated_at"], name="order_restaurant_updated"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="order",
                    name="customer",
                    field=foreign_key_without_index(settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name="order",
                    name="restaurant",
                    field=foreign_key_without_index("menu.restaurant"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql='DROP INDEX IF EXISTS "orders_order_customer_id_0b76f6a4"',
                    reverse_sql=(
                        'CREATE INDEX "orders_order_customer_id_0b76f6a4" '
                        'ON "orders_order" ("customer_id")'
                    ),
                ),
                migrations.RunSQL(
                    sql='DROP INDEX IF EXISTS "orders_order_restaurant_id_a38fbfc0"',
                    reverse_sql=(
                        'CREATE INDEX "orders_order_restaurant_id_a38fbfc0" '
                        'ON "orders_order" ("restaurant_id")'
                    ),
                ),
            ],
        ),
    ]
