"""Run the room's servers: start them, show where they are, stop them together.

Every server runs in a process of its own, with its output in the launcher's,
each line marked with the server's name. The launcher watches its servers and
the room's keys: a server that dies stops the room, and new keys (a reset) bring
every server back with them.
"""

import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings

from teaching.room import addresses, keys, servers

START_TIMEOUT = 60
STOP_TIMEOUT = 20
WATCH_INTERVAL = 1.0


class RoomError(Exception):
    """The room cannot start; the message says why and what to do."""


@dataclass
class Running:
    server: servers.Server
    port: int
    process: subprocess.Popen
    reader: threading.Thread


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


class Room:
    """The servers of one room, bound to ``host`` from ``port`` on."""

    def __init__(self, *, host: str, port: int, write: Callable[[str], None]):
        self.host, self.port, self.write = host, port, write
        self.hosts = addresses.room_hosts(host)
        extra = os.environ.get("ALLOWED_HOSTS", "")
        self.allowed_hosts = self.hosts + [
            name.strip()
            for name in extra.split(",")
            if name.strip() and name.strip() not in self.hosts
        ]
        # How this machine reaches the room: the bound address, or loopback.
        self.local = "127.0.0.1" if host in addresses.ANY_ADDRESS else self.hosts[0]
        self.running: list[Running] = []
        self.keys = keys.room_keys()

    def url(self, server: servers.Server, host: str | None = None) -> str:
        return f"http://{host or self.local}:{self.port + server.offset}"

    def check_ports(self) -> None:
        for server in servers.SERVERS:
            port = self.port + server.offset
            if not port_is_free(self.host, port):
                raise RoomError(
                    f"Port {port} on {self.host or 'every address'} is taken, and "
                    f"{server.purpose} needs it. Stop what uses it, or choose other "
                    f"ports: make workshop PORT={self.port + 1000}"
                )

    def start(self) -> None:
        """Start every server and wait until each one answers."""
        self.keys = keys.room_keys()
        base = {
            name: value
            for name, value in os.environ.items()
            if name not in {"HOST", "PORT", "WEB_CONCURRENCY", "ALLOWED_HOSTS"}
        }
        jwks_url = f"{self.url(servers.RS256)}/api/auth/jwks.json"
        for server in servers.SERVERS:
            port = self.port + server.offset
            env = servers.environment(
                server,
                base=base,
                keys=self.keys,
                host=self.host,
                port=port,
                allowed_hosts=self.allowed_hosts,
            )
            process = subprocess.Popen(  # noqa: S603 - our own servers
                server.command(host=self.host, port=port, jwks_url=jwks_url),
                cwd=settings.BASE_DIR,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            )
            reader = threading.Thread(
                target=self._relay, args=(server.name, process.stdout), daemon=True
            )
            reader.start()
            self.running.append(Running(server, port, process, reader))
        for running in self.running:
            self._wait_until_serving(running)

    def _relay(self, name: str, output: TextIO) -> None:
        for line in output:
            self.write(f"{name:>8} | {line.rstrip()}")

    def _wait_until_serving(self, running: Running) -> None:
        url = f"{self.url(running.server)}/healthz"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if running.process.poll() is not None:
                raise RoomError(
                    f"The server for {running.server.purpose} stopped at start: "
                    "its last lines are above."
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RoomError(f"{url} did not answer within {START_TIMEOUT} seconds.")

    def stop(self) -> None:
        """Ask every server to finish its requests and stop; then make sure."""
        for running in self.running:
            if running.process.poll() is None:
                running.process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for running in self.running:
            try:
                running.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                running.process.kill()
                running.process.wait()
            running.reader.join(timeout=2)
        self.running = []

    def watch(self) -> None:
        """Until interrupted: restart on new keys, stop if a server died."""
        while True:
            time.sleep(WATCH_INTERVAL)
            for running in self.running:
                status = running.process.poll()
                if status is not None and status > 0:
                    raise RoomError(
                        f"The server for {running.server.purpose} failed (exit "
                        f"status {status}); the room stops too."
                    )
                if status is not None:
                    self.write(f"==> {running.server.name} stopped; so does the room")
                    return
            if keys.room_keys() != self.keys:
                self.write(
                    "==> The room was reset: restarting every server with the new "
                    "keys (the cards of the last session are void)"
                )
                self.stop()
                self.start()
                self.write("==> The room is ready again.")

    def banner(self) -> list[str]:
        """What the instructor reads, and what the room is told."""
        attendees = [host for host in self.hosts if not addresses.is_loopback(host)]
        shown = attendees[0] if attendees else self.hosts[0]
        lines = ["", "=" * 24 + " Delivery workshop " + "=" * 24]
        if attendees:
            lines.append("For the room (every machine on this network):")
            lines += [
                f"  {self.url(servers.MAIN, host)}/workshop/" for host in attendees
            ]
        else:
            lines.append(f"Handout:  {self.url(servers.MAIN, shown)}/workshop/")
        lines.append("Servers (the handout names each one by its variable):")
        for server in servers.SERVERS:
            lines.append(
                f"  {server.variable:<9}{self.url(server, shown):<28}{server.purpose}"
            )
        others = [host for host in self.hosts if host != shown]
        if others:
            lines.append(
                "Also at:  " + ", ".join(self.url(servers.MAIN, h) for h in others)
            )
        if not attendees:
            lines.append(
                "Only this machine can reach the room: for attendees on the same "
                "network, run make workshop HOST=0.0.0.0"
            )
        lines += [
            f"Instructor: admin, password {self.keys.admin_password} (keep it off "
            "the projector): /workshop/cards/, /ticket-rail/, /lab/room/, /admin/",
            "Attack labs: /lab/ (lesson 11); who solved what, for the instructor: "
            "/lab/room/",
            "Cards for attendees: /workshop/cards/, or make workshop-accounts N=30 "
            f"HOST={self.host} PORT={self.port}",
            "Demo accounts: alice, bob (customers), chef, chef-sakura, chef-taj, "
            "chef-camino, chef-green, chef-bistro (kitchens); password delivery-demo",
            "Between two sessions: make workshop-reset (in another terminal)",
            "DEBUG is off: an error shows a plain page, and its details here. "
            "Ctrl-C stops every server.",
            "=" * 67,
        ]
        return lines
