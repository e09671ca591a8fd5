"""Restaurants, the categories of their menus, and the dishes."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models


class Restaurant(models.Model):
    """A kitchen that takes orders, with its own menu and delivery fee."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    cuisine = models.CharField(max_length=60, db_index=True)
    description = models.TextField(blank=True)
    delivery_fee = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("0.00")
    )
    is_open = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivery_fee__gte=0),
                name="menu_restaurant_delivery_fee_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A section of one restaurant's menu ("Pizzas", "Desserts"), in menu order."""

    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["restaurant", "position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["restaurant", "name"],
                name="menu_category_unique_per_restaurant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.restaurant}: {self.name}"


class MenuItem(models.Model):
    """A dish, priced in the restaurant's currency with two decimal places."""

    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.CASCADE, related_name="items"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=7, decimal_places=2)
    vegetarian = models.BooleanField(default=False)
    available = models.BooleanField(default=True)

    class Meta:
        ordering = ["restaurant", "category__position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gt=0), name="menu_item_price_positive"
            ),
            models.UniqueConstraint(
                fields=["restaurant", "name"], name="menu_item_unique_per_restaurant"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.category_id
            and self.restaurant_id
            and self.category.restaurant_id != self.restaurant_id
        ):
            raise ValidationError(
                {"category": "The category belongs to another restaurant."}
            )
