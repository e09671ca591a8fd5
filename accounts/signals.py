"""What happens to ID cards, announced to whoever listens.

The front desk and the waiter send ``token_event`` when a card is issued,
renewed, ended or refused. The front desk does not know who listens: the teaching
app's ticket rail does (``teaching.apps``), and the front desk never imports it.
A receiver is given the event's kind and what the event is about, never a token.
"""

import hashlib

from django.dispatch import Signal

ISSUED = "issued"
REFRESHED = "refreshed"
LOGGED_OUT = "logged out"
REVOKED = "revoked"
REUSED = "reused"
REFUSED = "refused"

token_event = Signal()
"""Sent with ``kind`` (one of the names above) and the keyword arguments
``user_id``, ``username``, ``jti``, ``family`` (the login, the ``fam`` claim),
``reason``, ``path`` and ``fingerprint`` that apply. A refusal's ``fingerprint``
is ``card_fingerprint`` of the refused card: whoever saw the card can recognise
it, nobody can rebuild it."""


def card_fingerprint(raw_token: str | bytes) -> str:
    """The SHA-256 of a card, in hex."""
    if isinstance(raw_token, str):
        raw_token = raw_token.encode()
    return hashlib.sha256(raw_token).hexdigest()


def announce(kind: str, **about: object) -> None:
    """Send ``token_event``: one line for the sender, whatever listens."""
    token_event.send(sender=kind, kind=kind, **about)
