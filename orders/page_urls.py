"""Routes of the order pages."""

from django.urls import path

from orders import pages

urlpatterns = [
    path("cart/", pages.cart, name="cart-page"),
    path("orders/", pages.my_orders, name="my-orders-page"),
    path("kitchen/", pages.kitchen, name="kitchen-page"),
]
