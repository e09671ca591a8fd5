"""Top-level routes: the site, the API under /api/, its documentation, the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.page_urls import browsable_api_urls
from delivery.health import healthz
from delivery.workshop import workshop

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("restaurants/", include("menu.page_urls")),
    path("", include("orders.page_urls")),
    path("", include("accounts.page_urls")),
    path("", include(browsable_api_urls)),
    path("workshop/", workshop, name="workshop-page"),
    path("api/auth/", include("accounts.urls")),
    path("api/", include("menu.urls")),
    path("api/", include("orders.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's settings as a script file, not inline,
    # so the page keeps to the Content-Security-Policy. It renders only its
    # template: DRF's OPTIONS answer has none, so that method is not allowed.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", http_method_names=["get", "head"]
        ),
        name="docs",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler400 = "delivery.errors.bad_request"
handler404 = "delivery.errors.page_not_found"
handler500 = "delivery.errors.server_error"

if settings.DELIVERY_BENCH:
    # Baselines for `make bench`, never routed otherwise (bench/README.md).
    urlpatterns += [path("bench/", include("bench.urls"))]
