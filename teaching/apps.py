from django.apps import AppConfig


class TeachingConfig(AppConfig):
    """The teaching layer: the token inspector, the ticket rail and the workshop.

    It reads the front desk (``accounts``) and listens to it; the front desk never
    imports it.
    """

    name = "teaching"
    verbose_name = "Teaching (inspector, ticket rail, workshop)"

    def ready(self) -> None:
        from accounts.signals import token_event
        from teaching import ticket_rail

        token_event.connect(ticket_rail.on_token_event, dispatch_uid="ticket-rail")
