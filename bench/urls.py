"""Routes of the bench-only views, mounted under /bench/ when DELIVERY_BENCH=1."""

from django.urls import path

from bench import views

urlpatterns = [
    path("floor/", views.floor, name="bench-floor"),
    path("ten-rows/", views.ten_rows, name="bench-ten-rows"),
    path(
        "orders/no-auth/",
        views.OrdersWithoutAuthentication.as_view({"get": "list"}),
        name="bench-orders-no-auth",
    ),
    path(
        "orders/session/",
        views.OrdersBySession.as_view({"get": "list"}),
        name="bench-orders-session",
    ),
    path(
        "orders/stateful-jwt/",
        views.OrdersByStatefulJWT.as_view({"get": "list"}),
        name="bench-orders-stateful-jwt",
    ),
]
