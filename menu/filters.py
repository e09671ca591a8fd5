"""Filters of the public menu API (django-filter)."""

import django_filters

from menu.models import MenuItem, Restaurant


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false`` (or 1/0); anything else is a 400, not silently ignored."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("choices", [(v, v) for v in ("true", "false", "1", "0")])
        kwargs.setdefault("coerce", lambda value: value in {"true", "1"})
        super().__init__(*args, **kwargs)


class RestaurantFilter(django_filters.FilterSet):
    cuisine = django_filters.CharFilter(field_name="cuisine", lookup_expr="iexact")

    class Meta:
        model = Restaurant
        fields = ["cuisine"]


class MenuItemFilter(django_filters.FilterSet):
    restaurant = django_filters.CharFilter(field_name="restaurant__slug")
    category = django_filters.CharFilter(
        field_name="category__name", lookup_expr="iexact"
    )
    vegetarian = StrictBooleanFilter()

    class Meta:
        model = MenuItem
        fields = ["restaurant", "category", "vegetarian"]
