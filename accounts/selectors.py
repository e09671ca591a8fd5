"""Reading a person's logins."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Login

# A login that ended or ran out stays in the list this long, with why it ended.
ENDED_LOGINS_SHOWN_FOR = timedelta(days=1)


def logins_of(*, user_id: int) -> QuerySet[Login]:
    """A person's logins, newest first: every open one, and those that ended or ran
    out within ``ENDED_LOGINS_SHOWN_FOR``."""
    since = timezone.now() - ENDED_LOGINS_SHOWN_FOR
    return (
        Login.objects.filter(user_id=user_id)
        .filter(Q(ended_at=None, expires_at__gt=since) | Q(ended_at__gt=since))
        .order_by("-created_at", "-pk")
    )
