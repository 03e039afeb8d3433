"""Sign-in backends: Django's and allauth's, reading the signed-in person with their organisation.

Every request reads the person from the session; almost every page then needs their organisation (access
rules, the two-factor requirement, the header). One query with a join instead of two.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import backends, get_user_model


def _get_user(backend: backends.ModelBackend, user_id: Any) -> Any:
    model = get_user_model()
    try:
        user = model._default_manager.select_related("organisation").get(pk=user_id)
    except model.DoesNotExist:
        return None
    return user if backend.user_can_authenticate(user) else None


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        return _get_user(self, user_id)


class AllauthBackend(AuthenticationBackend):
    def get_user(self, user_id: Any) -> Any:
        return _get_user(self, user_id)
