"""factory_boy factories for the project's models."""

from decimal import Decimal

import factory

from accounts.models import Role, User
from menu.models import Category, MenuItem, Restaurant

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)
    role = Role.CUSTOMER


class RestaurantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Restaurant

    name = factory.Sequence(lambda n: f"Restaurant {n}")
    slug = factory.Sequence(lambda n: f"restaurant-{n}")
    cuisine = "Italian"
    description = "A place to eat."
    delivery_fee = Decimal("2.50")
    is_open = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    restaurant = factory.SubFactory(RestaurantFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(int)


class MenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenuItem

    category = factory.SubFactory(CategoryFactory)
    restaurant = factory.LazyAttribute(lambda item: item.category.restaurant)
    name = factory.Sequence(lambda n: f"Dish {n}")
    description = "Tasty."
    price = Decimal("10.00")
    vegetarian = False
    available = True


class KitchenUserFactory(UserFactory):
    role = Role.KITCHEN
    restaurant = factory.SubFactory(RestaurantFactory)


def build_menu(*, restaurants: int, categories: int, dishes: int) -> list[Restaurant]:
    """Restaurants, each with ``categories`` categories of ``dishes`` dishes."""
    made = RestaurantFactory.create_batch(restaurants)
    for restaurant in made:
        for category in CategoryFactory.create_batch(categories, restaurant=restaurant):
            MenuItemFactory.create_batch(dishes, category=category)
    return made
