"""Order errors, raised by the services; views turn them into HTTP answers once."""


class OrderError(Exception):
    """An order the kitchen refuses.

    ``field`` names the part of the request at fault.
    """

    field = "non_field_errors"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class InvalidOrder(OrderError):
    """The request cannot become an order: unknown, unavailable or mixed dishes."""


class UnknownCustomer(OrderError):
    """The customer a valid access token names no longer exists."""

    field = "customer"


class IdempotencyConflict(OrderError):
    """The same Idempotency-Key came back with a different order."""

    field = "idempotency_key"


class TransitionNotAllowed(OrderError):
    """The order's status does not allow this step (advance or cancel)."""

    field = "status"
