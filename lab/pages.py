"""The labs' pages: the list, a page per lab, the chef's page, the room at a glance."""

import inspect
import json
from functools import cache

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.pages import login_required_page
from api.headers import STRICT
from lab import desks, progress, waiters
from lab.cards import CardRefused, lab_public_pem, lab_secret, read_card, verified
from lab.catalogue import LABS, lessons
from lab.models import Lab, Loot, Review
from lab.room import room_at_a_glance
from lab.tables import table_from_cookie
from menu.models import MenuItem
from teaching.instructors import instructors_feed, is_instructor

# The chef's page runs the scripts a customer's review smuggles in: the lab's
# second mistake. Every other directive stays strict, so no script, however
# injected, can load or send anything to another host.
CHEF_PAGE_POLICY = "; ".join(
    f"{name} {value}"
    for name, value in {**STRICT, "script-src": "'self' 'unsafe-inline'"}.items()
)
MAX_COOKIE_NAMES = 20


@cache
def source_of(lab: str) -> str:
    """The broken waiter's code, as the page shows it: the code that runs."""
    code = inspect.getsource(waiters.WAITERS[lab])
    if lab == Lab.WEAK_SECRET:
        code = inspect.getsource(desks.weak_secret) + "\n\n" + code
    return code


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if (to_login := login_required_page(request)) is not None:
        return to_login
    solved = progress.solved_by(request.token_user.id)
    return render(
        request,
        "lab/index.html",
        {
            "labs": LABS,
            "lessons": lessons(),
            "solved": solved,
            "instructor": is_instructor(request),
        },
    )


@require_GET
def lab_page(request: HttpRequest, lab: str) -> HttpResponse:
    if (to_login := login_required_page(request)) is not None:
        return to_login
    lab = Lab(lab)
    dish = MenuItem.objects.filter(available=True).values_list("pk", flat=True).first()
    return render(
        request,
        "lab/lab.html",
        {
            "lab": lab,
            "story": f"lab/labs/{lab.value}.html",
            "source": source_of(lab),
            "solved": lab.value in progress.solved_by(request.token_user.id),
            "dish": dish,
            "wordlist_size": len(desks.wordlist()),
        },
    )


@require_GET
def public_pem(request: HttpRequest) -> HttpResponse:
    """The lab's public key, which anyone may have: the confusion lab's "secret"."""
    return HttpResponse(lab_public_pem(), content_type="application/x-pem-file")


@require_GET
def chef_page(request: HttpRequest) -> HttpResponse:
    """The chef reads the reviews, on a page that keeps the chef's card in
    ``localStorage`` and shows reviews as markup. DELIBERATELY VULNERABLE, and
    shown only to the review's author."""
    if (to_login := login_required_page(request)) is not None:
        return to_login
    review = Review.objects.filter(author_id=request.token_user.id).first()
    response = render(
        request, "lab/chef.html", {"review": review.text if review else ""}
    )
    response["Content-Security-Policy"] = CHEF_PAGE_POLICY
    return response


def cookie_names(text: str) -> list[str]:
    """The names in a ``document.cookie`` string: never their values."""
    names = (part.split("=", 1)[0].strip() for part in text.split(";"))
    return [name[:100] for name in names if name][:MAX_COOKIE_NAMES]


def stolen_card(text: str, table: str) -> str:
    """The text, if it is the chef's lab card for this table; "" otherwise.

    The drop box keeps nothing else: not a real card, not a stranger's text.
    """
    try:
        card = read_card(text.strip())
        verified(card, "HS256", lab_secret(Lab.STOLEN_FROM_STORAGE), table=table)
    except CardRefused:
        return ""
    return card.raw


@csrf_exempt
@require_POST
def drop_box(request: HttpRequest) -> JsonResponse:
    """The attacker's drop box, where an injected script sends what it read.

    A real attacker's server is on another host and checks no CSRF token; this
    one is the lab's own, so that nothing leaves the room. It knows whose drop
    box it is by the real card in the cookie, which the browser sends to this
    site only from this site's pages (``SameSite=Lax``).
    """
    table = table_from_cookie(request)
    if table is None:
        return JsonResponse(
            {
                "detail": "Log in first: the drop box is yours.",
                "code": "not_authenticated",
            },
            status=403,
        )
    text = request.body.decode("utf-8", errors="replace")
    try:
        sent = json.loads(text)
    except (ValueError, RecursionError):
        sent = {"card": text}
    if not isinstance(sent, dict):
        sent = {"card": text}
    card = sent.get("card") if isinstance(sent.get("card"), str) else ""
    cookies = sent.get("cookies") if isinstance(sent.get("cookies"), str) else ""
    Loot.objects.update_or_create(
        owner_id=table.attendee_id,
        defaults={
            "card": stolen_card(card, table.username),
            "cookie_names": cookie_names(cookies),
        },
    )
    return JsonResponse({"received": True})


@require_GET
def room(request: HttpRequest) -> HttpResponse:
    """The instructor's view of the room, updating by itself. Staff only."""
    if (to_login := login_required_page(request)) is not None:
        return to_login
    if not is_instructor(request):
        return render(request, "lab/instructors_only.html", status=403)
    return render(request, "lab/room.html", {"room": room_at_a_glance()})


@require_GET
def room_feed(request: HttpRequest) -> JsonResponse:
    """The room as JSON, for the page to poll. Staff only."""
    return instructors_feed(request, room_at_a_glance)
