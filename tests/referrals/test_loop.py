"""A referral's whole loop across two organisations, live: every step reaches the referrer as it happens."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from audit.models import AuditEvent
from circles.models import CircleMember
from realtime.models import Event, Notification
from referrals import services
from referrals.models import Referral, ReferralStep
from tests.access.conftest import client_socket, personal_socket, receive_until
from tests.conftest import api_as, signed_in


def test_the_whole_loop_by_pages(
    alice, grace, housing, hattie, ian, grace_consents_to_housing, django_capture_on_commit_callbacks
):
    as_alice, as_hattie = signed_in(alice), signed_in(hattie)
    form = as_alice.get(reverse("referrals:new", args=[grace.public_id]))
    assert form.status_code == 200
    assert "Riverside Housing" in form.content.decode()  # the consent shown
    response = as_alice.post(
        reverse("referrals:new", args=[grace.public_id]),
        {
            "to_organisation": housing.pk,
            "service": "Tenancy support",
            "asked": "Help Grace keep her flat.",
            "reason": "Rent arrears since March.",
            "urgency": "soon",
            "shares": ["circle", "now"],
            "now_summary": "Two children at home.",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("referrals:referral", args=[referral.pk])
    assert Notification.objects.filter(user=hattie, kind="referral").count() == 1

    inbox = as_hattie.get(reverse("referrals:list")).content.decode()
    assert "Grace" in inbox and "Tenancy support" in inbox
    pack = as_hattie.get(reverse("referrals:referral", args=[referral.pk])).content.decode()
    assert "Rent arrears since March." in pack and "Two children at home." in pack

    step = lambda who, name, data: who.post(reverse("referrals:step", args=[referral.pk, name]), data)  # noqa: E731
    assert step(as_hattie, "accept", {"worker": ian.pk}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.worker == ian
    assert CircleMember.objects.filter(client=grace, user=ian, until=None).exists()  # the worker joins
    step(signed_in(ian), "first-contact", {"on": ""})
    step(signed_in(ian), "outcome", {"outcome": "got_help", "note": "Arrears plan agreed."})
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.outcome == "got_help"
    assert [s.kind for s in referral.steps.all()] == ["sent", "accepted", "first_contact", "outcome"]
    # The referrer (and the lead: Alice is both) heard of each answer.
    assert Notification.objects.filter(user=alice, kind="referral").count() == 3
    client_page = as_alice.get(reverse("circles:client", args=[grace.public_id])).content.decode()
    assert 'id="referrals-panel"' in client_page


def test_declined_with_a_suggestion_keeps_the_history(referral, hattie, alice):
    services.referral_decline(
        actor=hattie,
        referral=referral,
        reason="We only cover the east of the city.",
        suggestion="Eastside Homes",
    )
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.suggestion == "Eastside Homes"
    assert [s.kind for s in referral.steps.all()] == ["sent", "declined"]
    page = signed_in(alice).get(reverse("referrals:referral", args=[referral.pk])).content.decode()
    assert "Eastside Homes" in page
    assert "declined the referral" in Notification.objects.filter(user=alice).first().text


def test_more_information_then_withdrawn(referral, hattie, alice):
    services.referral_info_request(actor=hattie, referral=referral, question="Is there a tenancy agreement?")
    services.referral_info_give(actor=alice, referral=referral, answer="Yes, with the council.")
    referral.refresh_from_db()
    assert referral.status == "sent"
    services.referral_withdraw(actor=alice, referral=referral, reason="Grace moved.")
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert [s.kind for s in referral.steps.all()] == ["sent", "more_info", "info_given", "withdrawn"]
    assert ReferralStep.objects.filter(referral=referral).count() == 4  # history kept


def test_the_api_loop_answers_with_the_state(referral, hattie, ian, alice):
    api = api_as(hattie)
    received = api.get("/api/v1/referrals/?direction=received").json()
    assert [r["id"] for r in received] == [referral.pk]
    detail = api.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert detail["pack"]["now"] == "Grace lives with her two children."
    accepted = api.post(f"/api/v1/referrals/{referral.pk}/accept/", {"worker": ian.pk}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    sent = api_as(alice).get("/api/v1/referrals/?direction=sent").json()
    assert sent[0]["status"] == "accepted" and sent[0]["worker"] == "Ian Housing"


@pytest.mark.django_db(transaction=True)
async def test_the_referrer_sees_every_step_live(referral, alice, hattie, ian, grace):
    bell = await personal_socket(alice)
    page = await client_socket(alice, grace)
    try:
        await sync_to_async(services.referral_accept)(actor=hattie, referral=referral, worker=ian)
        seen = []
        while "referral.accept" not in seen:
            message = await receive_until(page, "event")
            seen.append(message["event"])
        notification = await receive_until(bell, "notification")
        assert "accepted the referral" in notification["notification"]["text"]

        await sync_to_async(services.referral_first_contact)(actor=ian, referral=referral)
        event = await receive_until(page, "event")
        while event["event"] != "referral.first_contact":
            event = await receive_until(page, "event")
        assert json.loads(json.dumps(event["payload"])) == {"referral_id": referral.pk, "status": "contacted"}
        assert "first contact" in (await receive_until(bell, "notification"))["notification"]["text"]
    finally:
        await bell.disconnect()
        await page.disconnect()
    types = await sync_to_async(
        lambda: list(Event.objects.filter(client=grace).values_list("type", flat=True))
    )()
    assert "referral.create" in types and "referral.accept" in types
    assert await sync_to_async(AuditEvent.objects.filter(action="referral.accept").count)() == 1


def test_the_lead_records_consent_in_the_referral_flow(grace, alice, housing, hattie):
    response = signed_in(alice).post(
        reverse("referrals:new", args=[grace.public_id]),
        {
            "to_organisation": housing.pk,
            "service": "Tenancy support",
            "asked": "Help.",
            "reason": "Arrears.",
            "urgency": "routine",
            "shares": ["circle"],
            "consent_method": "verbal",
            "consent_given_by": "Grace Okafor",
            "consent_given_on": "",
        },
    )
    assert response.status_code == 302
    consent = grace.consents.get(scope="organisation", organisation=housing)
    assert consent.recorded_by == alice and consent.method == "verbal" and consent.given_by == "Grace Okafor"
    assert Referral.objects.get().consent == consent


def test_a_member_who_is_not_the_lead_cannot_record_it(grace, bob, housing):
    page = signed_in(bob).post(
        reverse("referrals:new", args=[grace.public_id]),
        {
            "to_organisation": housing.pk,
            "service": "T",
            "asked": "A",
            "reason": "R",
            "urgency": "routine",
            "consent_method": "verbal",
            "consent_given_by": "Grace",
        },
    )
    assert (
        page.status_code == 400  # the form again, with what to do, and nothing written
        and "has not agreed to share information with Riverside Housing" in page.content.decode()
    )
    assert not grace.consents.filter(scope="organisation").exists() and not Referral.objects.exists()
