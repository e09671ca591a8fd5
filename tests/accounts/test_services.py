"""The front desk's services: what they write, and what they hold while writing."""

from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection

from accounts.models import Role
from accounts.services import register_customer

seen_in_a_transaction: list[bool] = []


class WatchfulHasher(MD5PasswordHasher):
    """Notes whether a password is hashed inside a transaction."""

    algorithm = "watchful_md5"

    def encode(self, password, salt):
        seen_in_a_transaction.append(connection.in_atomic_block)
        return super().encode(password, salt)


def test_registration_hashes_the_password_before_taking_the_write_lock(
    transactional_db, settings
):
    settings.PASSWORD_HASHERS = [f"{__name__}.WatchfulHasher"]
    seen_in_a_transaction.clear()
    user = register_customer(
        username="Newcomer", password="a-long-workshop-pass", email="NEW@Example.COM"
    )
    assert seen_in_a_transaction == [False]
    user.refresh_from_db()
    assert (user.username, user.email, user.role) == (
        "Newcomer",
        "NEW@example.com",
        Role.CUSTOMER,
    )
    assert user.check_password("a-long-workshop-pass")
    assert not user.is_staff
