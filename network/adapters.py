from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from realtime.publish import end_sessions


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Professional accounts are created by their agency admin, not by signing up.
        return settings.ACCOUNT_ALLOW_REGISTRATION

    def logout(self, request: HttpRequest) -> None:
        """Signing out closes every live page of this person, on every device."""
        user_id = request.user.pk if request.user.is_authenticated else None
        super().logout(request)
        if user_id is not None:
            end_sessions(user_id=user_id)
