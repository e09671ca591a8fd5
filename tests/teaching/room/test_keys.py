"""The room's keys: made once, kept in the secrets file, new card keys at a reset."""

import json
import stat

import pytest

from teaching.room import keys


@pytest.fixture
def secrets_file(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("JWT_SIGNING_KEY", raising=False)
    settings.DEV_SECRETS_FILE = tmp_path / ".dev-secrets.json"
    return settings.DEV_SECRETS_FILE


def test_keys_are_made_once_and_kept_for_the_owner_alone(secrets_file):
    first = keys.room_keys()
    assert keys.room_keys() == first
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    stored = json.loads(secrets_file.read_text())
    assert stored["JWT_SIGNING_KEY"] == first.jwt_signing_key
    assert "PRIVATE KEY-----" in first.rs256_private_key
    assert len(first.admin_password) == 14


def test_the_settings_keys_in_the_file_are_the_rooms(secrets_file):
    secrets_file.write_text(
        json.dumps({"SECRET_KEY": "s" * 60, "JWT_SIGNING_KEY": "j" * 64})
    )
    room = keys.room_keys()
    assert (room.secret_key, room.jwt_signing_key) == ("s" * 60, "j" * 64)


def test_keys_from_the_environment_win(secrets_file, monkeypatch):
    monkeypatch.setenv("JWT_SIGNING_KEY", "e" * 64)
    assert keys.room_keys().jwt_signing_key == "e" * 64
    assert keys.keys_from_environment() == ["JWT_SIGNING_KEY"]


def test_a_rotation_changes_the_card_keys_and_nothing_else(secrets_file):
    before = keys.room_keys()
    keys.rotate_card_keys()
    after = keys.room_keys()
    assert after.jwt_signing_key != before.jwt_signing_key
    assert after.rs256_private_key != before.rs256_private_key
    assert after.secret_key == before.secret_key
    assert after.admin_password == before.admin_password
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
