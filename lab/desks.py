"""The labs' front desks: the genuine card each lab hands an attendee.

A desk always hands out a customer's card for the attendee's own table; the
labs' goal is a kitchen card the waiter accepts (a free staff meal). Two desks
hand out a kitchen card that an attendee should never be able to use: the
chef's old, expired card (the expiry lab) and the chef's card that the chef's
page keeps in ``localStorage`` (the stolen-from-storage lab).
"""

from functools import lru_cache
from pathlib import Path

from lab.cards import (
    KITCHEN_KEY_FILE,
    claims_for,
    lab_jwk,
    lab_private_key,
    lab_secret,
    sign,
)
from lab.models import Lab

WORDLIST = Path(__file__).resolve().parent / "static" / "lab" / "wordlist.txt"
THREE_DAYS = 3 * 24 * 3600


@lru_cache(maxsize=1)
def wordlist() -> tuple[str, ...]:
    return tuple(WORDLIST.read_text().split())


def weak_secret(attendee_id: int) -> bytes:
    """The weak-secret lab's HMAC key for one attendee's table.

    MISTAKE (the lab's point): a word from a list of common secrets, which a
    wordlist attack finds in seconds. Each table has its own word, so that
    cracking your own card is the only way in.
    """
    digest = lab_secret(f"weak-secret:{attendee_id}")
    words = wordlist()
    return words[int.from_bytes(digest[:8], "big") % len(words)].encode()


def issue_card(lab: str, *, attendee_id: int, table: str, jku_base: str) -> str:
    """The card this lab's desk hands the attendee at ``table``.

    ``jku_base`` is the site's address as the attendee reached it, for the jku
    lab's header.
    """
    claims = claims_for(table, sub=table)
    if lab == Lab.WEAK_SECRET:
        return sign(claims, alg="HS256", key=weak_secret(attendee_id))
    if lab == Lab.JWK_HEADER:
        return sign(claims, alg="RS256", key=lab_private_key(), jwk=lab_jwk())
    if lab == Lab.JKU_HEADER:
        jku = f"{jku_base}/lab/jku/jwks.json"
        return sign(
            claims, alg="RS256", key=lab_private_key(), jku=jku, kid=lab_jwk()["kid"]
        )
    if lab == Lab.KID_PATH:
        return sign(claims, alg="HS256", key=lab_secret(lab), kid=KITCHEN_KEY_FILE)
    if lab == Lab.ALGORITHM_CONFUSION:
        return sign(claims, alg="RS256", key=lab_private_key())
    if lab == Lab.EXPIRY_UNCHECKED:
        old = claims_for(table, sub="chef", role="kitchen", lifetime=-THREE_DAYS)
        old["iat"] = old["exp"] - 900
        return sign(old, alg="HS256", key=lab_secret(lab))
    if lab == Lab.STOLEN_FROM_STORAGE:
        chef = claims_for(table, sub="chef", role="kitchen")
        return sign(chef, alg="HS256", key=lab_secret(lab))
    return sign(claims, alg="HS256", key=lab_secret(lab))
