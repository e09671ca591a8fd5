"""The user model: roles, case-insensitive usernames, constraints in the database."""

import pytest
from django.db import IntegrityError

from accounts.models import Role, User
from tests.factories import UserFactory


def test_new_users_are_customers(db):
    assert User.objects.create_user(username="dora", password="x").role == Role.CUSTOMER


def test_database_refuses_an_unknown_role(db):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(role="manager")


def test_database_refuses_usernames_that_differ_only_in_case(db):
    UserFactory(username="alice")
    with pytest.raises(IntegrityError):
        User.objects.create_user(username="ALICE", password="x")


def test_str_is_the_username(db):
    assert str(UserFactory(username="erin")) == "erin"
