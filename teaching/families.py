"""A login's family, drawn by the token inspector: born, renewed, current, ended.

Every card of one login carries its ``fam`` claim. The login's row
(``accounts.models.Login``) knows when it was born, when it was last renewed, its
current refresh token and, once it is over, when and why it ended; the ticket
rail (``teaching.ticket_rail``) remembers each renewal while it is among the
rail's latest tickets. The drawing puts the two together and marks the card being
inspected. Whether that card is valid is not decided here: the inspector asks
``accounts.verification``, and this module is told the verdict.

Who may see the record. Anyone may paste any card into the inspector, a stolen
one too, so the record is drawn only for someone who could read it anyway:

- the card's owner: the holder of a valid access card (the browser's cookie or an
  ``Authorization`` header, judged by ``verify_card``) for the same account;
- whoever holds a card the server accepts right now: that card already opens its
  owner's account, the list of their logins included.

Anyone else, such as a stranger with a card that expired, was traded in or whose
login ended, learns only what the card proves by itself, since it carries it,
signed: the family's id and when the family was born (the id begins with its
birth). The device, the renewals and the end of the login stay withheld; the
inspector's checks still say why the card is refused, as for any card. A card
whose signature or claims do not check out shows no family at all: its ``fam``
could have been copied from anyone's. The address a login came from is never
drawn; the account page shows it to its owner.
"""

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from accounts import signals
from accounts.models import Login, LoginEnd
from accounts.revocation import FAMILY_CLAIM, family_birth_ms
from accounts.tokens import claim_user_id
from teaching import ticket_rail

WITHHELD = (
    "Only the owner of this card, or the holder of a card the server accepts, "
    "sees its login's record. A card proves no more than what it carries: its "
    "family and when the family was born."
)
NOT_ON_RECORD = "No login of this server has this family."
GRACE_REPEAT = "grace period"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Step:
    """One moment of a login: born, renewed, renewed again, current, ended."""

    kind: str
    at: str
    jti: str
    detail: str
    this_card: bool = False


@dataclass
class Family:
    """A login as the inspector draws it; ``steps`` is empty when withheld."""

    id: str
    born_at: str
    shown: bool
    withheld: str = ""
    device: str = ""
    state: str = ""
    this_card: str = ""
    steps: list[Step] = field(default_factory=list)


def may_see_record(*, owner_id: int, viewer_id: int | None, valid: bool) -> bool:
    """Whether the login's record may be drawn for this viewer (see above)."""
    return valid or (viewer_id is not None and viewer_id == owner_id)


def draw_family(
    *,
    claims: dict[str, Any],
    login: Login | None,
    valid: bool,
    viewer_id: int | None,
) -> dict[str, Any]:
    """The family of a card whose signature and claims checked out.

    ``login`` is the row of its family (or ``None``), ``valid`` the verdict of
    ``accounts.verification`` on the card, ``viewer_id`` the verified holder of
    the request's own access card, if any.
    """
    born = datetime.fromtimestamp(family_birth_ms(claims) / 1000, tz=UTC)
    family = Family(id=claims[FAMILY_CLAIM], born_at=iso(born), shown=False)
    if not may_see_record(
        owner_id=claim_user_id(claims), viewer_id=viewer_id, valid=valid
    ):
        family.withheld = WITHHELD
    elif login is None:
        family.withheld = NOT_ON_RECORD
    else:
        family.shown = True
        family.device = login.device
        family.state = _state(login)
        family.steps = _steps(login, claims)
        family.this_card = _this_card(login, claims)
    return asdict(family)


def _state(login: Login) -> str:
    if login.ended_at is not None:
        return f"ended: {login.get_ended_reason_display().lower()}"
    if login.is_open:
        return "open"
    return "expired: its last refresh token ran out"


def _tickets(family: str) -> list[ticket_rail.Ticket]:
    """The family's tickets still on the rail, oldest first."""
    tickets = ticket_rail.latest(ticket_rail.RAIL_LENGTH)
    return [ticket for ticket in reversed(tickets) if ticket.family == family]


def _steps(login: Login, claims: dict[str, Any]) -> list[Step]:
    tickets = _tickets(login.family)
    card_jti = claims["jti"] if claims.get("token_type") == "refresh" else None
    first_jti = next(
        (ticket.jti for ticket in tickets if ticket.kind == signals.ISSUED), ""
    )
    steps = [
        Step(
            "born",
            iso(login.created_at),
            first_jti,
            "A password was checked: the login's first pair.",
            this_card=bool(first_jti) and first_jti == card_jti,
        )
    ]
    renewals = [ticket for ticket in tickets if ticket.kind == signals.REFRESHED]
    for ticket in renewals:
        again = GRACE_REPEAT in ticket.reason
        steps.append(
            Step(
                "renewed again" if again else "renewed",
                iso(ticket.moment),
                ticket.jti,
                "The refresh token traded in a moment ago came again, within the "
                "grace period: it got the same new pair (a second tab)."
                if again
                else "This refresh token was traded in for a new pair and blacklisted.",
                this_card=ticket.jti == card_jti,
            )
        )
    rotated = login.rotated_jti
    if login.renewed_at and not any(ticket.jti == rotated for ticket in renewals):
        steps.append(
            Step(
                "renewed",
                iso(login.renewed_at),
                rotated,
                "The last renewal, from the login's record (the earlier ones have "
                "left the ticket rail).",
                this_card=rotated == card_jti,
            )
        )
    if login.ended_at is not None:
        steps.append(_end(login, tickets, card_jti))
    elif login.is_open:
        steps.append(
            Step(
                "current",
                iso(login.refresh_issued_at),
                login.refresh_jti,
                "The current refresh token, the only one of this login the front "
                f"desk takes; it expires at {iso(login.expires_at)}.",
                this_card=login.refresh_jti == card_jti,
            )
        )
    return steps


def _end(login: Login, tickets: list[ticket_rail.Ticket], card_jti: str | None) -> Step:
    """The end of the login, with the refresh token that came back, for a reuse."""
    if login.ended_reason == LoginEnd.REUSED:
        came_back = next(
            (ticket.jti for ticket in tickets if ticket.kind == signals.REUSED), ""
        )
        return Step(
            "ended",
            iso(login.ended_at),
            came_back,
            "A refresh token that had been traded in came back, so a copy was in "
            "other hands: every refresh token of this login is refused from then "
            "on, the thief's and the owner's.",
            this_card=bool(came_back) and came_back == card_jti,
        )
    return Step(
        "ended",
        iso(login.ended_at),
        "",
        f"{login.get_ended_reason_display()}: every refresh token of this login "
        "is refused from then on.",
    )


def _this_card(login: Login, claims: dict[str, Any]) -> str:
    """Where the inspected card sits in its login."""
    issued = iso(datetime.fromtimestamp(claims["iat"], tz=UTC))
    if claims.get("token_type") != "refresh":
        return (
            f"An access card of this login, signed at {issued}. It is not traded "
            "in: it works until it expires, or until the login ends with instant "
            "revocation on."
        )
    if claims["jti"] == login.refresh_jti and login.ended_at is None:
        return f"The login's current refresh token, signed at {issued}."
    if claims["jti"] == login.refresh_jti:
        return f"The login's last refresh token, signed at {issued}: it ended with it."
    if claims["jti"] == login.rotated_jti:
        return f"A refresh token signed at {issued} and traded in at the last renewal."
    return f"A refresh token signed at {issued} and traded in since."
