"""The workshop handout, docs/workshop.md, rendered as the /workshop/ page.

The page and the file are one source: the test suite runs the file's commands, so
what the room reads is what the server answers.
"""

from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

HANDOUT = Path(settings.BASE_DIR) / "docs" / "workshop.md"


@lru_cache(maxsize=4)
def render_handout(modified: float) -> tuple[SafeString, SafeString]:
    """The handout as HTML and its table of contents, cached per file version."""
    converter = markdown.Markdown(
        extensions=["fenced_code", "tables", "toc", "md_in_html", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
    )
    # The handout is the project's own file, not user input.
    body = mark_safe(converter.convert(HANDOUT.read_text()))  # noqa: S308
    return body, mark_safe(converter.toc)  # noqa: S308


def workshop(request: HttpRequest) -> HttpResponse:
    body, toc = render_handout(HANDOUT.stat().st_mtime)
    return render(request, "teaching/workshop.html", {"handout": body, "toc": toc})
