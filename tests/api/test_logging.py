"""Log lines: key=value, one per refused request, and never a secret."""

import io
import logging
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.services import issue_token_pair
from api.logging import KeyValueFormatter, logfmt_value
from delivery import gunicorn as gunicorn_config
from tests.conftest import past_the_grace_period
from tests.factories import PASSWORD
from tests.tokens import resigned

LOGIN = reverse("accounts:token")
REFRESH = reverse("accounts:token-refresh")
LOGOUT = reverse("accounts:logout")
ME = reverse("accounts:me")


@pytest.fixture
def log_lines(caplog):
    """Every record of the request, rendered as the production formatter does."""
    caplog.set_level(logging.DEBUG)
    formatter = KeyValueFormatter()

    def lines() -> list[str]:
        return [formatter.format(record) for record in caplog.records]

    return lines


@pytest.fixture
def console(settings):
    """What the production console handler writes, its filters included."""
    config = settings.LOGGING
    console = config["handlers"]["console"]
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(
        import_string(config["formatters"][console["formatter"]]["()"])()
    )
    for name in console.get("filters", []):
        handler.addFilter(import_string(config["filters"][name]["()"])())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: buffer.getvalue().splitlines()
    finally:
        root.removeHandler(handler)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ("/api/orders/", "/api/orders/"),
        ("two words", '"two words"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("line\nbreak", '"line\\nbreak"'),
        ("", '""'),
        (None, "-"),
        (42, "42"),
        (True, "true"),
    ],
)
def test_values_are_written_as_logfmt(value, text):
    assert logfmt_value(value) == text


def test_a_record_becomes_one_key_value_line_of_plain_extras():
    record = logging.LogRecord(
        "accounts.authentication", logging.WARNING, __file__, 1, "refused", None, None
    )
    record.reason = "Token is expired"
    record.user_id = 7
    record.request = object()  # Django attaches the request: never written
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert line.startswith("time=")
    assert "level=warning logger=accounts.authentication msg=refused" in line
    assert 'reason="Token is expired" user_id=7' in line
    assert "request=" not in line


def test_the_settings_use_the_key_value_formatter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    formatter = settings.LOGGING["formatters"][handler["formatter"]]
    assert formatter["()"] == "api.logging.KeyValueFormatter"


def test_a_refused_token_is_logged_once_with_its_reason(api_client, user, log_lines):
    api_client.get(ME, HTTP_AUTHORIZATION="Bearer not.a.token")
    refused = [line for line in log_lines() if "event=auth_refused" in line]
    assert len(refused) == 1
    assert 'reason="Token is invalid"' in refused[0]
    assert "code=token_not_valid" in refused[0]
    assert "path=/api/auth/me/" in refused[0]
    assert "user_id=-" in refused[0]


def test_an_expired_card_is_logged_with_whose_it_was(api_client, user, log_lines):
    """The signature was good: the card names its holder, as a revoked one does."""
    access = issue_token_pair(user=user).access
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")
    refused = [line for line in log_lines() if "event=auth_refused" in line]
    assert len(refused) == 1
    assert 'reason="Token is expired" code=token_not_valid' in refused[0]
    assert f"user_id={user.pk}" in refused[0]


def test_an_expired_forgery_is_logged_as_nobodys(api_client, user, log_lines):
    forged = resigned(
        issue_token_pair(user=user).access, key="another key, long enough to sign"
    )
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {forged}")
    (refused,) = [line for line in log_lines() if "event=auth_refused" in line]
    assert "user_id=-" in refused


def test_an_accepted_token_is_not_logged(auth_client, log_lines):
    assert auth_client.get(ME).status_code == 200
    assert not [line for line in log_lines() if "auth_refused" in line]


def test_a_revoked_token_is_logged_with_the_user_id(
    api_client, user, settings, log_lines
):
    settings.JWT_INSTANT_REVOCATION = True
    pair = api_client.post(
        LOGIN, {"username": user.username, "password": PASSWORD}, format="json"
    ).json()
    api_client.post(LOGOUT, {"refresh": pair["refresh"]}, format="json")
    api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    (line,) = [line for line in log_lines() if "event=auth_refused" in line]
    assert f"user_id={user.pk}" in line
    assert "This login was ended" in line


def test_no_token_password_or_cookie_reaches_the_log(
    api_client, user, settings, log_lines
):
    settings.JWT_INSTANT_REVOCATION = True
    api_client.post(
        LOGIN, {"username": user.username, "password": "wrong-guess"}, format="json"
    )
    pair = api_client.post(
        LOGIN, {"username": user.username, "password": PASSWORD}, format="json"
    ).json()
    rotated = api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")
    with past_the_grace_period():
        api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json")  # reuse
    api_client.cookies["delivery_access"] = pair["access"]
    api_client.get(
        f"{ME}?token={pair['access']}", HTTP_AUTHORIZATION=f"Bearer {pair['access']}"
    )
    api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair['access']}x")
    api_client.post(LOGOUT, {"refresh": rotated.json()["refresh"]}, format="json")
    text = "\n".join(log_lines())
    assert "auth_refused" in text
    assert "refresh_token_reused" in text
    secrets = [
        PASSWORD,
        "wrong-guess",
        settings.SECRET_KEY,
        settings.SIMPLE_JWT["SIGNING_KEY"],
        *pair.values(),
        *rotated.json().values(),
    ]
    for secret in secrets:
        for part in str(secret).split("."):
            if len(part) > 20:
                assert part not in text


def test_the_access_log_never_holds_a_query_string_header_or_cookie():
    fmt = gunicorn_config.access_log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%(a)s", "%(u)s", "}i", "}o", "}e"):
        assert atom not in fmt
    assert "path=%(U)s" in fmt


def test_the_access_log_keeps_one_request_on_one_line():
    atoms = gunicorn_config.LogfmtAtoms(
        {"m": "GET", "U": '/api/x\nlevel=error msg="forged"', "s": "404", "B": None}
    )
    line = gunicorn_config.access_log_format % atoms
    assert "\n" not in line
    assert 'path="/api/x\\nlevel=error msg=\\"forged\\""' in line
    assert "bytes=-" in line


# --- one event, one line ------------------------------------------------------------


def test_a_request_for_a_foreign_host_is_one_line(db, console):
    response = Client().get("/api/restaurants/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    (line,) = console()
    assert "level=error logger=django.security.DisallowedHost" in line
    assert "event=disallowed_host" in line
    assert "path=/api/restaurants/" in line
    assert "error=DisallowedHost" in line


@pytest.mark.urls("tests.api.error_urls")
def test_a_database_that_does_not_answer_is_a_503_and_one_line(api_client, console):
    response = api_client.get("/api/database-down/")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The database is not answering; try again shortly.",
        "code": "database_unavailable",
    }
    (line,) = console()
    assert "event=database_unavailable" in line
    assert "method=GET path=/api/database-down/" in line
    assert "error=OperationalError" in line


@pytest.mark.urls("tests.api.error_urls")
def test_a_database_fault_on_a_page_is_one_line(console):
    response = Client(raise_request_exception=False).get("/database-down/")
    assert response.status_code == 500
    (line,) = console()
    assert "event=database_unavailable" in line
    assert "path=/database-down/" in line
    assert "error=OperationalError" in line


@pytest.mark.urls("tests.api.error_urls")
def test_a_bug_still_writes_its_traceback(api_client, console):
    assert api_client.get("/api/broken/").status_code == 500
    text = "\n".join(console())
    assert "event=server_error" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError" in text
