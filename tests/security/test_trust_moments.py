"""Moments where a calm, plain answer keeps trust: a mistyped ID, the audit export link, a family member
whose access has ended."""

from django.test import Client as BrowserClient

from circles import public_id
from circles.models import PortalAccess
from tests.conftest import signed_in
from tests.factories import ConsentFactory, FamilyMemberFactory, UserFactory


def _mistype(text):
    """The ID with its last symbol changed: the check symbol no longer fits."""
    last = text[-1]
    return text[:-1] + ("0" if last != "0" else "1")


def test_a_mistyped_id_says_so(alice, grace):
    response = signed_in(alice).get("/clients/search/", {"q": _mistype(grace.public_id)})
    page = response.content.decode()
    assert "looks mistyped" in page
    assert "Nobody matches" not in page


def test_a_name_that_finds_nobody_still_says_nobody_matches(alice, grace):
    page = signed_in(alice).get("/clients/search/", {"q": "Zebedee"}).content.decode()
    assert "Nobody matches" in page and "mistyped" not in page


def test_mistyped_is_known_by_the_check_character(grace):
    assert public_id.is_mistyped(_mistype(grace.public_id))
    assert not public_id.is_mistyped(grace.public_id)
    assert not public_id.is_mistyped("Okafor")


def test_the_audit_export_is_linked_for_those_allowed(early_help, alice, grace):
    admin = UserFactory(organisation=early_help, org_role="admin")
    MemberFactory = __import__("tests.factories", fromlist=["MemberFactory"]).MemberFactory
    MemberFactory(client=grace, user=admin)
    url = f"/clients/{grace.public_id}/audit.csv"
    assert url in signed_in(admin).get(f"/clients/{grace.public_id}/").content.decode()
    assert url not in signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()


def test_a_family_member_whose_consent_was_withdrawn_gets_a_calm_page(alice, grace):
    ama = FamilyMemberFactory(client=grace, name="Ama Okafor")
    consent = ConsentFactory(client=grace, scope="family_portal", family_member=ama, recorded_by=alice)
    user = UserFactory(organisation=None, kind="family", full_name="Ama Okafor")
    PortalAccess.objects.create(user=user, client=grace, member=ama)
    browser = signed_in(user)
    assert browser.get("/portal/").status_code == 200

    from circles.services import consent_withdraw

    consent_withdraw(actor=alice, consent=consent)
    response = browser.get("/portal/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "You can no longer see Grace" in page
    assert "Alice Lead" in page
    assert "consent" not in page.lower() and "withdr" not in page.lower()
    assert "<link" in page  # the site's own styled page, not Django's bare "Not Found"


def test_the_calm_page_does_not_name_a_hidden_lead(alice, grace):
    from circles.models import CircleMember

    CircleMember.objects.filter(client=grace, user=alice).update(is_hidden=True)
    ama = FamilyMemberFactory(client=grace, name="Ama Okafor")
    user = UserFactory(organisation=None, kind="family", full_name="Ama Okafor")
    PortalAccess.objects.create(user=user, client=grace, member=ama)  # no consent at all
    page = signed_in(user).get("/portal/").content.decode()
    assert "Alice Lead" not in page
    assert "the people helping Grace" in page


def test_a_stranger_to_the_portal_is_not_told_anything(db):
    assert BrowserClient().get("/portal/").status_code == 302
