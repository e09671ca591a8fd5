"""The API's pages: numbered for the menu, by cursor for the order lists."""

from django.core.paginator import Page, Paginator
from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import NotFound


class ShortFirstPagePaginator(Paginator):
    """Django's paginator, minus the ``COUNT(*)`` when the first page says it all.

    The first page is read first; when it holds fewer rows than a page can, those
    rows are all there is, and counting them again in the database would only
    repeat the answer. Most people have fewer orders than a page holds, so their
    lists cost one query less. A full first page is counted when the answer needs
    the count, as any other page is.
    """

    def page(self, number):
        if number not in (1, "1") or self.orphans:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if not rows and not self.allow_empty_first_page:
            return super().page(number)
        if len(rows) < self.per_page:
            self.count = len(rows)  # Paginator.count is a cached property.
        return Page(rows, 1, self)


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, as strict as the schema that documents them.

    DRF also takes ``page=last``, and an empty ``page=`` as the first page; the
    schema documents a whole number from 1, so either is a 404 ("Invalid page."),
    as ``page=abc`` and a page past the end already are.
    """

    last_page_strings = ()
    django_paginator_class = ShortFirstPagePaginator

    def get_page_number(self, request, paginator) -> str | int:
        return request.query_params.get(self.page_query_param, 1)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class NewestFirstPagination(pagination.CursorPagination):
    """Newest first, a page at a time, each page read from where the last ended.

    DRF's cursor pages for lists that only grow (orders): the ``next`` link holds
    the creation time of the last item shown, and the next page is the items
    created before it, read from an index in that order. A page costs the same at
    the first order and at the hundred-thousandth, and an item added meanwhile
    neither repeats nor hides another. There is no ``count``: counting a long
    history would cost more than the page itself, on every request.
    """

    ordering = ("-created_at", "-id")
    cursor_query_description = (
        "Where the page starts: the `cursor` of a `next` or `previous` link, as given."
    )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["next", "previous", "results"]
        links = answer["properties"]
        links["next"]["description"] = "The page of older items; null on the last."
        links["next"]["example"] = "https://delivery.example/api/orders/?cursor=cD0y"
        links["previous"]["description"] = "The page of newer items; null on the first."
        links["previous"]["example"] = (
            "https://delivery.example/api/orders/?cursor=cj0xJnA9Mg"
        )
        return answer

    def decode_cursor(self, request):
        # DRF filters on the cursor's position as given; a position that is not
        # a moment would be a 500 in the database, so it is an invalid cursor.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                moment = parse_datetime(cursor.position)
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                raise NotFound(self.invalid_cursor_message)
        return cursor
