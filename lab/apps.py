from django.apps import AppConfig


class LabConfig(AppConfig):
    """The attack labs: a deliberately broken waiter, and what the server saw solved.

    Installed only while ``LABS_ENABLED`` (DEBUG, or ``make workshop``). It listens
    to the front desk's token events (``accounts.signals``) and to orders being
    placed; nothing imports it.
    """

    name = "lab"
    verbose_name = "Attack labs (never in production)"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_save

        from accounts.signals import token_event
        from lab import progress
        from lab.checks import labs_are_off
        from orders.models import Order

        token_event.connect(progress.on_token_event, dispatch_uid="lab-progress")
        post_save.connect(
            progress.on_order_placed, sender=Order, dispatch_uid="lab-order-placed"
        )
        checks.register(labs_are_off, checks.Tags.security, deploy=True)
