"""Top-level routes: the site, the API under /api/, its documentation, the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from delivery.health import healthz
from delivery.workshop import workshop


def coming_soon(title: str) -> TemplateView:
    return TemplateView.as_view(
        template_name="coming_soon.html", extra_context={"page_title": title}
    )


urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("restaurants/", include("menu.page_urls")),
    path("orders/", coming_soon("My orders"), name="my-orders-page"),
    path("kitchen/", coming_soon("Kitchen board"), name="kitchen-page"),
    path("jwt/", coming_soon("Token inspector"), name="jwt-page"),
    path("workshop/", workshop, name="workshop-page"),
    path("login/", coming_soon("Log in"), name="login-page"),
    path("api/auth/", include("accounts.urls")),
    path("api/", include("menu.urls")),
    path("api/", include("orders.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler404 = "delivery.errors.page_not_found"
handler500 = "delivery.errors.server_error"

if settings.DELIVERY_BENCH:
    # Baselines for `make bench`, never routed otherwise (bench/README.md).
    urlpatterns += [path("bench/", include("bench.urls"))]
