"""The public menu API: anyone may read it; a token is neither needed nor read."""

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotAcceptable
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings

from menu import cache, selectors
from menu.filters import MenuItemFilter, RestaurantFilter, SearchFilter
from menu.schema import conditional_read
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

    # The query parameters that shape an answer (filters, search, page): answers
    # are cached for queries made of these alone.
    cached_parameters: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        key = self.answer_key(request) if request.method in {"GET", "HEAD"} else None
        if key is None:
            return super().dispatch(request, *args, **kwargs)
        try:
            version, answer = cache.lookup(key)
        except cache.VersionUnavailable:
            # Without the shared version, a kept answer might be stale: the
            # database answers instead, and nothing is kept.
            return super().dispatch(request, *args, **kwargs)
        if answer is None:
            response = super().dispatch(request, *args, **kwargs)
            answer = cache.keep_answer(key, version, response)
            if answer is None:
                return response
        return cache.respond(request, answer, version)

    def answer_key(self, request: HttpRequest) -> str | None:
        """The cache key of this request's answer, or None to leave it uncached.

        Only JSON is kept, and only for a query of the parameters the view reads,
        each given once: any other parameter would make a new entry at the
        client's will, and the answer's links (``next``) would carry it on.
        """
        known = {*self.cached_parameters, api_settings.URL_FORMAT_OVERRIDE}
        query = request.GET
        if any(name not in known or len(query.getlist(name)) > 1 for name in query):
            return None
        try:
            renderer, media_type = self.get_content_negotiator().select_renderer(
                Request(request), self.get_renderers()
            )
        except (NotAcceptable, Http404):
            return None
        if not isinstance(renderer, JSONRenderer):
            return None
        indent = renderer.get_indent(media_type, {})
        return cache.answer_key(request, representation=f"json;indent={indent}")


@extend_schema_view(
    list=conditional_read(
        RestaurantSerializer,
        summary="The restaurants",
        description=(
            "Every open restaurant, public: no token needed. Search by name, "
            "cuisine or description (`search`), or pick a cuisine (`cuisine`)."
        ),
    ),
    retrieve=conditional_read(
        RestaurantMenuSerializer,
        summary="One restaurant and its menu",
        description="The restaurant with its dishes, grouped by category.",
    ),
)
class RestaurantViewSet(
    CachedMenuMixin, PublicMenuMixin, viewsets.ReadOnlyModelViewSet
):
    """Restaurants; one restaurant comes with its menu grouped by category."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    cached_parameters = ("search", "cuisine", "page")
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


@extend_schema_view(
    list=conditional_read(
        MenuItemSerializer,
        summary="The dishes",
        description=(
            "Dishes of every restaurant, public: filter by restaurant (its slug), "
            "category and diet (`vegetarian=true`), or search by name and "
            "description."
        ),
    ),
    retrieve=conditional_read(
        MenuItemSerializer,
        summary="One dish",
        description="One dish, with its price, diet, availability and restaurant.",
    ),
)
class MenuItemViewSet(CachedMenuMixin, PublicMenuMixin, viewsets.ReadOnlyModelViewSet):
    """Dishes of every restaurant, filterable by restaurant, category and diet."""

    serializer_class = MenuItemSerializer
    filterset_class = MenuItemFilter
    cached_parameters = ("search", "restaurant", "category", "vegetarian", "page")
    filter_backends = [
        *viewsets.ReadOnlyModelViewSet.filter_backends,
        SearchFilter,
    ]
    search_fields = ["name", "description"]

    def get_queryset(self):
        return selectors.menu_items()
