"""Top-level routes: the site, the API under /api/, its documentation, the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.page_urls import browsable_api_urls
from accounts.pages import admin_login
from api.health import healthz
from api.root import APIRootView

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("restaurants/", include("menu.page_urls")),
    path("", include("orders.page_urls")),
    path("", include("accounts.page_urls")),
    path("", include(browsable_api_urls)),
    path("", include("teaching.page_urls")),
    path("api/", APIRootView.as_view(), name="api-root"),
    path("api/auth/", include("accounts.urls")),
    path("api/auth/", include("teaching.urls")),
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
    # Before the admin's own routes: its login, under the front desk's limits.
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

# The attack labs exist only while they are enabled (delivery.settings).
if settings.LABS_ENABLED:
    urlpatterns.append(path("lab/", include("lab.urls")))

handler400 = "api.errors.bad_request"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
