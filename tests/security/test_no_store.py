"""Nothing shown to a signed-in person is kept in a browser's or a proxy's cache: record pages, notes from
the API, portal pages and the audit export all say `Cache-Control: no-store`."""

from django.test import Client as BrowserClient
from rest_framework.test import APIClient

from circles.models import PortalAccess
from tests.conftest import signed_in
from tests.factories import NoteFactory, UserFactory, api_key_for


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_record_pages(alice, grace):
    browser = signed_in(alice)
    assert no_store(browser.get(f"/clients/{grace.public_id}/"))
    assert no_store(browser.get(f"/clients/{grace.public_id}/plan/"))


def test_notes_from_the_api(alice, grace):
    NoteFactory(client=grace, author=alice)
    assert no_store(signed_in(alice).get(f"/api/v1/clients/{grace.public_id}/notes/"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(alice)}")
    response = api.get(f"/api/v1/clients/{grace.public_id}/notes/")
    assert response.status_code == 200 and no_store(response)


def test_portal_pages(grace):
    gail = UserFactory(organisation=None, kind="client")
    PortalAccess.objects.create(user=gail, client=grace)
    response = signed_in(gail).get("/portal/")
    assert response.status_code == 200 and no_store(response)


def test_the_audit_export(early_help, grace):
    admin = UserFactory(organisation=early_help, org_role="admin")
    response = signed_in(admin).get(f"/clients/{grace.public_id}/audit.csv")
    assert response.status_code == 200 and no_store(response)


def test_answers_to_nobody_in_particular_are_left_alone(db):
    assert not no_store(BrowserClient().get("/healthz"))
