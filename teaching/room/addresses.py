"""Where the room is: the instructor's addresses, and the handout's filled in.

The handout (docs/workshop.md) names each server of the room with a placeholder,
``http://ROOM:8000`` for the main one and ``http://ROOM:8001`` onwards for the
lesson servers. The page fills them in with the address the attendee's browser
used, as Django has checked it against ``ALLOWED_HOSTS``: never with a header
nobody checked.
"""

import ipaddress
import os
import re
import socket

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port

PLACEHOLDER = re.compile(r"http://ROOM:(\d{4,5})")
HANDOUT_PORT = 8000
ANY_ADDRESS = {"0.0.0.0", ""}  # noqa: S104 - the address that means "every interface"
LOCAL_NAMES = {"localhost"}


def fill_placeholders(text: str, *, scheme: str, host: str, port: int) -> str:
    """``http://ROOM:8000`` becomes the room's address, and 8001 onwards its
    lesson servers, at the same distance from the main port."""

    def address(match: re.Match) -> str:
        return f"{scheme}://{host}:{port + int(match.group(1)) - HANDOUT_PORT}"

    return PLACEHOLDER.sub(address, text)


def request_host_and_port(request: HttpRequest) -> tuple[str, int]:
    """The host and port the browser used; ``get_host()`` has checked them."""
    domain, port = split_domain_port(request.get_host())
    return domain, int(port or request.get_port())


def fill_for_request(text: str, request: HttpRequest) -> str:
    host, port = request_host_and_port(request)
    return fill_placeholders(text, scheme=request.scheme, host=host, port=port)


def is_loopback(host: str) -> bool:
    """True for an address only this machine reaches (127.0.0.1, ::1, localhost)."""
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def room_hosts_for_attendees() -> list[str]:
    """The allowed hosts other machines can use: where to send the room."""
    return [
        host
        for host in settings.ALLOWED_HOSTS
        if host not in {"*", "testserver"}
        and not host.startswith(".")
        and not is_loopback(host)
    ]


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses on its networks (not the loopback ones)."""
    found: list[str] = []
    # Connecting a UDP socket sends nothing; it picks the address of the route out.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            found.append(probe.getsockname()[0])
        except OSError:
            pass
    try:
        named = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        named = []
    found += [info[4][0] for info in named]
    usable = []
    for address in found:
        parsed = ipaddress.ip_address(address)
        if not (parsed.is_loopback or parsed.is_link_local) and address not in usable:
            usable.append(address)
    return usable


def url_host(host: str) -> str:
    """A host as a URL writes it: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def room_hosts(bind: str) -> list[str]:
    """The hosts a server bound to ``bind`` answers for, attendees' ones first."""
    if bind in ANY_ADDRESS:
        return [*local_addresses(), "127.0.0.1", "localhost"]
    return [url_host(bind)]


def room_addresses_from_environment() -> list[str]:
    """The addresses of a room started with this environment's ``HOST`` and ``PORT``."""
    bind = os.environ.get("HOST", "127.0.0.1").strip()
    port = os.environ.get("PORT", str(HANDOUT_PORT)).strip()
    return [f"http://{host}:{port}" for host in room_hosts(bind)]
