"""Who may use the kitchen's side of the orders API."""

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import Role


class IsKitchenStaff(BasePermission):
    """The token's holder works in a kitchen (``role`` claim ``kitchen``)."""

    message = "Kitchen staff only."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role == Role.KITCHEN)
