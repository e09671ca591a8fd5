"""The API's pages: numbered 1, 2, 3 and nothing else."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, as strict as the schema that documents them.

    DRF also takes ``page=last``, and an empty ``page=`` as the first page; the
    schema documents a whole number from 1, so either is a 404 ("Invalid page."),
    as ``page=abc`` and a page past the end already are.
    """

    last_page_strings = ()

    def get_page_number(self, request, paginator) -> str | int:
        return request.query_params.get(self.page_query_param, 1)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
