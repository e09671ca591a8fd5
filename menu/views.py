"""The public menu API: anyone may read it; a token is neither needed nor read."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework import permissions, viewsets

from menu import cache, selectors
from menu.filters import MenuItemFilter, RestaurantFilter, SearchFilter
from menu.serializers import (
    MenuItemSerializer,
    RestaurantMenuSerializer,
    RestaurantSerializer,
)


class PublicMenuMixin:
    """Reading the menu needs no ID card, and a broken card does not stop it."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []


class CachedMenuMixin:
    """Serve repeated reads from the cache and revalidations with a 304.

    A hit skips the whole of DRF: no serializer runs and no query is made. A miss
    goes through DRF as usual, and its answer is kept if it is a JSON 200. Both
    leave through ``cache.respond``, so a hit is byte for byte the same as a miss.
    """

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method not in {"GET", "HEAD"}:
            return super().dispatch(request, *args, **kwargs)
        version, key, answer = cache.lookup(request)
        if answer is None:
            response = super().dispatch(request, *args, **kwargs)
            answer = cache.keep_answer(key, version, response)
            if answer is None:
                return response
        return cache.respond(request, answer, version)


class RestaurantViewSet(
    CachedMenuMixin, PublicMenuMixin, viewsets.ReadOnlyModelViewSet
):
    """Restaurants; one restaurant comes with its menu grouped by category."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = RestaurantFilter
    filter_backends = [
        *viewsets.ReadOnlyModelViewSet.filter_backends,
        SearchFilter,
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


class MenuItemViewSet(CachedMenuMixin, PublicMenuMixin, viewsets.ReadOnlyModelViewSet):
    """Dishes of every restaurant, filterable by restaurant, category and diet."""

    serializer_class = MenuItemSerializer
    filterset_class = MenuItemFilter
    filter_backends = [
        *viewsets.ReadOnlyModelViewSet.filter_backends,
        SearchFilter,
    ]
    search_fields = ["name", "description"]

    def get_queryset(self):
        return selectors.menu_items()
