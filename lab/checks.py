"""The system check that keeps the broken waiter out of production."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import checks


def labs_are_off(**kwargs: Any) -> Sequence[checks.CheckMessage]:
    """``check --deploy`` fails while the labs are on: they accept forged cards."""
    if not settings.LABS_ENABLED:
        return []
    return [
        checks.Error(
            "The attack labs are enabled: /lab/ serves a deliberately broken "
            "waiter that accepts forged tokens.",
            hint="Unset WORKSHOP_LABS (and DEBUG) on any server the public can "
            "reach; the labs are for a workshop room.",
            id="lab.E001",
        )
    ]
