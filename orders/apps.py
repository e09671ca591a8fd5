from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """The waiter and the kitchen: orders that need a valid ID card."""

    name = "orders"
    verbose_name = "Orders"
