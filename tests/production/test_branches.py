"""Restaurant branches: servers that share only a database and a cache.

Each test talks HTTP to real gunicorn processes (tests/production/conftest.py).
"""

import secrets
import subprocess
import sys

import pytest

from tests.production.conftest import ROOT, needs_postgres_and_redis

pytestmark = [pytest.mark.slow, needs_postgres_and_redis]

PASSWORD = "a-long-branch-password"


def new_customer(branch) -> str:
    username = f"branch-{secrets.token_hex(4)}"
    answer = branch.call(
        "POST", "/api/auth/register/", {"username": username, "password": PASSWORD}
    )
    assert answer.status == 201, answer.body
    return username


def log_in(branch, username: str, password: str = PASSWORD):
    return branch.call(
        "POST", "/api/auth/token/", {"username": username, "password": password}
    )


def tokens(branch) -> dict:
    answer = log_in(branch, new_customer(branch))
    assert answer.status == 200, answer.body
    return answer.body


def test_both_branches_are_healthy(branches):
    for branch in branches:
        answer = branch.call("GET", "/healthz")
        assert (answer.status, answer.body) == (200, {"status": "ok"})


def test_a_card_issued_by_branch_a_is_accepted_by_branch_b(branches):
    a, b = branches
    pair = tokens(a)
    answer = b.call("GET", "/api/auth/me/", token=pair["access"])
    assert answer.status == 200
    assert answer.body["role"] == "customer"


def test_a_refresh_token_rotated_on_a_is_refused_on_b(branches):
    a, b = branches
    pair = tokens(a)
    rotated = a.call("POST", "/api/auth/token/refresh/", {"refresh": pair["refresh"]})
    assert rotated.status == 200
    # Within the grace period B hands out the same new refresh token as A did.
    repeat = b.call("POST", "/api/auth/token/refresh/", {"refresh": pair["refresh"]})
    assert repeat.status == 200
    assert repeat.body["refresh"] == rotated.body["refresh"]
    fresh = a.call(
        "POST", "/api/auth/token/refresh/", {"refresh": repeat.body["refresh"]}
    )
    assert fresh.status == 200
    # An older card came back: its whole login ends, on every branch.
    again = b.call("POST", "/api/auth/token/refresh/", {"refresh": pair["refresh"]})
    assert again.status == 401
    assert b.call("GET", "/api/auth/me/", token=fresh.body["access"]).status == 401
    refresh = {"refresh": fresh.body["refresh"]}
    assert a.call("POST", "/api/auth/token/refresh/", refresh).status == 401


def test_a_logout_on_a_ends_the_access_token_on_b_at_once(branches):
    a, b = branches
    pair = tokens(a)
    assert b.call("GET", "/api/auth/me/", token=pair["access"]).status == 200
    logout = a.call("POST", "/api/auth/logout/", {"refresh": pair["refresh"]})
    assert logout.status == 205
    refused = b.call("GET", "/api/auth/me/", token=pair["access"])
    assert refused.status == 401
    assert refused.body["detail"] == "Token has been revoked"


def test_log_out_everywhere_on_b_ends_the_cards_used_on_a(branches):
    a, b = branches
    username = new_customer(a)
    phone, laptop = log_in(a, username).body, log_in(b, username).body
    assert b.call("POST", "/api/auth/logout-all/", token=laptop["access"]).status == 205
    for pair in (phone, laptop):
        assert a.call("GET", "/api/auth/me/", token=pair["access"]).status == 401
        refresh = {"refresh": pair["refresh"]}
        assert a.call("POST", "/api/auth/token/refresh/", refresh).status == 401


def test_login_attempts_are_counted_across_branches(branches):
    a, b = branches
    username = new_customer(a)
    # LOGIN_RATE_PER_USERNAME is 5/min: three wrong tries on A, two on B.
    for branch in (a, a, a, b, b):
        assert log_in(branch, username, "wrong-password").status == 401
    for branch in (a, b):
        refused = log_in(branch, username)
        assert refused.status == 429
        assert "Retry-After" in refused.headers


def test_an_rs256_card_is_verified_by_another_service_from_the_jwks_alone(
    rs256_branch,
):
    pair = tokens(rs256_branch)
    jwks = rs256_branch.call("GET", "/api/auth/jwks.json")
    assert jwks.status == 200
    assert [key["alg"] for key in jwks.body["keys"]] == ["RS256"]
    assert all("d" not in key for key in jwks.body["keys"])

    def verify(token: str) -> subprocess.CompletedProcess:
        # -I: isolated, so nothing of the project is importable; no secret is given.
        return subprocess.run(
            [
                sys.executable,
                "-I",
                str(ROOT / "docs" / "branch_verifier.py"),
                f"{rs256_branch.url}/api/auth/jwks.json",
                token,
            ],
            env={"PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    accepted = verify(pair["access"])
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert '"token_type": "access"' in accepted.stdout
    header, payload, signature = pair["access"].split(".")
    refused = verify(f"{header}.{payload}.{signature[:-4]}AAAA")
    assert refused.returncode == 1
    assert refused.stdout.startswith("refused:")
