from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class CheckedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a malformed key before it reaches the database, and reading the
    person with their organisation (which every request's access checks need) in the same query."""

    def authenticate_credentials(self, key: str) -> Any:
        if len(key) != 40 or not all(c in "0123456789abcdef" for c in key):
            raise AuthenticationFailed("Invalid token.")
        model = self.get_model()
        try:
            token = model.objects.select_related("user", "user__organisation").get(key=key)
        except model.DoesNotExist:
            raise AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)
