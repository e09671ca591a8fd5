"""The kitchen board's filter: the work by default, the whole history on request."""

from django.db.models import QuerySet
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request
from rest_framework.views import APIView

from orders import selectors
from orders.board_walks import Walks
from orders.models import Order
from orders.serializers import KitchenBoardQuerySerializer


class KitchenBoardFilter(BaseFilterBackend):
    """``?status=`` keeps one status; ``?show=all`` looks past the work, into the
    whole history. Only the list is filtered, so that an action's answer is never
    refused after the action was done."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Order], view: APIView
    ) -> QuerySet[Order] | Walks:
        # A plain dict: an empty ``?status=`` is then a value to refuse, where a
        # query string's empty value would count as no value at all.
        query = KitchenBoardQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        if "status" in wanted:
            queryset = queryset.filter(status=wanted["status"])
        if wanted["show"] == "work":
            return Walks(*selectors.kitchens_work(queryset))
        return queryset
