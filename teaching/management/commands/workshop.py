"""Serve a workshop room: the site and every lesson's server, DEBUG off, one banner."""

import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from teaching.room import database, keys
from teaching.room.launcher import Room, RoomError


class Command(BaseCommand):
    help = (
        "Start the workshop room on HOST from PORT on: the site and the servers "
        "the lessons need (short lifetimes, instant revocation, branch B, RS256 "
        "with its JWKS, a verifier), with DEBUG off; print their addresses; stop "
        "them all on Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000"))
        )

    def handle(self, *args, host: str, port: int, **options) -> None:
        lock = threading.Lock()

        def write(line: str) -> None:
            with lock:
                self.stdout.write(line)
                self.stdout.flush()

        room = Room(host=host, port=port, write=write)
        # A terminal closed or a `kill` stops the servers too, as Ctrl-C does.
        for number in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, self.interrupt)
        try:
            room.check_ports()
            write("==> Preparing the room's database (migrations, demo data)")
            database.prepare(keys=keys.room_keys())
            write("==> Collecting the static files")
            self.collect_static()
            write("==> Starting the servers")
            room.start()
            for line in room.banner():
                write(line)
            room.watch()
        except RoomError as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            write("==> Stopping the room")
        finally:
            room.stop()

    @staticmethod
    def interrupt(number: int, frame: object) -> None:
        raise KeyboardInterrupt

    def collect_static(self) -> None:
        """``collectstatic`` as the servers see the files: DEBUG off."""
        room_keys = keys.room_keys()
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": room_keys.secret_key,
            "JWT_SIGNING_KEY": room_keys.jwt_signing_key,
        }
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=False,
        )
        if collected.returncode != 0:
            raise RoomError("collectstatic failed; its output is above.")
