"""The room's cards, printed by the instructor: several to an A4 sheet.

The passwords exist in clear only in the answer to the form: the database keeps
their hashes. Asking again makes new passwords, and the old cards stop working.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.pages import login_required_page
from teaching.pages import is_instructor
from teaching.room import addresses
from teaching.room.accounts import MAX_ATTENDEES, issue_cards, room_accounts

DEFAULT_ATTENDEES = 30


class CardsForm(forms.Form):
    attendees = forms.IntegerField(
        label="Attendees",
        min_value=1,
        max_value=MAX_ATTENDEES,
        help_text="One card each, plus one card for the cook of every kitchen.",
    )


def room_context(request: HttpRequest) -> dict:
    """The address on the cards, and better ones when it is this machine's own."""
    host, port = addresses.request_host_and_port(request)
    address = f"{request.scheme}://{host}:{port}"
    elsewhere = []
    if addresses.is_loopback(host):
        elsewhere = [
            f"{request.scheme}://{other}:{port}{request.path}"
            for other in addresses.room_hosts_for_attendees()
        ]
    return {"address": address, "elsewhere": elsewhere}


@require_http_methods(["GET", "POST"])
def room_cards(request: HttpRequest) -> HttpResponse:
    """The form that makes the cards (GET), and the sheet of cards it gives (POST)."""
    if (to_login := login_required_page(request)) is not None:
        return to_login
    if not is_instructor(request):
        return render(request, "teaching/instructors_only.html", status=403)
    accounts = room_accounts()
    attendees = accounts.filter(role=Role.CUSTOMER, is_active=True).count()
    form = CardsForm(
        request.POST or None, initial={"attendees": attendees or DEFAULT_ATTENDEES}
    )
    context = {**room_context(request), "form": form}
    if request.method == "POST" and form.is_valid():
        cards = issue_cards(attendees=form.cleaned_data["attendees"])
        response = render(request, "teaching/cards.html", {**context, "cards": cards})
        add_never_cache_headers(response)
        return response
    context.update(
        attendees=attendees,
        cooks=accounts.filter(role=Role.KITCHEN, is_active=True).count(),
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "teaching/cards_form.html", context, status=status)
