"""The record references itself: a goal says which assessment area it addresses (its card shows that area's
latest score and direction); a note can be about an assessment; an assessment lists what refers to it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import Instrument
from realtime.models import Event
from sharing import services as sharing_services
from sharing.selectors import goal_get_for
from tests.conftest import signed_in
from tests.factories import assessment_done

LONG_AGO = timezone.now() - datetime.timedelta(days=90)


def wellbeing(alice, grace, home, at):
    return assessment_done(
        author=alice, client=grace, code="wellbeing-domains", scores=[home, 2, 5, 5, 5, 5, 5, 5], at=at
    )


def test_a_goal_shows_the_latest_score_of_the_area_it_addresses(alice, grace):
    from circles.access import record_access

    wellbeing(alice, grace, 3, LONG_AGO)
    latest = wellbeing(alice, grace, 6, timezone.now())
    goal = sharing_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    browser = signed_in(alice)
    response = browser.post(
        f"/clients/{grace.public_id}/plan/goals/{goal.pk}/addresses/", {"addresses": "wellbeing-domains:home"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.addresses_instrument.code, goal.addresses_item) == ("wellbeing-domains", "home")
    assert Event.objects.filter(type="plan.goal_address").exists()
    score = goal_get_for(record_access(alice, grace), goal.pk).domain_score
    assert (score.label, score.latest, score.change.baseline, score.change.direction) == (
        "Home",
        6,
        3,
        "better",
    )
    plan = browser.get(f"/clients/{grace.public_id}/plan/").content.decode()
    assert "Home: 6" in plan and "better" in plan
    # The assessment lists the goal that addresses it.
    detail = browser.get(f"/clients/{grace.public_id}/assessments/{latest.pk}/").content.decode()
    assert "Goal: “Keep our flat”" in detail and "addresses Home" in detail


def test_an_area_must_be_the_instruments_own(alice, grace):
    goal = sharing_services.goal_add(actor=alice, client=grace, in_own_words="Feel better")
    with pytest.raises(ValidationError):
        sharing_services.goal_address_set(
            actor=alice, goal=goal, instrument=Instrument.objects.get(code="wellbeing-domains"), item="nope"
        )
    with pytest.raises(ValidationError):
        sharing_services.goal_address_set(
            actor=alice, goal=goal, instrument=Instrument.objects.get(code="phq-9"), item="9"
        )
    response = signed_in(alice).post(
        f"/clients/{grace.public_id}/plan/goals/{goal.pk}/addresses/", {"addresses": "made:up"}
    )
    assert response.status_code == 400


def test_a_note_about_an_assessment(alice, bob, carol, grace):
    done = assessment_done(author=alice, client=grace, code="phq-9", scores=[1] * 9)
    response = signed_in(bob).post(
        f"/clients/{grace.public_id}/notes/new/",
        {
            "kind": "update",
            "text": "Talked about the PHQ-9 result.",
            "visibility": "circle",
            "assessment": done.pk,
        },
    )
    assert response.status_code == 302
    detail = signed_in(alice).get(f"/clients/{grace.public_id}/assessments/{done.pk}/").content.decode()
    assert "Update note by" in detail and "Talked about the PHQ-9 result." in detail


def test_a_note_cannot_point_at_an_assessment_the_author_cannot_see(alice, carol, grace):
    hidden = assessment_done(
        author=alice, client=grace, code="phq-9", scores=[1] * 9, visibility="organisation"
    )
    with pytest.raises(ValidationError) as error:
        sharing_services.note_create(actor=carol, client=grace, text="About it", assessment=hidden)
    assert list(error.value.message_dict) == ["assessment"]


def test_the_notes_api_takes_the_assessment_too(alice, carol, grace):
    from tests.conftest import api_as

    done = assessment_done(author=alice, client=grace, code="phq-9", scores=[1] * 9)
    hidden = assessment_done(
        author=alice, client=grace, code="gad-7", scores=[1] * 7, visibility="organisation"
    )
    url = f"/api/v1/clients/{grace.public_id}/notes/"
    assert (
        api_as(alice).post(url, {"text": "About it", "assessment": done.pk}, format="json").status_code == 201
    )
    for bad in (hidden.pk, 999_999):
        response = api_as(carol).post(url, {"text": "About it", "assessment": bad}, format="json")
        assert response.status_code == 400 and "assessment" in response.data
