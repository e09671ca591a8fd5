"""Reads of the menu, each in a fixed number of queries whatever the menu's size."""

from django.db.models import Prefetch, QuerySet

from menu.models import Category, MenuItem, Restaurant


def restaurants() -> QuerySet[Restaurant]:
    return Restaurant.objects.order_by("name")


def restaurant_menus() -> QuerySet[Restaurant]:
    """Restaurants with their categories and dishes: three queries in all."""
    dishes = MenuItem.objects.order_by("name")
    categories = Category.objects.order_by("position", "name").prefetch_related(
        Prefetch("items", queryset=dishes)
    )
    return restaurants().prefetch_related(Prefetch("categories", queryset=categories))


def menu_items() -> QuerySet[MenuItem]:
    return MenuItem.objects.select_related("restaurant", "category").order_by(
        "restaurant__name", "category__position", "category__name", "name"
    )


def cuisines() -> list[str]:
    return list(
        Restaurant.objects.order_by("cuisine")
        .values_list("cuisine", flat=True)
        .distinct()
    )
