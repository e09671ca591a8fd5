"""The browsable API, able to draw its forms whatever body a request had."""

from rest_framework import renderers
from rest_framework.exceptions import APIException
from rest_framework.request import Request


def body_readable(request: Request) -> bool:
    """Whether the request's body parses; a refusal was already the answer's."""
    try:
        request.data  # noqa: B018 - parsed here, or the error it raises
    except APIException:
        return False
    return True


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, which draws an empty form for a body it cannot read.

    DRF fills the form of the request's own method with the request's body, and
    draws an empty one when that body does not parse, but not when its media type
    is one no parser takes: ``POST`` with ``Content-Type: application/xml`` and
    ``Accept: text/html`` was a 500 instead of the page. Such a form is drawn empty
    too.
    """

    def get_rendered_html_form(self, data, view, method, request):
        if request.method == method and not body_readable(request):
            data = None
        return super().get_rendered_html_form(data, view, method, request)
