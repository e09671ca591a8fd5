"""The orders still in a kitchen get an index of their own, newest first.

The board's work is read as two index walks (``orders.board_walks``): the orders
placed in the last hours along ``order_restaurant_recent``, then the older ones
still in the kitchen along this partial index, which holds only those. The index
on ``updated_at`` served the work's old definition (finished in the last hours)
and goes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_list_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="order", name="order_restaurant_updated"),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                condition=models.Q(
                    status__in=("placed", "preparing", "ready", "out_for_delivery")
                ),
                fields=["restaurant", "-created_at", "-id"],
                name="order_restaurant_work",
            ),
        ),
    ]
