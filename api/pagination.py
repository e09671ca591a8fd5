"""The API's pages: numbered 1, 2, 3 and nothing else."""

from django.core.paginator import Paginator
from rest_framework import pagination


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
        return self._get_page(rows, 1, self)


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
