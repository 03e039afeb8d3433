"""Completing an assessment from the client page: start, the draft that saves itself, complete, the result."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Assessment, Instrument
from audit.models import AuditEvent
from realtime.models import Event, Notification
from tests.conftest import signed_in


def phq9():
    return Instrument.objects.get(code="phq-9")


def base(client) -> str:
    return f"/clients/{client.public_id}/assessments/"


def scores(values):
    return {f"score-{n}": str(v) for n, v in enumerate(values, start=1)}


def test_it_works(alice, grace):
    browser = signed_in(alice)
    assert "Start an assessment" in browser.get(f"/clients/{grace.public_id}/").content.decode()

    response = browser.post(
        base(grace) + "new/", {"instrument": "phq-9", "completed_by": "practitioner", "visibility": "circle"}
    )
    draft = Assessment.objects.get()
    assert response.status_code == 302 and response.url == base(grace) + f"{draft.pk}/edit/"
    assert draft.status == "draft" and draft.version.number == 1

    saved = browser.post(base(grace) + f"{draft.pk}/draft/", scores([1, 2]), HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Saved" in saved.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {"1": {"score": 1, "narrative": ""}, "2": {"score": 2, "narrative": ""}}

    response = browser.post(base(grace) + f"{draft.pk}/edit/", scores([1, 2, 1, 2, 0, 1, 1, 0, 0]))
    assert response.status_code == 302 and response.url == base(grace) + f"{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.status, draft.total, draft.band, draft.flagged) == ("completed", 8, "Mild", False)

    page = browser.get(response.url).content.decode()
    assert "Mild" in page and "Score 8" in page and "Act now" not in page
    event = Event.objects.get(type="assessment.complete")
    assert json.loads(json.dumps(event.payload)) == {"assessment_id": draft.pk, "instrument": "phq-9"}
    assert event.audience == {
        "organisation": alice.organisation_id,
        "visibility": "circle",
        "author": alice.pk,
        "client_visible": False,
    }
    actions = list(AuditEvent.objects.filter(client=grace).values_list("action", flat=True).order_by("id"))
    assert actions[-4:] == [
        "assessment.create",
        "assessment.update_draft",
        "assessment.complete",
        "assessment.view",
    ]
    assert "8" in browser.get(f"/clients/{grace.public_id}/").content.decode()


def test_it_checks_membership(alice, charlie, grace):
    assert signed_in(charlie).get(base(grace) + "new/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=charlie, client=grace, instrument=phq9())


def test_a_draft_is_its_authors_only(alice, bob, grace):
    draft = services.assessment_start(actor=alice, client=grace, instrument=phq9())
    assert signed_in(bob).get(base(grace) + f"{draft.pk}/edit/").status_code == 404
    assert signed_in(bob).get(base(grace) + f"{draft.pk}/").status_code == 404
    assert signed_in(bob).post(base(grace) + f"{draft.pk}/draft/", scores([1])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.assessment_draft_save(actor=bob, assessment=draft, answers={"1": {"score": 1}})
    assert "Your PHQ-9" in signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()
    assert "Your PHQ-9" not in signed_in(bob).get(f"/clients/{grace.public_id}/").content.decode()
    assert not Event.objects.filter(type__startswith="assessment.").exists()  # drafts are never announced


def test_completing_with_questions_missing_says_which_and_changes_nothing(alice, grace):
    draft = services.assessment_start(actor=alice, client=grace, instrument=phq9())
    response = signed_in(alice).post(base(grace) + f"{draft.pk}/edit/", scores([1, 2, 1]))
    assert response.status_code == 400
    assert "Question 4: Choose a score for this question before completing." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


# "²" is a digit to str.isdigit() but no number to int(); int() refuses 5,000 digits; 10**30 is far out of range.
@pytest.mark.parametrize(
    "bad", ["4", "-1", "x", "1.5", "\u00b2", "-\u00b2", "9" * 5000, "1" + "0" * 30, "1\x00"]
)
def test_a_score_out_of_range_is_refused(alice, grace, bad):
    draft = services.assessment_start(actor=alice, client=grace, instrument=phq9())
    response = signed_in(alice).post(
        base(grace) + f"{draft.pk}/draft/", {"score-1": bad}, HTTP_HX_REQUEST="true"
    )
    assert "Not saved: Choose a score from 0 to 3." in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {}


@pytest.mark.parametrize("bad", ["\u00b2", "9" * 5000])
def test_completing_with_a_score_that_is_no_number_says_so(alice, grace, bad):
    draft = services.assessment_start(actor=alice, client=grace, instrument=phq9())

    response = signed_in(alice).post(base(grace) + f"{draft.pk}/edit/", scores([1] * 8) | {"score-9": bad})

    assert response.status_code == 400
    assert "Choose a score from 0 to 3." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_required_narrative(alice, grace):
    wd = Instrument.objects.get(code="wellbeing-domains")
    draft = services.assessment_start(actor=alice, client=grace, instrument=wd)
    answers = {item["code"]: {"score": 5, "narrative": "Because."} for item in draft.definition["items"]}
    answers["home"]["narrative"] = "  "
    with pytest.raises(ValidationError) as error:
        services.assessment_complete(actor=alice, assessment=draft, answers=answers)
    assert list(error.value.message_dict) == ["home"]


def test_phq9_item_9_is_flagged_at_once_to_the_worker_and_the_lead(alice, bob, grace):
    draft = services.assessment_start(actor=bob, client=grace, instrument=phq9())
    services.assessment_complete(
        actor=bob, assessment=draft, answers={str(n): {"score": 1 if n == 9 else 0} for n in range(1, 10)}
    )
    told = Notification.objects.filter(kind="assessment_flag")
    assert sorted(n.user.full_name for n in told) == sorted([alice.full_name, bob.full_name])
    assert all(n.url.endswith(f"/assessments/{draft.pk}/") for n in told)
    page = signed_in(bob).get(base(grace) + f"{draft.pk}/").content.decode()
    assert "Act now" in page and "Question 9 was answered 1" in page and "safety" in page
    assert AuditEvent.objects.filter(action="assessment.flag", object_id=str(draft.pk)).exists()
    assert "safety" in signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()


def test_my_organisation_only_is_the_notes_rule(alice, bob, carol, grace):
    draft = services.assessment_start(actor=alice, client=grace, instrument=phq9(), visibility="organisation")
    done = services.assessment_complete(
        actor=alice, assessment=draft, answers={str(n): {"score": 1} for n in range(1, 10)}
    )
    assert signed_in(bob).get(base(grace) + f"{done.pk}/").status_code == 200
    assert signed_in(carol).get(base(grace) + f"{done.pk}/").status_code == 404
    assert Event.objects.get(type="assessment.complete").audience["visibility"] == "organisation"


def test_amending_keeps_the_original(alice, grace):
    draft = services.assessment_start(actor=alice, client=grace, instrument=phq9())
    original = services.assessment_complete(
        actor=alice, assessment=draft, answers={str(n): {"score": 1} for n in range(1, 10)}
    )
    browser = signed_in(alice)
    refused = browser.post(base(grace) + f"{original.pk}/amend/", {"reason": "", **scores([2] + [1] * 8)})
    assert refused.status_code == 400 and "Say why you are amending" in refused.content.decode()

    response = browser.post(
        base(grace) + f"{original.pk}/amend/", {"reason": "Wrong answer to 1", **scores([2] + [1] * 8)}
    )
    amendment = Assessment.objects.get(amends=original)
    assert response.status_code == 302
    original.refresh_from_db()
    assert (original.status, original.total) == ("amended", 9)
    assert (amendment.status, amendment.total, amendment.completed_at) == (
        "completed",
        10,
        original.completed_at,
    )
    assert "Wrong answer to 1" in browser.get(base(grace) + f"{amendment.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="assessment.amend").count() == 1


def test_only_the_author_or_lead_amends(alice, bob, grace):
    draft = services.assessment_start(actor=alice, client=grace, instrument=phq9())
    done = services.assessment_complete(
        actor=alice, assessment=draft, answers={str(n): {"score": 1} for n in range(1, 10)}
    )
    with pytest.raises(PermissionDenied):
        services.assessment_amend(actor=bob, assessment=done, answers={"1": {"score": 2}}, reason="No")
    assert signed_in(bob).get(base(grace) + f"{done.pk}/amend/").status_code == 403
