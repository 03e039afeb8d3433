import datetime
from typing import Any

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from network.models import ApiToken
from network.tokens import key_hash, looks_like_key

# A token's "last used" is written at most this often, so a busy script costs a write a minute, not one a call.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with our own hashed tokens (network.models.ApiToken).

    A malformed key is refused before it reaches the database; the person is read with their organisation
    (which every request's access checks need) in the same query. `request.auth` is the ApiToken, which the
    audit trail names on every row the request writes.
    """

    def authenticate_credentials(self, key: str) -> Any:
        if not looks_like_key(key):
            raise AuthenticationFailed("Invalid token.")
        token = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(key_hash=key_hash(key), revoked_at=None)
            .first()
        )
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return (token.user, token)
