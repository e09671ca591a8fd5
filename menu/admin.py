from django.contrib import admin

from menu.models import Category, MenuItem, Restaurant


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Restaurant)
class RestaurantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "cuisine", "delivery_fee", "is_open"]
    list_filter = ["cuisine", "is_open"]
    search_fields = ["name", "slug", "cuisine"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "restaurant", "position"]
    list_filter = ["restaurant"]
    search_fields = ["name", "restaurant__name"]
    list_select_related = ["restaurant"]


@admin.register(MenuItem)
class MenuItemAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "restaurant",
        "category",
        "price",
        "vegetarian",
        "available",
    ]
    list_filter = ["restaurant", "vegetarian", "available", "category__name"]
    list_editable = ["price", "available"]
    search_fields = ["name", "description", "restaurant__name"]
    list_select_related = ["restaurant", "category"]
    autocomplete_fields = ["category"]
