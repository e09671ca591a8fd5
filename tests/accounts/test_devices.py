"""A login's device in a few words, and its address as the throttles see it."""

import pytest
from django.test import RequestFactory

from accounts.devices import client_address, describe_device

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (FIREFOX, "Firefox on Linux"),
        (CHROME_ANDROID, "Chrome on Android"),
        (EDGE_WINDOWS, "Edge on Windows"),
        (SAFARI_IPHONE, "Safari on iOS"),
        ("curl/8.5.0", "curl/8.5.0"),
        ("HTTPie/3.2.2", "HTTPie/3.2.2"),
        ("x" * 500, "x" * 100),
        ("", ""),
    ],
)
def test_a_device_is_named_in_a_few_words(user_agent, device):
    request = RequestFactory().get("/", HTTP_USER_AGENT=user_agent)
    assert describe_device(request) == device


@pytest.mark.parametrize(
    ("remote_addr", "address"),
    [("192.0.2.1", "192.0.2.1"), ("2001:db8::1", "2001:db8::1"), ("", None)],
)
def test_an_address_is_kept_only_when_it_is_one(remote_addr, address):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    assert client_address(request) == address


def forwarded(chain: str):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=chain)


def test_a_forwarded_address_is_ignored_without_a_trusted_proxy():
    assert client_address(forwarded("192.0.2.5")) == "10.0.0.1"


def test_behind_a_trusted_proxy_the_forwarded_address_counts_if_it_is_one(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_address(forwarded("192.0.2.5")) == "192.0.2.5"
    assert client_address(forwarded("<script>")) is None
