"""The client rates themself in the portal when the team asks ("How am I doing?"). Only the client, only
their own record; their rating sits beside the team's, never merged."""

import pytest
from django.core.exceptions import PermissionDenied

from assessments import services
from assessments.models import Assessment, Instrument, SelfRatingRequest
from circles.models import PortalAccess
from network.models import User
from realtime.models import Event, Notification
from tests.conftest import signed_in
from tests.factories import ClientFactory, ConsentFactory, FamilyMemberFactory, MemberFactory, UserFactory


@pytest.fixture
def grace_user(grace):
    user = UserFactory(organisation=None, kind=User.Kind.CLIENT, full_name="Grace Okafor")
    PortalAccess.objects.create(user=user, client=grace)
    return user


def ons4():
    return Instrument.objects.get(code="ons4")


def test_it_works(alice, grace, grace_user):
    browser = signed_in(alice)
    assert (
        browser.post(f"/clients/{grace.public_id}/assessments/ask/", {"instrument": "ons4"}).status_code
        == 302
    )
    asked = SelfRatingRequest.objects.get()
    assert Event.objects.get(type="assessment.ask").audience == {"client_visible": True}

    portal = signed_in(grace_user)
    page = portal.get("/portal/how-am-i-doing/").content.decode()
    assert "Your team would like to know how things are going" in page
    form = portal.get(f"/portal/how-am-i-doing/{asked.pk}/")
    assert (
        form.status_code == 200
        and "Overall, how satisfied are you with your life nowadays?" in form.content.decode()
    )

    missing = portal.post(f"/portal/how-am-i-doing/{asked.pk}/", {"score-life-satisfaction": "6"})
    assert missing.status_code == 400 and "Please check" in missing.content.decode()

    answers = {
        "score-life-satisfaction": "6",
        "score-worthwhile": "7",
        "score-happiness": "5",
        "score-anxiety": "3",
    }
    assert portal.post(f"/portal/how-am-i-doing/{asked.pk}/", answers).status_code == 302
    rating = Assessment.objects.get()
    assert (rating.completed_by, rating.author, rating.visibility, rating.organisation) == (
        "client",
        grace_user,
        "client",
        alice.organisation,
    )
    asked.refresh_from_db()
    assert asked.done_at is not None and asked.assessment == rating
    assert "your answers" in portal.get("/portal/how-am-i-doing/").content.decode()
    team_page = browser.get(f"/clients/{grace.public_id}/").content.decode()
    assert "Grace's own rating" in team_page


@pytest.mark.parametrize("bad", ["\u00b2", "9" * 5000, "-1", "abc"])
def test_a_rating_that_is_no_number_is_refused_in_words(alice, grace, grace_user, bad):
    asked = services.self_rating_ask(actor=alice, client=grace, instrument=ons4())
    answers = {
        "score-life-satisfaction": bad,
        "score-worthwhile": "7",
        "score-happiness": "5",
        "score-anxiety": "3",
    }

    response = signed_in(grace_user).post(f"/portal/how-am-i-doing/{asked.pk}/", answers)

    assert response.status_code == 400 and "Please check" in response.content.decode()
    assert not Assessment.objects.exists()
    asked.refresh_from_db()
    assert asked.done_at is None


def test_a_wellbeing_narrative_is_optional_for_the_client(alice, grace, grace_user):
    asked = services.self_rating_ask(
        actor=alice, client=grace, instrument=Instrument.objects.get(code="wellbeing-domains")
    )
    answers = {
        f"score-{c}": "5"
        for c in [
            "home",
            "money",
            "health",
            "safety",
            "relationships",
            "daily-living",
            "learning-work",
            "feeling-good",
        ]
    }
    assert signed_in(grace_user).post(f"/portal/how-am-i-doing/{asked.pk}/", answers).status_code == 302


def test_only_the_client_rates_and_only_their_own(alice, grace, grace_user):
    asked = services.self_rating_ask(actor=alice, client=grace, instrument=ons4())
    # A family member with consent sees the portal, but does not rate for the client.
    relative = FamilyMemberFactory(client=grace, name="Ama Okafor")
    ConsentFactory(client=grace, scope="family_portal", family_member=relative, recorded_by=alice)
    ama = UserFactory(organisation=None, kind=User.Kind.FAMILY)
    PortalAccess.objects.create(user=ama, client=grace, member=relative)
    assert signed_in(ama).get(f"/portal/how-am-i-doing/{asked.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.self_rating_complete(user=ama, request=asked, answers={})
    # Another client cannot reach Grace's request, nor see her ratings.
    other = ClientFactory(given_name="Jade", family_name="Thompson")
    MemberFactory(client=other, user=alice, is_lead=True)
    jade = UserFactory(organisation=None, kind=User.Kind.CLIENT)
    PortalAccess.objects.create(user=jade, client=other)
    assert signed_in(jade).get(f"/portal/how-am-i-doing/{asked.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.self_rating_complete(user=jade, request=asked, answers={})
    services.self_rating_complete(
        user=grace_user,
        request=asked,
        answers={c: {"score": 4} for c in ["life-satisfaction", "worthwhile", "happiness", "anxiety"]},
    )
    assert "Nothing here yet" in signed_in(jade).get("/portal/how-am-i-doing/").content.decode()


def test_the_portal_shows_only_what_is_shared_with_the_client(alice, grace, grace_user):
    from tests.factories import assessment_done

    assessment_done(author=alice, client=grace, code="phq-9", scores=[2] * 9, visibility="circle")
    assessment_done(author=alice, client=grace, code="gad-7", scores=[1] * 7, visibility="client")
    page = signed_in(grace_user).get("/portal/how-am-i-doing/").content.decode()
    assert "GAD-7" in page and "PHQ-9" not in page


def test_phq9_question_9_from_the_client_tells_the_lead_and_reassures_the_client(
    alice, bob, grace, grace_user
):
    asked = services.self_rating_ask(actor=bob, client=grace, instrument=Instrument.objects.get(code="phq-9"))
    answers = {f"score-{n}": "0" for n in range(1, 9)} | {"score-9": "2"}
    response = signed_in(grace_user).post(f"/portal/how-am-i-doing/{asked.pk}/", answers, follow=True)
    assert "Samaritans" in response.content.decode()
    told = Notification.objects.filter(kind="assessment_flag").values_list("user", flat=True)
    assert sorted(told) == sorted([alice.pk, bob.pk])  # the lead, and the worker who asked
