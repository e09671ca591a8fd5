from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, with the role and, for kitchen staff, the restaurant.

    Both are on the forms, so the rule that binds them (``User.clean``) is a form
    error next to the restaurant, never a refusal from the database.
    """

    list_display = [
        "username",
        "email",
        "role",
        "restaurant",
        "is_active",
        "is_staff",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["restaurant"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Delivery", {"fields": ["role", "restaurant"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Delivery", {"fields": ["role", "restaurant"]}),
    ]
