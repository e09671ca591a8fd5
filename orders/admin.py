from django.contrib import admin

from orders.models import Order, OrderItem


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    fields = ["menu_item", "name", "unit_price", "quantity", "line_total"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "customer", "restaurant", "status", "total", "created_at"]
    list_filter = ["status", "restaurant"]
    search_fields = ["customer__username", "delivery_address"]
    list_select_related = ["customer", "restaurant"]
    readonly_fields = [
        "customer",
        "restaurant",
        "subtotal",
        "delivery_fee",
        "total",
        "idempotency_key",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderItemInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False
