"""Whose table: the attendee a lab request comes from, known by their real card."""

from dataclasses import dataclass

from django.http import HttpRequest

from accounts.models import User


@dataclass(frozen=True)
class Table:
    """An attendee's table in the lab, and the address they reached the site at."""

    attendee_id: int
    username: str
    host: str


def table_from_cookie(request: HttpRequest) -> Table | None:
    """The table of the real card in the site's cookie (``request.token_user``).

    The broken waiter and the drop box read the attendee from the cookie alone:
    their ``Authorization`` header, or their body, is what is being tried. The
    account is read again, so a disabled or deleted one has no table.
    """
    holder = request.token_user
    if not holder.is_authenticated:
        return None
    username = (
        User.objects.filter(pk=holder.id, is_active=True)
        .values_list("username", flat=True)
        .first()
    )
    if username is None:
        return None
    return Table(attendee_id=holder.id, username=username, host=request.get_host())
