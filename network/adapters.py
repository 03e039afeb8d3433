from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Professional accounts are created by their agency (admin), not by signing up.
        return settings.ACCOUNT_ALLOW_REGISTRATION
