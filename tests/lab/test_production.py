"""The broken waiter never reaches production: not routed with DEBUG off, and
``check --deploy`` fails whenever it is on."""

import subprocess
import sys

import pytest
from django.core import checks
from django.test import override_settings

from tests.workshop.servers import ROOT, clean_environment

pytestmark = pytest.mark.slow

# What a server with DEBUG off answers for the labs' addresses.
PROBE = """
from django.apps import apps
from django.test import Client
import django
django.setup()
client = Client(headers={"X-Forwarded-Proto": "https"})
print(apps.is_installed("lab"))
for path in ("/lab/", "/lab/alg-none/", "/lab/room/", "/lab/progress/"):
    print(path, client.get(path).status_code)
print("/lab/alg-none/orders/", client.post("/lab/alg-none/orders/").status_code)
print("a link to /lab/:", 'href="/lab/"' in client.get("/").content.decode())
"""


def production(tmp_path, **overrides: str) -> dict[str, str]:
    return clean_environment(
        DJANGO_SETTINGS_MODULE="delivery.settings",
        DEBUG="0",
        SECRET_KEY="k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ",
        JWT_SIGNING_KEY="0123456789abcdef" * 4,
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        ALLOWED_HOSTS="testserver,example.com",
        **overrides,
    )


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_with_debug_off_the_labs_are_not_there(tmp_path):
    result = run("-c", PROBE, env=production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == [
        "False",
        "/lab/ 404",
        "/lab/alg-none/ 404",
        "/lab/room/ 404",
        "/lab/progress/ 404",
        "/lab/alg-none/orders/ 404",
        "a link to /lab/: False",
        "",
    ]


def test_check_deploy_passes_without_the_labs(tmp_path):
    result = run("manage.py", "check", "--deploy", env=production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "lab.E001" not in result.stdout + result.stderr


def test_check_deploy_fails_when_the_workshop_enables_the_labs(tmp_path):
    env = production(tmp_path, WORKSHOP_LABS="1")
    result = run("manage.py", "check", "--deploy", env=env)
    assert result.returncode != 0
    assert "lab.E001" in result.stderr
    assert "deliberately broken waiter" in result.stderr


def test_the_labs_check_speaks_only_at_deploy_time():
    """A plain ``check`` (``make workshop``'s) stays quiet; ``--deploy`` fails."""
    with override_settings(LABS_ENABLED=True):
        everyday = {message.id for message in checks.run_checks()}
        deploy = checks.run_checks(include_deployment_checks=True)
    assert "lab.E001" not in everyday
    assert [message.level for message in deploy if message.id == "lab.E001"] == [
        checks.ERROR
    ]
