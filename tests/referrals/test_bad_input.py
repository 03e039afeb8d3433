"""Bad input: each gets a clear message and nothing changes (no row, no audit row, no event)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from circles.models import CircleMember
from realtime.models import Event
from referrals import handovers, services
from referrals.models import Handover, Referral
from tests.conftest import api_as, signed_in
from tests.factories import MemberFactory


def _state():
    return (
        Referral.objects.count(),
        AuditEvent.objects.exclude(action="referral.view").count(),
        Event.objects.count(),
    )


def test_a_referral_without_consent_is_refused(grace, alice, housing, hattie):
    before = _state()
    with pytest.raises(ValidationError) as refused:
        services.referral_create(
            actor=alice,
            client=grace,
            to_organisation=housing,
            service="Tenancy",
            asked="Help",
            reason="Arrears",
        )
    assert "has not agreed to share information with Riverside Housing" in str(
        refused.value.message_dict["consent"]
    )
    assert _state() == before


def test_the_circle_consent_does_not_reach_a_new_organisation(grace, alice, housing):
    """Grace agreed to share with the circle: Riverside Housing is not in it, so that is not enough."""
    response = api_as(alice).post(
        "/api/v1/referrals/",
        {
            "client": grace.public_id,
            "to_organisation": housing.pk,
            "service": "T",
            "asked": "A",
            "reason": "R",
        },
        format="json",
    )
    assert response.status_code == 400 and "consent" in response.json()


def test_a_referral_to_ones_own_organisation_is_refused(grace, alice, early_help):
    before = _state()
    response = api_as(alice).post(
        "/api/v1/referrals/",
        {
            "client": grace.public_id,
            "to_organisation": early_help.pk,
            "service": "T",
            "asked": "A",
            "reason": "R",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "outside your own" in response.json()["to_organisation"][0]
    assert _state() == before


def test_accepted_twice_the_second_is_refused_with_the_current_state(referral, hattie, ian):
    api = api_as(hattie)
    assert (
        api.post(f"/api/v1/referrals/{referral.pk}/accept/", {"worker": ian.pk}, format="json").status_code
        == 200
    )
    before = _state()
    again = api.post(f"/api/v1/referrals/{referral.pk}/accept/", {"worker": hattie.pk}, format="json")
    assert again.status_code == 409
    body = again.json()
    assert body["status"] == "accepted" and body["worker"] == "Ian Housing"
    assert body["detail"].startswith("This referral was already accepted by Hattie Manager on ")
    assert _state() == before
    page = signed_in(hattie).post(
        reverse("referrals:step", args=[referral.pk, "accept"]), {"worker": hattie.pk}
    )
    assert page.status_code == 302
    referral.refresh_from_db()
    assert referral.worker == ian


def test_an_outcome_before_first_contact_is_refused(referral, hattie, ian):
    services.referral_accept(actor=hattie, referral=referral, worker=ian)
    before = _state()
    response = api_as(ian).post(
        f"/api/v1/referrals/{referral.pk}/outcome/", {"outcome": "got_help"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "Record first contact before the outcome."
    assert response.json()["status"] == "accepted"
    assert _state() == before


def test_a_handover_to_someone_outside_the_circle_is_refused(grace, alice, charlie):
    outsider = MemberFactory(client=grace, user=charlie)
    outsider.until = outsider.since
    outsider.save()  # was in the circle once, not now
    before = (Handover.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        handovers.handover_offer(actor=alice, client=grace, to_member=outsider, summary="All yours.")
    assert "in the circle now" in str(refused.value)
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/handovers/",
        {"to_member": 999999, "summary": "All yours."},
        format="json",
    )
    assert response.status_code == 400 and "in the circle now" in response.json()["to_member"][0]
    assert (Handover.objects.count(), AuditEvent.objects.count()) == before
    assert CircleMember.objects.get(client=grace, is_lead=True, until=None).user == alice


def test_only_the_inbox_answers(referral, alice, carol):
    for person in (alice, carol):  # the referrer and another member: they may see it, not answer it
        response = api_as(person).post(
            f"/api/v1/referrals/{referral.pk}/decline/", {"reason": "x"}, format="json"
        )
        assert response.status_code == 403


# Numbers typed in other scripts. "²" is a digit to str.isdigit() but not a number to int(); "١٢" (Arabic-Indic
# twelve) is both; 5,000 nines are too long for int(). Each is a choice that does not exist: a message, no 500.
ODD_NUMBERS = ["\u00b2", "\u0661\u0662", "9" * 5000, "1" + "0" * 30, "-1", "1\x00"]


@pytest.mark.parametrize("worker", ODD_NUMBERS)
def test_accepting_with_a_worker_that_is_no_number(referral, hattie, worker):
    before = _state()

    response = signed_in(hattie).post(
        reverse("referrals:step", args=[referral.pk, "accept"]), {"worker": worker}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    assert _state() == before


@pytest.mark.parametrize("person", ODD_NUMBERS)
def test_naming_an_inbox_worker_that_is_no_number(hattie, person):
    response = signed_in(hattie).post(
        reverse("referrals:inbox_people"), {"person": person, "works_inbox": "yes"}
    )

    assert response.status_code == 400
    assert b"Choose a person." in response.content


@pytest.mark.parametrize("organisation", ODD_NUMBERS)
def test_a_referral_to_an_organisation_that_is_no_number(grace, alice, organisation):
    before = _state()

    response = signed_in(alice).post(
        reverse("referrals:new", args=[grace.public_id]),
        {"to_organisation": organisation, "service": "T", "asked": "A", "reason": "R", "urgency": "routine"},
    )

    assert response.status_code == 400
    assert b'id="id_to_organisation-error"' in response.content
    assert _state() == before
