"""The workshop handout, docs/workshop.md, rendered as the /workshop/ page.

The page and the file are one source: the test suite runs the file's commands, so
what the room reads is what the server answers. Each server of the room appears
in the file as a placeholder (``http://ROOM:8000``), which the page fills in with
the address the reader's browser used (teaching.room.addresses), so a command
copied from the page talks to the room, never to the reader's own machine.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from teaching.room import addresses

HANDOUT = Path(settings.BASE_DIR) / "docs" / "workshop.md"
SELFCHECK = Path(settings.BASE_DIR) / "docs" / "selfcheck.py"
HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')
TITLE = re.compile(r'<h1 id="([^"]+)">(.*?)</h1>')


@dataclass(frozen=True)
class Section:
    """The handout's introduction, or one of its ``##`` parts (a lesson)."""

    anchor: str
    title: str
    html: str


@lru_cache(maxsize=4)
def render_handout(modified: float) -> tuple[tuple[Section, ...], str]:
    """The handout as sections of HTML and its table of contents, per file version."""
    converter = markdown.Markdown(
        extensions=["fenced_code", "tables", "toc", "md_in_html", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3", "permalink": False}},
    )
    html = converter.convert(HANDOUT.read_text())
    # A wide table scrolls in its own box, not the page.
    html = html.replace("<table>", '<div class="table-wrap"><table>')
    html = html.replace("</table>", "</table></div>")
    starts = [match.start() for match in HEADING.finditer(html)]
    title = TITLE.search(html)
    sections = [
        Section(
            title.group(1) if title else "top",
            title.group(2) if title else "Introduction",
            html[: starts[0]] if starts else html,
        )
    ]
    for start, end in zip(starts, [*starts[1:], len(html)], strict=True):
        heading = HEADING.match(html, start)
        sections.append(Section(heading.group(1), heading.group(2), html[start:end]))
    return tuple(sections), converter.toc


@require_GET
def workshop(request: HttpRequest) -> HttpResponse:
    sections, toc = render_handout(HANDOUT.stat().st_mtime)
    host, port = addresses.request_host_and_port(request)
    filled = [
        # The handout is the project's own file, not user input, and the address
        # comes from a host Django checked; it is escaped all the same.
        mark_safe(  # noqa: S308
            addresses.fill_placeholders(
                section.html, scheme=request.scheme, host=escape(host), port=port
            )
        )
        for section in sections
    ]
    elsewhere = []
    if addresses.is_loopback(host):
        elsewhere = [
            f"{request.scheme}://{other}:{port}{request.path}"
            for other in addresses.room_hosts_for_attendees()
        ]
    projector = request.GET.get("projector") == "1"
    lessons = [
        {
            "section": section,
            "html": html,
            "previous": sections[index - 1] if index else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
        }
        for index, (section, html) in enumerate(zip(sections, filled, strict=True))
    ]
    context = {
        "lessons": lessons,
        "toc": SafeString(toc),
        "projector": projector,
        "address": f"{request.scheme}://{host}:{port}",
        "elsewhere": elsewhere,
        # The attack labs tick the lessons off (lab/static/lab/progress.js).
        "labs": settings.LABS_ENABLED,
    }
    return render(request, "teaching/workshop.html", context)


@require_GET
def selfcheck_script(request: HttpRequest) -> FileResponse:
    """docs/selfcheck.py, for attendees who have curl and python3 but no checkout."""
    return FileResponse(
        SELFCHECK.open("rb"),
        as_attachment=True,
        filename="selfcheck.py",
        content_type="text/x-python; charset=utf-8",
    )
