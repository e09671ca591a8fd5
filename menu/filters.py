"""Filters of the public menu API (django-filter)."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

from menu.models import MenuItem, Restaurant

BOOLEAN_CHOICES = ("true", "false", "1", "0")


@extend_schema_field(
    {
        "type": "boolean",
        "description": "`true` or `false` (`1` and `0` are taken too); absent, or "
        "empty, filters nothing.",
    }
)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false`` (or 1/0); anything else is a 400, not silently ignored.

    An empty value, which the browsable API's filter form sends for "any", filters
    nothing. The schema says boolean, which clients send as ``true``/``false``: an
    enum of strings with an empty member would be generated as a class of odd
    constants, and the empty one is the same as leaving the filter out.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("choices", [(v, v) for v in BOOLEAN_CHOICES])
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


class SearchFilter(filters.SearchFilter):
    """DRF's ``?search=``, whose refusal names the parameter as field errors do.

    DRF validates the search as text and refuses a NUL character with a bare list
    of messages; the API's 400 is ``{field: [messages]}``.
    """

    def get_search_terms(self, request):
        try:
            return super().get_search_terms(request)
        except ValidationError as exc:
            raise ValidationError({self.search_param: exc.detail}) from exc
