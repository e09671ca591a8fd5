"""Menu constraints hold in the database, not only in forms."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Role, User
from tests.factories import (
    CategoryFactory,
    KitchenUserFactory,
    MenuItemFactory,
    RestaurantFactory,
    UserFactory,
)


@pytest.mark.parametrize("price", [Decimal("0.00"), Decimal("-1.00")])
def test_price_must_be_positive(db, price):
    with pytest.raises(IntegrityError):
        MenuItemFactory(price=price)


def test_delivery_fee_cannot_be_negative(db):
    with pytest.raises(IntegrityError):
        RestaurantFactory(delivery_fee=Decimal("-0.01"))


def test_slug_is_unique(db):
    RestaurantFactory(slug="same")
    with pytest.raises(IntegrityError):
        RestaurantFactory(slug="same")


def test_dish_names_are_unique_per_restaurant(db):
    dish = MenuItemFactory(name="Soup")
    with pytest.raises(IntegrityError):
        MenuItemFactory(name="Soup", category=dish.category)


def test_the_same_dish_name_may_appear_in_two_restaurants(db):
    MenuItemFactory(name="Soup")
    MenuItemFactory(name="Soup")


def test_a_dish_cannot_use_another_restaurants_category(db):
    dish = MenuItemFactory.build(
        category=CategoryFactory(), restaurant=RestaurantFactory()
    )
    with pytest.raises(ValidationError):
        dish.full_clean()


def test_kitchen_staff_need_a_restaurant(db):
    with pytest.raises(IntegrityError):
        UserFactory(role=Role.KITCHEN, restaurant=None)


def test_customers_have_no_restaurant(db):
    with pytest.raises(IntegrityError):
        UserFactory(role=Role.CUSTOMER, restaurant=RestaurantFactory())


def test_the_kitchen_rule_shows_in_model_validation(db):
    user = User(username="cook", role=Role.KITCHEN)
    user.set_password("a-long-pass-phrase")
    with pytest.raises(ValidationError, match="Kitchen staff need a restaurant"):
        user.full_clean()


def test_kitchen_user_with_a_restaurant_is_valid(db):
    cook = KitchenUserFactory()
    assert cook.is_kitchen
    assert cook.restaurant is not None
