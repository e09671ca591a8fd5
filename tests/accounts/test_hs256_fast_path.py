"""The HS256 fast path (``accounts.hs256_fast_path``) never accepts what PyJWT refuses.

For every token below, the fast path either gives no verdict or gives PyJWT's:
the same claims, as ``jwt.decode`` returns them with the options of the token
backend (``accounts.backends``). And the token backend answers the same with the
fast path as without it, refusals and their reasons included.
"""

import json
import string

import jwt
import pytest
import time_machine

from accounts.backends import REQUIRED_CLAIMS, KeySetTokenBackend, token_backend
from accounts.hs256_fast_path import PreparedHS256
from accounts.keys import current_key_set
from accounts.services import issue_token_pair
from tests.factories import UserFactory
from tests.tokens import (
    assembled,
    hs256,
    resigned,
    server_key,
    signed,
    tampered,
    unsigned,
)

# The header PyJWT writes on an HS256 token, the one the fast path takes.
COMPACT = b'{"alg":"HS256","typ":"JWT"}'


def pyjwt_claims(token: str | bytes) -> dict | None:
    """The claims ``jwt.decode`` returns for the token backend, or ``None``."""
    backend = token_backend()
    try:
        return jwt.decode(
            token,
            server_key(),
            algorithms=["HS256"],
            leeway=backend.get_leeway(),
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.InvalidTokenError:
        return None


def without_fast_path() -> KeySetTokenBackend:
    backend = KeySetTokenBackend(current_key_set(), signing_key=server_key())
    backend.fast_path = None
    return backend


def outcome(backend: KeySetTokenBackend, token: str | bytes) -> object:
    try:
        return backend.decode(token)
    except Exception as exc:  # the verdict, whatever its class
        return (type(exc), str(exc))


@pytest.fixture
def pair(db):
    return issue_token_pair(user=UserFactory())


@pytest.fixture
def card(pair) -> str:
    return str(pair.access)


def variants(card: str) -> dict[str, str | bytes]:
    """A real card, and cards of every shape it could be bent into."""
    header, payload, signature = card.split(".")
    claims = jwt.decode(card, options={"verify_signature": False})
    now = claims["iat"]
    shapes = {
        "the card": card,
        "the card as bytes": card.encode(),
        "tampered": tampered(card, role="kitchen"),
        "another key": signed(claims, key="guess" * 10),
        "alg none": unsigned(claims),
        "HS512": signed(claims, algorithm="HS512"),
        "a kid": signed(claims, headers={"kid": "k1"}),
        "a jku": signed(claims, headers={"jku": "https://evil.example/k"}),
        "no typ": hs256(claims, header={"alg": "HS256"}),
        "header spaced": hs256(claims, header=b'{"alg": "HS256", "typ": "JWT"}'),
        "header reordered": hs256(claims, header=b'{"typ":"JWT","alg":"HS256"}'),
        "b64 false": hs256(claims, header={"alg": "HS256", "b64": False}),
        "expired": resigned(card, exp=now - 10),
        "expires now": resigned(card, exp=now, iat=now - 10),
        "issued in the future": resigned(card, iat=now + 3600),
        "iat a fraction": resigned(card, iat=now + 0.5),
        "exp a fraction": resigned(card, exp=now + 600.5),
        "exp as text": resigned(card, exp=str(now + 600)),
        "exp a boolean": resigned(card, exp=True),
        "not yet valid": resigned(card, nbf=now + 3600),
        "nbf past": resigned(card, nbf=now - 10),
        "an audience": resigned(card, aud="billing"),
        "an issuer": resigned(card, iss="elsewhere"),
        "a subject": resigned(card, sub=5),
        "jti a number": resigned(card, jti=5),
        "no jti": resigned(card, jti=None),
        "no exp": resigned(card, exp=None),
        "no iat": resigned(card, iat=None),
        "no type": resigned(card, token_type=None),
        "extra claim": resigned(card, extra="x"),
        "unknown role": resigned(card, role="chef"),
        "payload spaced": hs256(claims, header=COMPACT),
        "payload a list": hs256([claims], header=COMPACT),
        "payload a number": hs256(5, header=COMPACT),
        "payload not JSON": hs256(b"{not json", header=COMPACT),
        "payload in UTF-16": hs256(json.dumps(claims).encode("utf-16"), header=COMPACT),
        "duplicate claims": hs256(
            ('{"exp":1,' + json.dumps(claims)[1:]).encode(), header=COMPACT
        ),
        "deep JSON": hs256(b"[" * 100_000 + b"]" * 100_000, header=COMPACT),
        "padded payload": f"{header}.{payload}{'=' * (-len(payload) % 4)}.{signature}",
        "padded signature": f"{header}.{payload}.{signature}=",
        "stray bits": f"{header}.{payload}.{signature[:-1]}"
        + ("B" if signature[-1] == "A" else "A"),
        "payload with a dot": f"{header}.{payload[:5]}.{payload[5:]}.{signature}",
        "four segments": f"{card}.{signature}",
        "two segments": f"{header}.{payload}",
        "empty signature": f"{header}.{payload}.",
        "empty payload": f"{header}..{signature}",
        "whitespace": f" {card}",
        "newline": f"{card}\n",
        "not base64": assembled({"alg": "HS256"}, claims, "!!!!"),
        "unicode": card[:-1] + "é",
        "empty": "",
    }
    # A padding that the card's own length leaves empty is no variant.
    return {name: token for name, token in shapes.items() if token != card} | {
        "the card": card
    }


def test_a_real_card_and_refresh_token_take_the_fast_path(pair):
    """The path is alive: the server's own tokens are accepted by it, with the
    claims PyJWT reads."""
    fast_path = token_backend().fast_path
    assert isinstance(fast_path, PreparedHS256)
    for token in (str(pair.access), str(pair.refresh)):
        claims = fast_path.accept(token)
        assert claims is not None
        assert claims == pyjwt_claims(token)


def test_every_shape_of_token_gets_pyjwts_verdict_or_none(card):
    fast_path = token_backend().fast_path
    accepted = set()
    for name, token in variants(card).items():
        claims = fast_path.accept(token)
        if claims is not None:
            accepted.add(name)
            assert claims == pyjwt_claims(token), name
    # Only the server's own header and claims are accepted (the claims' values
    # are then checked by the token classes); the rest goes to PyJWT.
    assert accepted == {
        "the card",
        "the card as bytes",
        "unknown role",
        "payload spaced",
        "payload in UTF-16",
        "duplicate claims",
    }


def test_the_token_backend_answers_the_same_with_and_without_the_fast_path(card):
    slow = without_fast_path()
    for name, token in variants(card).items():
        assert outcome(token_backend(), token) == outcome(slow, token), name


def test_every_one_character_change_of_a_card_is_pyjwts_verdict_or_none(card):
    fast_path = token_backend().fast_path
    alphabet = string.ascii_letters + string.digits + "-_.="
    for position in range(len(card)):
        for character in alphabet[position % 7 :: 7]:
            if character == card[position]:
                continue
            token = card[:position] + character + card[position + 1 :]
            claims = fast_path.accept(token)
            if claims is not None:
                assert claims == pyjwt_claims(token), token


@pytest.mark.parametrize("seconds", [-5, 0, 5])
def test_the_expiry_is_pyjwts_to_the_second(card, seconds):
    exp = jwt.decode(card, options={"verify_signature": False})["exp"]
    fast_path = token_backend().fast_path
    with time_machine.travel(exp + seconds, tick=False):
        assert (fast_path.accept(card) is not None) is (seconds < 0)
        assert (pyjwt_claims(card) is not None) is (seconds < 0)


def test_no_fast_path_for_a_short_key_or_an_audience(settings):
    """A short key makes PyJWT warn on every decode, and an audience is PyJWT's
    to check: both are left to it."""
    short = PreparedHS256("short key", leeway=0)
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        token = signed({"exp": 1}, key="short key")
    assert short.enabled is False
    assert short.accept(token) is None
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "AUDIENCE": "delivery"}
    assert token_backend().fast_path is None
