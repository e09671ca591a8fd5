"""The room's keys: made once per checkout, kept in the development secrets file.

Beside Django's ``SECRET_KEY`` and the HS256 ``JWT_SIGNING_KEY`` (which the
settings keep in the same file), the room has the RSA key of its RS256 front desk
and the password of its instructor. A key given in the environment wins over the
file. Resetting the room makes new card keys, so no card of an earlier session
is accepted in the next one (``rotate_card_keys``).
"""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from accounts.keys import new_rsa_pem
from teaching.room.accounts import new_password

MAKERS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "JWT_SIGNING_KEY": lambda: secrets.token_hex(32),
    "ROOM_RS256_PRIVATE_KEY": new_rsa_pem,
    "ROOM_ADMIN_PASSWORD": new_password,
}
CARD_KEYS = ("JWT_SIGNING_KEY", "ROOM_RS256_PRIVATE_KEY")


@dataclass(frozen=True)
class RoomKeys:
    secret_key: str
    jwt_signing_key: str
    rs256_private_key: str
    admin_password: str


def secrets_file() -> Path:
    return Path(settings.DEV_SECRETS_FILE)


def _read() -> dict[str, str]:
    try:
        stored = json.loads(secrets_file().read_text())
    except (OSError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def _write(stored: dict[str, str]) -> None:
    """Replace the file at once, readable by its owner only."""
    path = secrets_file()
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(stored, handle)
    draft.replace(path)


def room_keys() -> RoomKeys:
    """The room's keys, each made the first time it is needed."""
    stored = _read()
    missing = [name for name in MAKERS if not isinstance(stored.get(name), str)]
    if missing:
        stored.update({name: MAKERS[name]() for name in missing})
        _write(stored)
    return RoomKeys(
        secret_key=os.environ.get("SECRET_KEY") or stored["SECRET_KEY"],
        jwt_signing_key=os.environ.get("JWT_SIGNING_KEY") or stored["JWT_SIGNING_KEY"],
        rs256_private_key=stored["ROOM_RS256_PRIVATE_KEY"],
        admin_password=stored["ROOM_ADMIN_PASSWORD"],
    )


def keys_from_environment() -> list[str]:
    """The card keys the environment fixes, which a reset cannot change."""
    return [name for name in ("JWT_SIGNING_KEY",) if os.environ.get(name)]


def rotate_card_keys() -> None:
    """New keys for the cards: every token signed before is refused from now on."""
    stored = _read()
    stored.update({name: MAKERS[name]() for name in MAKERS if name not in stored})
    stored.update({name: MAKERS[name]() for name in CARD_KEYS})
    _write(stored)
