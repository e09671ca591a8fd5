"""The menu pages of the site: restaurants and their menus, for anyone."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from menu import selectors


def restaurant_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("search", "").strip()[:100]
    cuisine = request.GET.get("cuisine", "").strip()[:60]
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
