"""The token inspector's API: any string offered as a token, explained."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.serializers import TokenSerializer
from accounts.throttling import ScopedThrottle
from accounts.views import ERROR_503, FrontDeskView
from teaching.inspection import inspect_token
from teaching.serializers import InspectionSerializer


class InspectView(FrontDeskView):
    """Take any string offered as a token apart, and run every check on it.

    The header, payload and signature are shown with each check's verdict; the
    server's keys never are. Public, and counted per client address.
    """

    throttle_classes = [ScopedThrottle]
    throttle_scope = "inspect"

    @extend_schema(
        request=TokenSerializer,
        responses={200: InspectionSerializer, 503: ERROR_503},
        summary="Explain a token: its parts and every check the waiter runs",
    )
    def post(self, request: Request) -> Response:
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(inspect_token(serializer.validated_data["token"]))
