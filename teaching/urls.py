"""Routes of the teaching layer's API (under /api/auth/, beside the front desk)."""

from django.urls import path

from teaching import views

app_name = "teaching"

urlpatterns = [
    path("inspect/", views.InspectView.as_view(), name="inspect"),
    path("query-count/", views.QueryCountView.as_view(), name="query-count"),
]
