"""Where a login comes from: the device, in a few words, and the client's address.

A login is recorded with both (``accounts.models.Login``), so that a person can
tell their logins apart on ``/account/``. Neither is proof of anything: a client
says what it likes in its ``User-Agent``.
"""

import ipaddress

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from accounts.models import Login

# The first name found wins: Edge and Opera also say "Chrome", Chrome says "Safari".
BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("HeadlessChrome/", "Headless Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]
DEVICE_LENGTH = Login._meta.get_field("device").max_length


def describe_device(request: HttpRequest) -> str:
    """The browser and its system ("Firefox on Linux"), or the program ("curl/8.5.0").

    Empty when the request names nothing.
    """
    user_agent = request.headers.get("User-Agent", "").strip()
    if not user_agent:
        return ""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    if browser is None:
        return user_agent.split()[0][:DEVICE_LENGTH]
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    return f"{browser} on {system}" if system else browser


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the throttles see it, or ``None`` if it is none.

    DRF's ``get_ident`` trusts ``X-Forwarded-For`` only as far as ``NUM_PROXIES``
    says; whatever it finds is stored only if it is an IP address.
    """
    ident = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(ident))
    except ValueError:
        return None
