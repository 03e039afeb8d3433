from typing import Any

from rest_framework import permissions

from network.models import User
from network.two_factor import needs_two_factor_setup


class IsProfessional(permissions.BasePermission):
    """The API is for professionals; clients and family use the portal."""

    message = (
        "The API is for professionals, signed in as their organisation requires (two-factor if it says so)."
    )

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.kind == User.Kind.PROFESSIONAL):
            return False
        return not needs_two_factor_setup(user)
