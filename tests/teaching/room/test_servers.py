"""The room's servers: what each runs with, and where the handout finds it."""

import re
import socket

import pytest

from teaching.room import servers
from teaching.room.keys import RoomKeys
from teaching.room.launcher import Room, RoomError
from tests.workshop.handout import steps

KEYS = RoomKeys(
    secret_key="s" * 60,
    jwt_signing_key="j" * 64,
    rs256_private_key="-----BEGIN PRIVATE KEY-----\n...",
    admin_password="abcd-efgh-jkmn",
)


def environment(server, **base):
    return servers.environment(
        server,
        base=base,
        keys=KEYS,
        host="0.0.0.0",  # noqa: S104 - the room on every interface
        port=8000 + server.offset,
        allowed_hosts=["192.168.1.20", "127.0.0.1"],
    )


def test_every_server_has_a_port_and_a_variable_of_its_own():
    assert len({server.offset for server in servers.SERVERS}) == len(servers.SERVERS)
    assert len({server.variable for server in servers.SERVERS}) == len(servers.SERVERS)
    assert servers.SERVERS[0] is servers.MAIN
    assert servers.MAIN.offset == 0


def test_the_handout_names_each_server_where_the_room_runs_it():
    (setup,) = [step for step in steps() if step.is_attendee_setup]
    named = dict(re.findall(r"\b([A-Z]+)=http://ROOM:(\d+)", setup.command))
    assert named == {
        server.variable: str(8000 + server.offset) for server in servers.SERVERS
    }


def test_every_server_runs_with_debug_off_over_plain_http():
    for server in servers.SERVERS:
        env = environment(server)
        assert env["DEBUG"] == "0"
        assert env["PLAIN_HTTP"] == "1"
        assert env["ALLOWED_HOSTS"] == "192.168.1.20,127.0.0.1"
        assert env["PORT"] == str(8000 + server.offset)
        assert (env["SECRET_KEY"], env["JWT_SIGNING_KEY"]) == ("s" * 60, "j" * 64)
        assert env["LOGIN_RATE_PER_ADDRESS"] == "1000/min"
        assert "LOGIN_RATE_PER_USERNAME" not in env


def test_the_lesson_servers_differ_in_one_setting_each():
    by_name = {server.name: environment(server) for server in servers.SERVERS}
    assert by_name["short"]["JWT_ACCESS_TOKEN_LIFETIME"] == "30"
    assert by_name["strict"]["JWT_INSTANT_REVOCATION"] == "1"
    assert by_name["rs256"]["JWT_ALGORITHM"] == "RS256"
    assert by_name["rs256"]["JWT_PRIVATE_KEY"] == KEYS.rs256_private_key
    assert "JWT_PRIVATE_KEY" not in by_name["branch"]
    assert "JWT_ACCESS_TOKEN_LIFETIME" not in by_name["main"]


def test_without_redis_each_server_is_one_process_with_redis_more():
    assert environment(servers.MAIN)["WEB_CONCURRENCY"] == "1"
    shared = environment(servers.MAIN, REDIS_URL="redis://127.0.0.1:6379/0")
    assert "WEB_CONCURRENCY" not in shared


def test_the_instructor_may_change_a_room_limit():
    env = environment(servers.MAIN, LOGIN_RATE_PER_ADDRESS="300/min")
    assert env["LOGIN_RATE_PER_ADDRESS"] == "300/min"


def test_the_verifier_is_told_where_the_public_keys_are():
    (verifier,) = [server for server in servers.SERVERS if server.verifier]
    command = verifier.command(
        host="127.0.0.2", port=8005, jwks_url="http://127.0.0.2:8004/api/auth/jwks.json"
    )
    assert command[-3:] == [
        "--serve",
        "127.0.0.2:8005",
        "http://127.0.0.2:8004/api/auth/jwks.json",
    ]


def test_a_taken_port_stops_the_room_before_it_starts(settings, tmp_path):
    settings.DEV_SECRETS_FILE = tmp_path / "secrets.json"
    with socket.socket() as taken:
        taken.bind(("127.0.0.2", 0))
        taken.listen()
        port = taken.getsockname()[1] - 3
        room = Room(host="127.0.0.2", port=port, write=print)
        with pytest.raises(RoomError, match=f"Port {port + 3} on 127.0.0.2 is taken"):
            room.check_ports()


def test_the_banner_lists_every_server_and_the_instructor(settings, tmp_path):
    settings.DEV_SECRETS_FILE = tmp_path / "secrets.json"
    room = Room(host="127.0.0.2", port=9000, write=print)
    banner = "\n".join(room.banner())
    for server in servers.SERVERS:
        assert f"{server.variable} " in banner
        assert f"http://127.0.0.2:{9000 + server.offset}" in banner
    assert f"password {room.keys.admin_password}" in banner
    assert "make workshop HOST=0.0.0.0" in banner
