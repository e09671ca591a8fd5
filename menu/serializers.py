"""How the menu is shown: restaurants, their menus by category, and dishes."""

from rest_framework import serializers

from menu.models import Category, MenuItem, Restaurant


class RestaurantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Restaurant
        fields = ["slug", "name", "cuisine", "description", "delivery_fee", "is_open"]
        read_only_fields = fields


class MenuItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    restaurant = serializers.CharField(source="restaurant.slug", read_only=True)

    class Meta:
        model = MenuItem
        fields = [
            "id",
            "name",
            "description",
            "price",
            "vegetarian",
            "available",
            "category",
            "restaurant",
        ]
        read_only_fields = fields


class DishSerializer(serializers.ModelSerializer):
    """A dish inside its restaurant's menu, where restaurant and category are known."""

    class Meta:
        model = MenuItem
        fields = ["id", "name", "description", "price", "vegetarian", "available"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    items = DishSerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "items"]
        read_only_fields = fields


class RestaurantMenuSerializer(RestaurantSerializer):
    categories = CategorySerializer(many=True, read_only=True)

    class Meta(RestaurantSerializer.Meta):
        fields = [*RestaurantSerializer.Meta.fields, "categories"]
        read_only_fields = fields
