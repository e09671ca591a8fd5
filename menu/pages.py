"""The menu pages of the site: restaurants and their menus, for anyone."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from menu import selectors


def query_text(request: HttpRequest, name: str, *, limit: int) -> str:
    """A query parameter as text to search with: no NUL, which no column can
    hold (PostgreSQL refuses the query), trimmed and cut to ``limit``."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


def restaurant_list(request: HttpRequest) -> HttpResponse:
    search = query_text(request, "search", limit=100)
    cuisine = query_text(request, "cuisine", limit=60)
    restaurants = selectors.restaurants()
    if search:
        restaurants = restaurants.filter(
            Q(name__icontains=search)
            | Q(cuisine__icontains=search)
            | Q(description__icontains=search)
        )
    if cuisine:
        restaurants = restaurants.filter(cuisine__iexact=cuisine)
    return render(
        request,
        "menu/restaurant_list.html",
        {
            "restaurants": restaurants,
            "cuisines": selectors.cuisines(),
            "search": search,
            "cuisine": cuisine,
        },
    )


def restaurant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    restaurant = get_object_or_404(selectors.restaurant_menus(), slug=slug)
    return render(request, "menu/restaurant_detail.html", {"restaurant": restaurant})
