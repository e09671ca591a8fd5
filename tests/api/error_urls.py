"""The project's routes plus views that fail, to see how failures are answered."""

from django.db import OperationalError
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from delivery.urls import urlpatterns as project_urlpatterns


class BrokenAPIView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("the oven caught fire: secret=hunter2")


def broken_page(request):
    raise RuntimeError("the oven caught fire")


# What Django raises when the database cannot be reached.
DATABASE_DOWN = OperationalError(
    'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
)


class DatabaseDownAPIView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise DATABASE_DOWN


def database_down_page(request):
    raise DATABASE_DOWN


urlpatterns = [
    path("api/broken/", BrokenAPIView.as_view()),
    path("broken/", broken_page),
    path("api/database-down/", DatabaseDownAPIView.as_view()),
    path("database-down/", database_down_page),
    *project_urlpatterns,
]

handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
