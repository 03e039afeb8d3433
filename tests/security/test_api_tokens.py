"""API tokens are made only by their owner, shown once, stored hashed, and named in the audit trail.

Alice (a practitioner) makes her own token on the Security pages; Sam (the site administrator) may revoke
any token in /admin/ but can never make one for Alice and then read her clients as her.
"""

import hashlib
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from network.models import ApiToken
from tests.conftest import signed_in
from tests.factories import UserFactory


@pytest.fixture
def site_admin(db):
    return UserFactory(
        email="sam@example.org",
        full_name="Sam Site-Admin",
        organisation=None,
        is_superuser=True,
        is_staff=True,
    )


def _create(browser, name="My laptop script"):
    response = browser.post(reverse("api_tokens:list"), {"name": name})
    assert response.status_code == 200
    match = re.search(r'data-token="([0-9a-f]{64})"', response.content.decode())
    assert match, "the new token is shown on the page"
    return response, match.group(1)


def _api(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_admin_cannot_create_a_token_for_anyone(site_admin):
    admin = signed_in(site_admin)
    assert admin.get("/admin/network/apitoken/add/").status_code == 403
    # DRF's own token admin (which stored plain keys and let the admin pick the user) is gone.
    assert admin.get("/admin/authtoken/tokenproxy/add/").status_code == 404
    assert admin.get("/admin/authtoken/token/add/").status_code == 404


def test_the_owner_creates_sees_once_uses_and_revokes(alice, grace):
    browser = signed_in(alice)
    response, key = _create(browser)
    assert "only time" in response.content.decode()

    token = ApiToken.objects.get(user=alice)
    assert token.name == "My laptop script"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())  # stored hashed, never plain

    listing = browser.get(reverse("api_tokens:list")).content.decode()
    assert "My laptop script" in listing and key not in listing  # shown once only
    assert "Never used" in listing

    assert _api(key).get(f"/api/v1/clients/{grace.public_id}/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    revoked = browser.post(reverse("api_tokens:revoke", kwargs={"token_id": token.pk}))
    assert revoked.status_code == 302
    assert _api(key).get(f"/api/v1/clients/{grace.public_id}/").status_code == 401


def test_a_revoked_token_is_refused(alice, grace):
    _response, key = _create(signed_in(alice))
    ApiToken.objects.filter(user=alice).update(revoked_at="2020-01-01T00:00:00Z")
    assert _api(key).get("/api/v1/clients/").status_code == 401


def test_an_unknown_or_malformed_token_is_refused(alice):
    assert _api("0" * 64).get("/api/v1/clients/").status_code == 401
    assert _api("abc").get("/api/v1/clients/").status_code == 401


def test_the_audit_names_the_token(alice, grace):
    _response, key = _create(signed_in(alice), name="Case system sync")
    _api(key).get(f"/api/v1/clients/{grace.public_id}/")
    row = AuditEvent.objects.filter(action="client.view").latest("id")
    assert row.actor == alice
    assert row.api_token.name == "Case system sync"
    assert row.api_token.user == alice


def test_a_session_request_names_no_token(alice, grace):
    signed_in(alice).get(f"/api/v1/clients/{grace.public_id}/")
    assert AuditEvent.objects.filter(action="client.view").latest("id").api_token is None


def test_nobody_else_can_revoke_my_token(alice, bob):
    _create(signed_in(alice))
    token = ApiToken.objects.get(user=alice)
    response = signed_in(bob).post(reverse("api_tokens:revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_admin_can_revoke_a_token(alice, site_admin):
    _create(signed_in(alice))
    token = ApiToken.objects.get(user=alice)
    admin = signed_in(site_admin)
    assert admin.get(f"/admin/network/apitoken/{token.pk}/change/").status_code == 200
    response = admin.post(
        "/admin/network/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == site_admin
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=site_admin).exists()


def test_portal_users_have_no_tokens(db):
    gail = UserFactory(organisation=None, kind="client")
    assert signed_in(gail).get(reverse("api_tokens:list")).status_code == 403
