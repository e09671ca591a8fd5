"""Who runs the workshop: staff of the site, read from the database, never the card."""

from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
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


def instructors_feed(request: HttpRequest, answer: Callable[[], dict]) -> JsonResponse:
    """A staff page's JSON, to poll: 401 signed out, 403 for others, never cached."""
    if not request.token_user.is_authenticated:
        response = JsonResponse(
            {"detail": "Log in first.", "code": "not_authenticated"}, status=401
        )
    elif not is_instructor(request):
        response = JsonResponse(
            {"detail": "Instructors only.", "code": "permission_denied"}, status=403
        )
    else:
        response = JsonResponse(answer())
    add_never_cache_headers(response)
    return response
