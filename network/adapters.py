from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from network import hooks
from network.client_ip import request_client_ip
from network.models import User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Professional accounts are created by their agency admin, not by signing up.
        return settings.ACCOUNT_ALLOW_REGISTRATION

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Clients and families land on their portal; professionals on My clients."""
        if request.user.is_authenticated and request.user.kind != User.Kind.PROFESSIONAL:
            return reverse("portal:home")
        return super().get_login_redirect_url(request)

    def logout(self, request: HttpRequest) -> None:
        """Signing out closes every live page of this person, on every device."""
        user_id = request.user.pk if request.user.is_authenticated else None
        super().logout(request)
        if user_id is not None:
            hooks.end_sessions(user_id=user_id)

    def set_password(self, user, password: str) -> None:
        """A new password (changed, or reset by email) closes every live page of this person at once; the
        sessions they came from no longer sign anyone in (Django checks the password's hash in each)."""
        super().set_password(user, password)
        transaction.on_commit(lambda: hooks.end_sessions(user_id=user.pk))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every sign-in email speaks as the site (settings.SITE_NAME), not as the host it was sent from."""
        super().send_mail(template_prefix, email, {**context, "site_name": settings.SITE_NAME})

    def get_client_ip(self, request: HttpRequest) -> str:
        """Sign-in limits count per client address, read through our trusted proxies (network.client_ip)."""
        ip = request_client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
