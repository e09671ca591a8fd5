"""The teaching API: any string offered as a token explained, and what knowing who
sent a request costs."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import JWTAuthentication
from accounts.middleware import CannotCheck, valid_access_user
from accounts.serializers import TokenSerializer
from accounts.throttling import ScopedThrottle
from accounts.views import ERROR_401, ERROR_503, FrontDeskView
from teaching.auth_queries import count_authentication_queries
from teaching.inspection import inspect_token
from teaching.serializers import InspectionSerializer, QueryCountSerializer


def card_holder_id(request: Request) -> int | None:
    """Who asks: the holder of the access card this request carries (its
    ``Authorization`` header, else the browser's cookie), judged as the waiter
    judges it. Nobody when there is none, or it is refused or cannot be checked:
    the inspector is public, and a bad card of one's own is no reason to refuse
    to explain another."""
    header = JWTAuthentication().get_header(request)
    if header is None:
        holder = request.token_user
        return holder.id if holder.is_authenticated else None
    try:
        holder = valid_access_user(JWTAuthentication().get_raw_token(header))
    except (AuthenticationFailed, CannotCheck):
        return None
    return holder.id if holder is not None else None


class InspectView(FrontDeskView):
    """Take any string offered as a token apart, and run every check on it.

    The header, payload and signature are shown with each check's verdict; the
    server's keys never are. The card's login is drawn for its owner, or when the
    card is valid (``teaching.families``). Public, and counted per client address.
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
        return Response(
            inspect_token(
                serializer.validated_data["token"],
                viewer_id=card_holder_id(request),
            )
        )


class QueryCountView(APIView):
    """Lesson 9 for anyone with curl: the queries behind this very request."""

    throttle_classes = [ScopedThrottle]
    throttle_scope = "inspect"

    @extend_schema(
        responses={200: QueryCountSerializer, 401: ERROR_401},
        summary="Database queries to authenticate this request: JWT versus session",
    )
    def get(self, request: Request) -> Response:
        authenticator = type(request.successful_authenticator)()
        count = count_authentication_queries(request, authenticator)
        return Response(QueryCountSerializer(count).data)
