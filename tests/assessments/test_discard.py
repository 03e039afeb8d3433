"""Discarding a draft: its author only, asked first, audited; a completed assessment is amended, never
discarded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Assessment, Instrument
from audit.models import AuditEvent
from realtime.models import Event
from tests.conftest import api_as, signed_in


def phq9():
    return Instrument.objects.get(code="phq-9")


def draft_of(author, client, scores=(1, 2)):
    draft = services.assessment_start(actor=author, client=client, instrument=phq9())
    return services.assessment_draft_save(
        actor=author, assessment=draft, answers={str(n): {"score": s} for n, s in enumerate(scores, 1)}
    )


def test_it_works(alice, grace):
    draft = draft_of(alice, grace)
    browser = signed_in(alice)
    assert f'id="draft-{draft.pk}"' in browser.get(f"/clients/{grace.public_id}/").content.decode()
    page = browser.get(f"/clients/{grace.public_id}/assessments/{draft.pk}/edit/").content.decode()
    assert "Discard this draft" in page

    ask = browser.get(f"/clients/{grace.public_id}/assessments/{draft.pk}/discard/")
    assert ask.status_code == 200 and "Yes, discard the draft" in ask.content.decode()
    assert Assessment.objects.filter(pk=draft.pk).exists()  # asking changes nothing

    response = browser.post(f"/clients/{grace.public_id}/assessments/{draft.pk}/discard/")
    assert response.status_code == 302 and response.url == f"/clients/{grace.public_id}/"
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    audit = AuditEvent.objects.get(action="assessment.discard")
    assert (audit.actor, audit.client, audit.object_id) == (alice, grace, str(draft.pk))
    assert audit.before == {"instrument": "phq-9", "version": 1, "answered": ["1", "2"]}
    assert not Event.objects.filter(type="assessment.discard").exists()  # a draft was never published
    client_page = browser.get(response.url).content.decode()
    assert "was discarded" in client_page and f'id="draft-{draft.pk}"' not in client_page


def test_it_checks_ownership(alice, bob, grace):
    """Bob is in the circle, but a draft is its author's only: he cannot see it, so he cannot discard it."""
    draft = draft_of(alice, grace)
    assert (
        signed_in(bob).get(f"/clients/{grace.public_id}/assessments/{draft.pk}/discard/").status_code == 404
    )
    assert (
        signed_in(bob).post(f"/clients/{grace.public_id}/assessments/{draft.pk}/discard/").status_code == 404
    )
    assert api_as(bob).delete(f"/api/v1/clients/{grace.public_id}/assessments/{draft.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.assessment_discard(actor=bob, assessment=draft)
    assert Assessment.objects.filter(pk=draft.pk, status="draft").exists()
    assert not AuditEvent.objects.filter(action="assessment.discard").exists()


def test_a_completed_assessment_cannot_be_discarded(alice, bob, grace):
    draft = draft_of(alice, grace)
    done = services.assessment_complete(
        actor=alice, assessment=draft, answers={str(n): {"score": 1} for n in range(1, 10)}
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_discard(actor=alice, assessment=done)
    assert "amend it instead" in error.value.message_dict["assessment"][0]
    api = api_as(alice).delete(f"/api/v1/clients/{grace.public_id}/assessments/{done.pk}/")
    assert api.status_code == 409 and "amend it instead" in str(api.json())
    # The page is for drafts only: there is no draft with that number.
    assert (
        signed_in(alice).post(f"/clients/{grace.public_id}/assessments/{done.pk}/discard/").status_code == 404
    )
    # Someone else's completed assessment: not theirs to discard either.
    assert api_as(bob).delete(f"/api/v1/clients/{grace.public_id}/assessments/{done.pk}/").status_code == 403
    done.refresh_from_db()
    assert done.status == "completed"
    assert not AuditEvent.objects.filter(action="assessment.discard").exists()


def test_the_api_discards_the_authors_draft(alice, grace):
    draft = draft_of(alice, grace)
    response = api_as(alice).delete(f"/api/v1/clients/{grace.public_id}/assessments/{draft.pk}/")
    assert response.status_code == 204
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="assessment.discard", object_id=str(draft.pk)).exists()
    again = api_as(alice).delete(f"/api/v1/clients/{grace.public_id}/assessments/{draft.pk}/")
    assert again.status_code == 404


def test_a_draft_discarded_in_another_tab_is_a_clear_answer_not_an_error(alice, grace):
    draft = draft_of(alice, grace)
    stale = Assessment.objects.get(pk=draft.pk)
    services.assessment_discard(actor=alice, assessment=draft)
    with pytest.raises(ValidationError) as error:
        services.assessment_draft_save(actor=alice, assessment=stale, answers={"3": {"score": 1}})
    assert "discarded" in error.value.message_dict["assessment"][0]
    with pytest.raises(ValidationError):
        services.assessment_discard(actor=alice, assessment=stale)


def test_a_draft_with_named_people_is_discarded_whole(alice, bob, grace):
    draft = services.assessment_start(
        actor=alice, client=grace, instrument=phq9(), visibility="named", named_people=[bob]
    )
    services.assessment_discard(actor=alice, assessment=draft)
    assert not Assessment.named_people.through.objects.filter(assessment_id=draft.pk).exists()
