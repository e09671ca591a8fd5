"""The order pages of the site: the cart, my orders and the kitchen board.

The pages are shells: their JavaScript asks the API for the orders, with the
access token the browser keeps in its cookie, and shows each call on the waiter's
notepad. Deciding who may see a page costs no query: the card is checked by its
signature.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.pages import login_required_page
from menu.models import Restaurant
from orders.models import OrderStatus
from orders.selectors import RECENT_HOURS

# The board's columns: one per status an order waits in, then the finished ones
# (the API's board keeps those placed in the last few hours).
BOARD_COLUMNS = [
    (OrderStatus.PLACED.value, OrderStatus.PLACED.label),
    (OrderStatus.PREPARING.value, OrderStatus.PREPARING.label),
    (OrderStatus.READY.value, OrderStatus.READY.label),
    (OrderStatus.OUT_FOR_DELIVERY.value, OrderStatus.OUT_FOR_DELIVERY.label),
    ("done", f"Delivered or cancelled, placed in the last {RECENT_HOURS} hours"),
]


def cart(request: HttpRequest) -> HttpResponse:
    return render(request, "orders/cart.html")


def my_orders(request: HttpRequest) -> HttpResponse:
    if (to_login := login_required_page(request)) is not None:
        return to_login
    names = dict(Restaurant.objects.values_list("slug", "name"))
    return render(request, "orders/my_orders.html", {"restaurant_names": names})


def kitchen(request: HttpRequest) -> HttpResponse:
    if (to_login := login_required_page(request)) is not None:
        return to_login
    if not request.token_user.is_kitchen:
        return render(request, "orders/kitchen_only.html", status=403)
    restaurant = Restaurant.objects.filter(staff__id=request.token_user.id).first()
    return render(
        request,
        "orders/kitchen.html",
        {"restaurant": restaurant, "columns": BOARD_COLUMNS},
    )
