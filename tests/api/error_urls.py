"""The project's routes plus two views that fail, to see how failures are answered."""

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


urlpatterns = [
    path("api/broken/", BrokenAPIView.as_view()),
    path("broken/", broken_page),
    *project_urlpatterns,
]

handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
