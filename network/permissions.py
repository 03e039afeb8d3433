from typing import Any

from rest_framework import permissions


class IsProfessional(permissions.BasePermission):
    """The API is for professionals; clients and family use the portal."""

    message = "The API is for professionals."

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.kind == "professional")
