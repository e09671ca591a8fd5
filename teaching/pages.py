"""The teaching pages: the token inspector, the ticket rail and the workshop handout.

The inspector explains the card the browser holds without ever handing it to the
page's JavaScript; the ticket rail shows the instructor what happens to cards.
"""

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from accounts.cookies import read_access_cookie
from accounts.pages import login_required_page
from teaching import ticket_rail
from teaching.inspection import inspect_token
from teaching.instructors import instructors_feed, is_instructor


@require_GET
def ticket_rail_page(request: HttpRequest) -> HttpResponse:
    """The instructor's view of token events, newest first, updating by itself."""
    if (to_login := login_required_page(request)) is not None:
        return to_login
    if not is_instructor(request):
        return render(request, "teaching/instructors_only.html", status=403)
    return render(
        request, "teaching/ticket_rail.html", {"tickets": ticket_rail.latest()}
    )


@require_GET
def ticket_rail_feed(request: HttpRequest) -> JsonResponse:
    """The rail as JSON, for the page to poll. Instructors only."""
    return instructors_feed(
        request,
        lambda: {"tickets": [asdict(ticket) for ticket in ticket_rail.latest()]},
    )


def token_inspector(request: HttpRequest) -> HttpResponse:
    return render(request, "teaching/token_inspector.html")


@require_GET
def my_token(request: HttpRequest) -> JsonResponse:
    """Explain the access token in the browser's cookie, all but its signature.

    The header and payload are no secret: anyone holding the token can decode them.
    The signature is withheld, because with it the page could rebuild the whole
    token, and the point of the httpOnly cookie is that page scripts never can.
    """
    raw_token = read_access_cookie(request)
    if raw_token is None:
        response = JsonResponse(
            {
                "detail": "This browser holds no access token: log in first.",
                "code": "no_token",
            },
            status=404,
        )
    else:
        holder = request.token_user
        inspection = inspect_token(
            raw_token, viewer_id=holder.id if holder.is_authenticated else None
        )
        signature = inspection.pop("signature")
        response = JsonResponse(
            {
                **inspection,
                "signature": None,
                "signature_length": len(signature),
                "source": "cookie",
            }
        )
    add_never_cache_headers(response)
    return response
