"""The room's addresses: the handout's placeholders filled in, loopback told apart."""

import pytest
from django.test import RequestFactory

from teaching.room import addresses


def test_placeholders_become_the_room_and_its_lesson_servers():
    text = "BASE=http://ROOM:8000 SHORT=http://ROOM:8001 VERIFIER=http://ROOM:8005"
    assert addresses.fill_placeholders(
        text, scheme="http", host="192.168.1.20", port=9000
    ) == (
        "BASE=http://192.168.1.20:9000 SHORT=http://192.168.1.20:9001 "
        "VERIFIER=http://192.168.1.20:9005"
    )


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("192.168.1.20:9000", ("192.168.1.20", 9000)),
        ("[::1]:8000", ("[::1]", 8000)),
        ("laptop.local", ("laptop.local", 80)),
    ],
)
def test_the_host_and_port_are_the_ones_the_browser_used(settings, host, expected):
    settings.ALLOWED_HOSTS = ["*"]
    request = RequestFactory().get("/workshop/", HTTP_HOST=host, SERVER_PORT="80")
    assert addresses.request_host_and_port(request) == expected


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("[::1]", True),
        ("localhost", True),
        ("192.168.1.20", False),
        ("laptop.local", False),
    ],
)
def test_loopback_addresses_are_the_machine_itself(host, loopback):
    assert addresses.is_loopback(host) is loopback


def test_the_room_is_sent_to_the_allowed_hosts_other_machines_reach(settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20", "127.0.0.1", "localhost", ".example.com"]
    assert addresses.room_hosts_for_attendees() == ["192.168.1.20"]


def test_a_room_on_every_interface_answers_for_the_network_and_this_machine():
    hosts = addresses.room_hosts("0.0.0.0")  # noqa: S104 - every interface
    assert hosts[-2:] == ["127.0.0.1", "localhost"]
    for host in hosts[:-2]:
        assert not addresses.is_loopback(host)
    assert addresses.room_hosts("127.0.0.2") == ["127.0.0.2"]
    assert addresses.room_hosts("::1") == ["[::1]"]


def test_the_room_is_named_from_host_and_port(monkeypatch):
    monkeypatch.setenv("HOST", "127.0.0.2")
    monkeypatch.setenv("PORT", "9100")
    assert addresses.room_addresses_from_environment() == ["http://127.0.0.2:9100"]
