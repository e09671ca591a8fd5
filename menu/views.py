"""The public menu API: anyone may read it; a token is neither needed nor read."""

from rest_framework import filters, permissions, viewsets

from menu import selectors
from menu.filters import MenuItemFilter, RestaurantFilter
from menu.serializers import (
    MenuItemSerializer,
    RestaurantMenuSerializer,
    RestaurantSerializer,
)


class PublicMenuMixin:
    """Reading the menu needs no ID card, and a broken card does not stop it."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []


class RestaurantViewSet(PublicMenuMixin, viewsets.ReadOnlyModelViewSet):
    """Restaurants; one restaurant comes with its menu grouped by category."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = RestaurantFilter
    filter_backends = [
        *viewsets.ReadOnlyModelViewSet.filter_backends,
        filters.SearchFilter,
    ]
    search_fields = ["name", "cuisine", "description"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.restaurant_menus()
        return selectors.restaurants()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RestaurantMenuSerializer
        return RestaurantSerializer


class MenuItemViewSet(PublicMenuMixin, viewsets.ReadOnlyModelViewSet):
    """Dishes of every restaurant, filterable by restaurant, category and diet."""

    serializer_class = MenuItemSerializer
    filterset_class = MenuItemFilter
    filter_backends = [
        *viewsets.ReadOnlyModelViewSet.filter_backends,
        filters.SearchFilter,
    ]
    search_fields = ["name", "description"]

    def get_queryset(self):
        return selectors.menu_items()
