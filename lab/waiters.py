"""The broken waiters. DELIBERATELY VULNERABLE: never copy this code.

Each function checks a lab card with one classic mistake, marked ``MISTAKE``;
everything else it does is done right (``lab.cards``). The real waiter
(``accounts.verification.verify_card``) makes none of these mistakes: it reads no
key, key address or algorithm from the card, and checks every signature and
expiry with its own key and algorithm.
"""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from lab import desks
from lab.cards import (
    KEY_FOLDER,
    Card,
    CardRefused,
    Key,
    check_claims,
    jwk_key,
    lab_jwk,
    lab_public_key,
    lab_public_pem,
    lab_secret,
    read_file,
    verified,
)
from lab.models import Lab, PublishedKeySet
from lab.tables import Table

Claims = dict[str, Any]
JKU_PATH = re.compile(r"/lab/jku/(?:(?P<owner>[\w.@+-]{1,150})/)?jwks\.json")


def signature_never_checked(card: Card, table: Table) -> Claims:
    # MISTAKE: the claims are decoded and believed; the signature is never checked.
    check_claims(card.claims, table=table.username)
    return card.claims


def alg_none_accepted(card: Card, table: Table) -> Claims:
    # MISTAKE: the card's own "alg" is obeyed, and "none" means "no signature".
    if card.header.get("alg") == "none":
        check_claims(card.claims, table=table.username)
        return card.claims
    return verified(card, "HS256", lab_secret(Lab.ALG_NONE), table=table.username)


def weak_secret_used(card: Card, table: Table) -> Claims:
    # Checked correctly, with a key anyone can guess (see lab.desks.weak_secret).
    key = desks.weak_secret(table.attendee_id)
    return verified(card, "HS256", key, table=table.username)


def jwk_header_trusted(card: Card, table: Table) -> Claims:
    if "jwk" in card.header:
        # MISTAKE: the card brings the key that checks it.
        key, alg = jwk_key(card.header["jwk"])
    else:
        key, alg = lab_public_key(), "RS256"
    return verified(card, alg, key, table=table.username)


def jku_header_followed(card: Card, table: Table) -> Claims:
    # MISTAKE: the card says where its key set is, and the waiter fetches it.
    key_set = fetch_key_set(card.header.get("jku"), table)
    key, alg = key_in_set(key_set, card.header.get("kid"))
    return verified(card, alg, key, table=table.username)


def kid_names_a_file(card: Card, table: Table) -> Claims:
    kid = card.header.get("kid")
    if not isinstance(kid, str):
        raise CardRefused('The card needs a "kid": the name of its key file.')
    # MISTAKE: the kid is joined to a folder and the file read is the key.
    key = read_file(KEY_FOLDER + kid)
    return verified(card, "HS256", key, table=table.username)


def algorithm_from_the_card(card: Card, table: Table) -> Claims:
    # MISTAKE: the card's "alg" picks the algorithm, and one key text serves
    # them all: with HS256, the public key (published!) is the HMAC secret.
    alg = card.header.get("alg")
    return verified(card, alg, lab_public_pem(), table=table.username)


def expiry_never_checked(card: Card, table: Table) -> Claims:
    key = lab_secret(Lab.EXPIRY_UNCHECKED)
    # MISTAKE: "exp" is never compared with the clock.
    return verified(card, "HS256", key, table=table.username, expiry=False)


def stolen_card_honoured(card: Card, table: Table) -> Claims:
    # No mistake here: the card is genuine. The mistake was where the page kept
    # it, in localStorage (lab/templates/lab/chef.html), where scripts can read it.
    key = lab_secret(Lab.STOLEN_FROM_STORAGE)
    return verified(card, "HS256", key, table=table.username)


WAITERS: dict[str, Callable[[Card, Table], Claims]] = {
    Lab.UNVERIFIED_SIGNATURE: signature_never_checked,
    Lab.ALG_NONE: alg_none_accepted,
    Lab.WEAK_SECRET: weak_secret_used,
    Lab.JWK_HEADER: jwk_header_trusted,
    Lab.JKU_HEADER: jku_header_followed,
    Lab.KID_PATH: kid_names_a_file,
    Lab.ALGORITHM_CONFUSION: algorithm_from_the_card,
    Lab.EXPIRY_UNCHECKED: expiry_never_checked,
    Lab.STOLEN_FROM_STORAGE: stolen_card_honoured,
}


# --- What the jku waiter "fetches" -------------------------------------------------


def fetch_key_set(jku: object, table: Table) -> dict[str, Any]:
    """The key set at ``jku``, looked up among the lab's own addresses.

    A truly broken server sends a GET to whatever URL the card names: the
    attacker's server, or an address inside the network (server-side request
    forgery). The lab never fetches anything: it answers only for its own
    ``/lab/jku/…/jwks.json`` paths on this host, from its own tables.
    """
    if not isinstance(jku, str):
        raise CardRefused('The card needs a "jku": the URL of its key set.')
    try:
        address = urlsplit(jku)
    except ValueError:
        address = urlsplit("")
    match = JKU_PATH.fullmatch(address.path)
    if match is None or address.netloc not in ("", table.host):
        raise CardRefused(
            "This lab follows a jku only to its own key sets: "
            f"http://{table.host}/lab/jku/<username>/jwks.json. A truly broken "
            "server would fetch any URL.",
            "jku_elsewhere",
        )
    owner = match["owner"]
    if owner is None:
        return {"keys": [lab_jwk()]}
    published = PublishedKeySet.objects.filter(owner__username=owner).first()
    if published is None:
        raise CardRefused(f"No key set is published at {address.path}.", "no_key_set")
    return published.jwks


def key_in_set(key_set: dict[str, Any], kid: object) -> tuple[Key, str]:
    """The key the card's ``kid`` names in a key set, and its algorithm."""
    for jwk in key_set.get("keys", []):
        if isinstance(jwk, dict) and jwk.get("kid") == kid:
            return jwk_key(jwk)
    raise CardRefused(f"The key set has no key with the card's kid ({kid!r}).")
