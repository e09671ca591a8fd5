"""Signing keys: HS256 by default, RS256/ES256 with a kid, the JWKS, key rotation."""

import importlib.util
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.urls import reverse
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import TokenBackendError

from accounts.backends import token_backend
from accounts.keys import check_signing_keys, current_key_set, key_id
from accounts.services import issue_token_pair
from tests.tokens import hs256, resigned, signed, tampered, unb64

ME = reverse("accounts:me")
JWKS = reverse("accounts:jwks")
LOGIN = reverse("accounts:token")
VERIFIER_PATH = Path(__file__).resolve().parents[2] / "docs" / "branch_verifier.py"


def private_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(key) -> str:
    return (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


@pytest.fixture(scope="session")
def rsa_keys():
    """Two RSA keys: the one that signed before a rotation, and the one after."""
    return [
        rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in "ab"
    ]


@pytest.fixture(scope="session")
def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def use_keys(settings, algorithm: str, key, previous=()) -> None:
    settings.SIMPLE_JWT = {
        **settings.SIMPLE_JWT,
        "ALGORITHM": algorithm,
        "SIGNING_KEY": private_pem(key),
    }
    settings.JWT_PREVIOUS_PUBLIC_KEYS = "".join(public_pem(k) for k in previous)


def header_of(token) -> dict:
    return jwt.get_unverified_header(str(token))


def me(client, access):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")


def load_verifier():
    spec = importlib.util.spec_from_file_location("branch_verifier", VERIFIER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hs256_tokens_carry_no_kid_and_nothing_is_published(api_client, user):
    pair = issue_token_pair(user=user)
    assert header_of(pair.access) == {"alg": "HS256", "typ": "JWT"}
    response = api_client.get(JWKS)
    assert response.status_code == 200
    assert response.json() == {"keys": []}


def test_rs256_tokens_name_their_key_and_are_accepted(
    settings, api_client, user, rsa_keys
):
    use_keys(settings, "RS256", rsa_keys[0])
    pair = issue_token_pair(user=user)
    header = header_of(pair.access)
    assert header["alg"] == "RS256"
    assert header["kid"] == key_id(rsa_keys[0].public_key())
    assert me(api_client, pair.access).status_code == 200


def test_the_kid_is_the_rfc_7638_thumbprint():
    # RFC 7638, section 3.1: the example key and its thumbprint.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhD"
        "R1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6C"
        "f0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1"
        "n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1"
        "jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    e = "AQAB"
    numbers = rsa.RSAPublicNumbers(
        int.from_bytes(unb64(e), "big"),
        int.from_bytes(unb64(n), "big"),
    )
    assert key_id(numbers.public_key()) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_the_jwks_publishes_public_keys_only(settings, api_client, rsa_keys):
    use_keys(settings, "RS256", rsa_keys[0])
    response = api_client.get(JWKS, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "n", "e", "kid", "alg", "use"}
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert key["kid"] == key_id(rsa_keys[0].public_key())


def test_a_published_key_verifies_a_token_with_plain_pyjwt(
    settings, api_client, user, rsa_keys
):
    use_keys(settings, "RS256", rsa_keys[0])
    pair = issue_token_pair(user=user)
    (published,) = api_client.get(JWKS).json()["keys"]
    key = jwt.PyJWK(published)
    claims = jwt.decode(str(pair.access), key.key, algorithms=["RS256"])
    assert claims["user_id"] == str(user.pk)


def test_es256_works_the_same_way(settings, api_client, user, ec_key):
    use_keys(settings, "ES256", ec_key)
    pair = issue_token_pair(user=user)
    assert header_of(pair.access)["alg"] == "ES256"
    assert me(api_client, pair.access).status_code == 200
    (key,) = api_client.get(JWKS).json()["keys"]
    assert set(key) == {"kty", "crv", "x", "y", "kid", "alg", "use"}
    assert key["crv"] == "P-256"


def test_after_rotation_an_old_kid_verifies_until_it_is_removed(
    settings, api_client, user, rsa_keys
):
    old, new = rsa_keys
    use_keys(settings, "RS256", old)
    # A Token object signs again each time it is printed: keep the text.
    old_access = str(issue_token_pair(user=user).access)

    use_keys(settings, "RS256", new, previous=[old])
    new_access = str(issue_token_pair(user=user).access)
    assert header_of(new_access)["kid"] == key_id(new.public_key())
    assert me(api_client, old_access).status_code == 200
    assert me(api_client, new_access).status_code == 200
    kids = [key["kid"] for key in api_client.get(JWKS).json()["keys"]]
    assert kids == [key_id(new.public_key()), key_id(old.public_key())]

    use_keys(settings, "RS256", new)
    assert me(api_client, old_access).status_code == 401
    assert me(api_client, new_access).status_code == 200


def test_a_token_without_a_known_kid_is_refused(settings, api_client, user, rsa_keys):
    use_keys(settings, "RS256", rsa_keys[0])
    claims = issue_token_pair(user=user).access.payload
    signing = private_pem(rsa_keys[0])
    for headers in ({}, {"kid": "unknown"}):
        token = signed(claims, key=signing, algorithm="RS256", headers=headers)
        assert me(api_client, token).status_code == 401


def test_a_key_offered_by_the_token_itself_is_never_used(
    settings, api_client, user, rsa_keys
):
    use_keys(settings, "RS256", rsa_keys[0])
    claims = issue_token_pair(user=user).access.payload
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attacker_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(attacker.public_key()))
    forged = signed(
        claims,
        key=private_pem(attacker),
        algorithm="RS256",
        headers={
            "kid": key_id(attacker.public_key()),
            "jwk": attacker_jwk,
            "jku": "https://attacker.example/jwks.json",
        },
    )
    assert me(api_client, forged).status_code == 401


def test_the_public_key_used_as_an_hmac_secret_is_refused(
    settings, api_client, user, rsa_keys
):
    use_keys(settings, "RS256", rsa_keys[0])
    claims = issue_token_pair(user=user).access.payload
    header = {"alg": "HS256", "typ": "JWT", "kid": key_id(rsa_keys[0].public_key())}
    # PyJWT refuses a PEM as an HMAC key, so the signature is made by hand.
    forged = hs256(claims, header=header, key=public_pem(rsa_keys[0]))
    assert me(api_client, forged).status_code == 401


@pytest.mark.parametrize(
    ("algorithm", "make_key", "problem"),
    [
        ("RS256", lambda: ec.generate_private_key(ec.SECP256R1()), "not an RSA key"),
        ("ES256", lambda: ec.generate_private_key(ec.SECP384R1()), "P-256"),
        (
            "RS256",
            lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024),  # noqa: S505
            "1024 bits",
        ),
    ],
)
def test_a_key_that_does_not_fit_fails_the_system_check(
    settings, algorithm, make_key, problem
):
    use_keys(settings, algorithm, make_key())
    (error,) = check_signing_keys()
    assert error.id == "accounts.E001"
    assert problem in error.msg


def test_previous_keys_that_are_not_public_keys_fail_the_system_check(
    settings, rsa_keys
):
    use_keys(settings, "RS256", rsa_keys[1])
    settings.JWT_PREVIOUS_PUBLIC_KEYS = private_pem(rsa_keys[0])
    (error,) = check_signing_keys()
    assert "no PEM public key" in error.msg


def test_a_key_set_is_parsed_once_per_setting(settings, rsa_keys):
    use_keys(settings, "RS256", rsa_keys[0])
    assert current_key_set() is current_key_set()


def test_the_branch_verifier_checks_a_token_with_the_jwks_alone(
    settings, api_client, user, rsa_keys, monkeypatch
):
    use_keys(settings, "RS256", rsa_keys[0])
    jwks = api_client.get(JWKS).json()
    verifier_module = load_verifier()
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: jwks)
    verifier = verifier_module.BranchVerifier("http://branch-a.example/jwks.json")

    pair = issue_token_pair(user=user)
    assert verifier.verify(str(pair.access))["username"] == user.username

    with pytest.raises(jwt.InvalidTokenError):
        verifier.verify(tampered(pair.access, role="kitchen"))
    with pytest.raises(jwt.InvalidTokenError):
        verifier.verify(str(pair.refresh))
    shared_secret = "a-shared-secret-" * 3
    with pytest.raises(jwt.InvalidTokenError):
        verifier.verify(resigned(pair.access, key=shared_secret, role="kitchen"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"JWT_ALGORITHM": "RS256"}, "needs a PEM private key"),
        ({"JWT_ALGORITHM": "ES256", "JWT_PRIVATE_KEY": "not a key"}, "needs a PEM"),
        (
            {"JWT_ALGORITHM": "RS256", "JWT_PRIVATE_KEY_PATH": "/no/such/key.pem"},
            "cannot be read",
        ),
        ({"JWT_ALGORITHM": "none"}, "must be HS256, RS256 or ES256"),
    ],
)
def test_production_refuses_to_start_without_a_usable_private_key(environment, named):
    result = manage_check(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        **environment,
    )
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Delivery cannot start:")
    assert named in line


def manage_check(**environment: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JWT_", "DEBUG", "SECRET_KEY"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=VERIFIER_PATH.parents[1],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# --- The backend: simplejwt's, with the server's key set ---------------------------


@pytest.mark.parametrize("kind", ["pem", "jwk"])
def test_a_key_that_is_not_an_hmac_secret_is_still_refused_every_time(kind):
    """PyJWT's algorithm-confusion checks run for the server's backend: a public
    key or a JWK offered as an HMAC secret is refused, however often it is tried."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key = pem if kind == "pem" else json.dumps({"kty": "oct", "k": "c2VjcmV0"}).encode()
    token = signed({"sub": "1"}, key=secrets.token_bytes(32))
    backend = TokenBackend("HS256", signing_key=key)
    for _ in range(2):
        with pytest.raises((jwt.InvalidKeyError, TokenBackendError)):
            backend.decode(token)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda header, payload, signature: (header, payload + "!", signature),
        lambda header, payload, signature: (header + "=", payload, signature),
        lambda header, payload, signature: (header, payload, signature + "*"),
        lambda header, payload, signature: (header, payload, signature[:-1] + "==="),
    ],
)
def test_a_card_with_junk_in_a_segment_is_refused(api_client, user, tamper):
    header, payload, signature = str(issue_token_pair(user=user).access).split(".")
    token = ".".join(tamper(header, payload, signature))
    response = api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_the_backend_is_built_once_and_again_after_a_change(settings, rsa_keys):
    assert token_backend() is token_backend()
    assert token_backend().algorithm == "HS256"
    use_keys(settings, "RS256", rsa_keys[1])
    assert token_backend().algorithm == "RS256"
    assert token_backend().key_set is current_key_set()
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "LEEWAY": 30}
    assert token_backend().leeway == 30
