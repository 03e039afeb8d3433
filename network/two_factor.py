"""Organisations may require two-factor sign-in; this says whether a person still has to set it up."""

from typing import Any


def needs_two_factor_setup(user: Any) -> bool:
    if not (user and user.is_authenticated and user.organisation_id and user.organisation.require_two_factor):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
