"""Who runs the workshop: staff of the site, read from the database, never the card."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.models import User


def is_instructor(request: HttpRequest) -> bool:
    """Staff of the site (Django's ``is_staff``), read from the database.

    The card says who the person is; whether they run the workshop is not a claim,
    so it is looked up.
    """
    if not request.token_user.is_authenticated:
        return False
    return User.objects.filter(
        pk=request.token_user.id, is_staff=True, is_active=True
    ).exists()


def instructor(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``is_instructor``, looked up only if a page asks."""
    return {"is_instructor": SimpleLazyObject(lambda: is_instructor(request))}
