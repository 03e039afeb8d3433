"""The referral pack is need-to-know: the inbox sees the pack only, hidden members never, every read audited."""

from django.urls import reverse

from audit.models import AuditEvent
from referrals import services
from tests.access.conftest import note_texts_in
from tests.conftest import api_as, signed_in
from tests.factories import MemberFactory, NoteFactory, UserFactory


def test_the_inbox_sees_the_pack_and_nothing_more(referral, grace, hattie, alice):
    NoteFactory(client=grace, author=alice, text="ALICE-CIRCLE")
    page = signed_in(hattie).get(reverse("referrals:referral", args=[referral.pk]))
    assert page.status_code == 200
    assert not note_texts_in(page.content.decode())
    # The record itself stays closed to them.
    assert signed_in(hattie).get(reverse("circles:timeline", args=[grace.public_id])).status_code == 404
    assert api_as(hattie).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404


def test_hidden_members_never_appear_in_a_referral(grace, alice, housing, hattie, grace_consents_to_housing):
    adviser = UserFactory(full_name="Hidden Adviser")
    MemberFactory(client=grace, user=adviser, is_hidden=True, role="advocate")
    referral = services.referral_create(
        actor=alice, client=grace, to_organisation=housing, service="Tenancy", asked="Help", reason="Arrears"
    )
    for viewer in (hattie, alice):
        page = signed_in(viewer).get(reverse("referrals:referral", args=[referral.pk])).content.decode()
        assert "Alice Lead" in page and "Hidden Adviser" not in page
        body = str(api_as(viewer).get(f"/api/v1/referrals/{referral.pk}/").json())
        assert "Hidden Adviser" not in body


def test_every_read_of_a_pack_is_audited(referral, hattie, alice):
    signed_in(hattie).get(reverse("referrals:referral", args=[referral.pk]))
    api_as(alice).get(f"/api/v1/referrals/{referral.pk}/")
    reads = AuditEvent.objects.filter(action="referral.view", object_id=str(referral.pk))
    assert sorted(reads.values_list("actor__email", flat=True)) == ["alice@example.org", "hattie@example.org"]


def test_it_checks_who_works_the_inbox(referral, housing, charlie):
    colleague = UserFactory(organisation=housing)  # in the receiving organisation, not named by the manager
    for person in (colleague, charlie):
        assert signed_in(person).get(reverse("referrals:referral", args=[referral.pk])).status_code == 404
        assert api_as(person).get("/api/v1/referrals/?direction=received").json() == []


def test_a_manager_names_who_works_the_inbox(referral, housing, hattie):
    colleague = UserFactory(organisation=housing)
    signed_in(hattie).post(reverse("referrals:inbox_people"), {"person": colleague.pk, "works_inbox": "yes"})
    assert signed_in(colleague).get(reverse("referrals:referral", args=[referral.pk])).status_code == 200
    signed_in(hattie).post(reverse("referrals:inbox_people"), {"person": colleague.pk, "works_inbox": "no"})
    assert signed_in(colleague).get(reverse("referrals:referral", args=[referral.pk])).status_code == 404


def test_a_hidden_member_who_refers_is_never_named(grace, alice, housing, hattie, grace_consents_to_housing):
    adviser = UserFactory(full_name="Hidden Adviser", organisation=alice.organisation)
    MemberFactory(client=grace, user=adviser, is_hidden=True, role="advocate")
    referral = services.referral_create(
        actor=adviser,
        client=grace,
        to_organisation=housing,
        service="Refuge",
        asked="A place",
        reason="Safety",
    )
    page = signed_in(hattie).get(reverse("referrals:referral", args=[referral.pk])).content.decode()
    assert "Hidden Adviser" not in page and "A member of the circle" in page
    assert "Hidden Adviser" not in str(api_as(hattie).get(f"/api/v1/referrals/{referral.pk}/").json())
    listed = api_as(hattie).get("/api/v1/referrals/?direction=received").json()
    assert listed[0]["referrer"] == "A member of the circle"
    assert "Hidden Adviser" not in signed_in(hattie).get(reverse("referrals:list")).content.decode()
