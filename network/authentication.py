from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class CheckedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a malformed key before it reaches the database."""

    def authenticate_credentials(self, key: str) -> Any:
        if len(key) != 40 or not all(c in "0123456789abcdef" for c in key):
            raise AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)
