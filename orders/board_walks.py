"""GET /api/kitchen/orders/ (the work): every page read by index walks that stop
where the page does, so that no page reads more rows than it returns, give or take
a page (bench/README.md, "The history").

The work is two lists (``selectors.kitchens_work``): the orders placed in the last
hours, and the older ones still in the kitchen. Asked as one filter, ``recent |
older``, PostgreSQL finds both kinds through their indexes, then sorts them all to
return a page: every page costs as much as the kitchen's last hours. Asked as a
``UNION ALL`` of the two, each limited to the page, it walks each list's index
newest first and stops at the page's end.

DRF's ``CursorPagination`` orders, filters and slices what it pages, and nothing
else; ``Walks`` does each to every list, and reads the slice of them all in one
query. A test holds its pages equal to those of ``recent | older``.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet


class Walks:
    """Querysets of one model, sharing no row, paged as one list."""

    def __init__(self, *parts: QuerySet, ordering: Sequence[str] = ()) -> None:
        self.parts = parts
        self.ordering = tuple(ordering)

    def order_by(self, *ordering: str) -> "Walks":
        return Walks(*self.parts, ordering=ordering)

    def filter(self, *args: Any, **kwargs: Any) -> "Walks":
        parts = (part.filter(*args, **kwargs) for part in self.parts)
        return Walks(*parts, ordering=self.ordering)

    def __getitem__(self, window: slice) -> QuerySet:
        """The rows of ``window``, the lists' rows in order, in one query. No list
        gives the window more than its own first ``window.stop`` rows, so each is
        read that far and no further."""
        features = connections[self.parts[0].db].features
        if features.supports_slicing_ordering_in_compound:
            parts = [p.order_by(*self.ordering)[: window.stop] for p in self.parts]
        else:
            # SQLite takes neither ORDER BY nor LIMIT inside a UNION; it reads each
            # list whole, as a demo's history allows.
            parts = [p.order_by() for p in self.parts]
        first, *others = parts
        return first.union(*others, all=True).order_by(*self.ordering)[window]
