"""The site's routes, plus the bench-only views under /bench/ (``bench.settings``)."""

from django.urls import include, path

from bench import views
from delivery.urls import urlpatterns as site_urlpatterns

handler400 = "api.errors.bad_request"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"

bench_urlpatterns = [
    path("floor/", views.floor, name="bench-floor"),
    path("ten-rows/", views.ten_rows, name="bench-ten-rows"),
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

urlpatterns = [*site_urlpatterns, path("bench/", include(bench_urlpatterns))]
