"""Who may see and change the plan: every current member of the circle, from any organisation, sees and
edits it; emergency access sees it and changes nothing; anyone else gets a 404, as if there were no
client; a member who leaves loses it at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEvent
from circles import services as circle_services
from circles.models import EmergencyAccess
from sharing import services
from sharing.models import Action, Goal, PlanAgreement, PlanChange
from tests.conftest import api_as, signed_in
from tests.plans.conftest import api_url, element_text, fresh, membership, plan_url

pytestmark = pytest.mark.django_db

REASON = "Grace is in A&E and cannot tell us her medication."


def etag(item) -> str:
    return f'"{type(item).__name__.lower()}-{item.pk}-v{item.version}"'


def page_writes(client, goal, action, alice):
    """Every page that changes the plan, with a body a member's browser would send."""
    base = plan_url(client)
    return [
        (base + "goals/new/", {"in_own_words": "Written by someone"}),
        (base + f"goals/{goal.pk}/edit/", {"base_version": "1", f"goal{goal.pk}-in_own_words": "Changed"}),
        (base + f"goals/{goal.pk}/actions/new/", {"what": "Added by someone"}),
        (base + f"actions/{action.pk}/edit/", {"base_version": "1", f"action{action.pk}-what": "Changed"}),
        (base + f"actions/{action.pk}/status/", {"status": "done"}),
        (base + f"goals/{goal.pk}/move/down/", {}),
        (base + f"actions/{action.pk}/remove/", {}),
        (base + f"goals/{goal.pk}/remove/", {}),
        (base + "agree/", {"participants": [str(membership(client, alice).pk)]}),
    ]


def api_writes(client, goal, action, alice):
    return [
        ("post", api_url(client, "goals/"), {"in_own_words": "Written by someone"}, None),
        ("patch", api_url(client, f"goals/{goal.pk}/"), {"in_own_words": "Changed"}, etag(goal)),
        ("post", api_url(client, f"goals/{goal.pk}/actions/"), {"what": "Added by someone"}, None),
        ("patch", api_url(client, f"actions/{action.pk}/"), {"status": "done"}, etag(action)),
        ("delete", api_url(client, f"actions/{action.pk}/"), None, None),
        ("delete", api_url(client, f"goals/{goal.pk}/"), None, None),
        (
            "post",
            api_url(client, "agreements/"),
            {"participant_member_ids": [membership(client, alice).pk]},
            None,
        ),
    ]


def page_reads(client, goal, action):
    base = plan_url(client)
    return [
        base,
        base + f"goals/{goal.pk}/",
        base + f"goals/{goal.pk}/history/",
        base + f"actions/{action.pk}/history/",
    ]


def api_reads(client, goal, action):
    return [
        api_url(client),
        api_url(client, f"goals/{goal.pk}/"),
        api_url(client, f"actions/{action.pk}/"),
        api_url(client, f"goals/{goal.pk}/history/"),
        api_url(client, "agreements/"),
    ]


def nothing_changed(goal, action) -> bool:
    goal, action = fresh(goal), fresh(action)
    return (
        Goal.objects.count() == 1
        and Action.objects.count() == 1
        and (goal.version, goal.removed_at, goal.position) == (1, None, 1)
        and (action.version, action.removed_at, action.status) == (1, None, "not_started")
        and not PlanAgreement.objects.exists()
        and PlanChange.objects.count() == 2
    )


# Members.


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_every_member_sees_and_edits_the_plan(who, request, goal, action, grace):
    user = request.getfixturevalue(who)
    browser, api = signed_in(user), api_as(user)
    for url in page_reads(grace, goal, action):
        assert browser.get(url).status_code == 200, url
    for url in api_reads(grace, goal, action):
        assert api.get(url).status_code == 200, url

    page = browser.get(plan_url(grace))
    assert "Change goal" in element_text(page.content, f"goal-{goal.pk}")
    assert browser.post(plan_url(grace) + "goals/new/", {"in_own_words": f"By {who}"}).status_code == 302
    assert (
        api.patch(
            api_url(grace, f"goals/{goal.pk}/"),
            {"success_looks_like": f"By {who}"},
            format="json",
            HTTP_IF_MATCH=etag(goal),
        ).status_code
        == 200
    )
    assert (
        browser.post(plan_url(grace) + f"actions/{action.pk}/status/", {"status": "done"}).status_code == 302
    )
    assert Goal.objects.filter(in_own_words=f"By {who}", created_by=user).exists()
    assert fresh(goal).success_looks_like == f"By {who}"
    assert fresh(action).status == "done"


def test_a_member_from_another_organisation_edits_too(alice, carol, goal, grace):
    """The plan is the circle's, not one agency's: Carol (Health) changes what Alice (Early Help) wrote."""
    services.goal_update(actor=carol, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    assert fresh(goal).in_own_words == "Keep our home"


# Outsiders.


def test_an_outsider_gets_404_on_every_page(charlie, alice, goal, action, grace):
    browser = signed_in(charlie)
    for url in page_reads(grace, goal, action):
        assert browser.get(url).status_code == 404, url
    assert browser.get(plan_url(grace) + "goals/new/").status_code == 404
    assert browser.get(plan_url(grace) + f"goals/{goal.pk}/edit/").status_code == 404
    for url, data in page_writes(grace, goal, action, alice):
        assert browser.post(url, data).status_code == 404, url
    assert nothing_changed(goal, action)


def test_an_outsider_gets_404_on_every_api_call(charlie, alice, goal, action, grace):
    api = api_as(charlie)
    for url in api_reads(grace, goal, action):
        assert api.get(url).status_code == 404, url
    for method, url, data, if_match in api_writes(grace, goal, action, alice):
        headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
        assert getattr(api, method)(url, data, format="json", **headers).status_code == 404, url
    assert nothing_changed(goal, action)


def test_an_outsider_cannot_use_the_services(charlie, goal, action, grace):
    for attempt in (
        lambda: services.goal_add(actor=charlie, client=grace, in_own_words="x"),
        lambda: services.goal_update(actor=charlie, goal=goal, changes={"in_own_words": "x"}, base_version=1),
        lambda: services.action_add(actor=charlie, goal=goal, what="x"),
        lambda: services.action_update(actor=charlie, action=action, changes={"what": "x"}, base_version=1),
        lambda: services.action_set_status(actor=charlie, action=action, status="done"),
        lambda: services.plan_move(actor=charlie, item=goal, direction="down"),
        lambda: services.action_remove(actor=charlie, action=action),
        lambda: services.goal_remove(actor=charlie, goal=goal),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert nothing_changed(goal, action)


def test_anonymous_people_are_sent_to_sign_in(client, goal, grace):
    response = client.get(plan_url(grace))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(api_url(grace)).status_code in (401, 403)
    assert client.get("/my-actions/").status_code == 302


# Emergency access: sees, changes nothing.


@pytest.fixture
def emergency(charlie, grace):
    return circle_services.emergency_access_start(actor=charlie, client=grace, reason=REASON)


def test_emergency_access_sees_the_plan(emergency, charlie, goal, action, grace):
    browser, api = signed_in(charlie), api_as(charlie)
    for url in page_reads(grace, goal, action):
        assert browser.get(url).status_code == 200, url
    for url in api_reads(grace, goal, action):
        assert api.get(url).status_code == 200, url
    page = browser.get(plan_url(grace))
    assert "Keep our flat" in element_text(page.content, f"goal-{goal.pk}")
    # No buttons to change anything.
    card = element_text(page.content, f"goal-{goal.pk}")
    assert "Change goal" not in card and "Move up" not in card and "Add an action" not in card
    assert "Drop" not in element_text(page.content, f"action-{action.pk}")


def test_emergency_access_changes_nothing_through_pages(emergency, charlie, alice, goal, action, grace):
    browser = signed_in(charlie)
    for url, data in page_writes(grace, goal, action, alice):
        assert browser.post(url, data).status_code == 403, url
    assert nothing_changed(goal, action)


def test_emergency_access_changes_nothing_through_the_api(emergency, charlie, alice, goal, action, grace):
    api = api_as(charlie)
    for method, url, data, if_match in api_writes(grace, goal, action, alice):
        headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
        assert getattr(api, method)(url, data, format="json", **headers).status_code == 403, url
    assert nothing_changed(goal, action)


def test_emergency_access_hears_403_not_412_whatever_version_it_names(
    emergency, charlie, goal, action, grace
):
    # 403 (may not change) comes before 412 (stale): a version that does not exist is no way round it.
    api = api_as(charlie)
    for url, body, kind, item in [
        (api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Changed"}, "goal", goal),
        (api_url(grace, f"actions/{action.pk}/"), {"status": "done"}, "action", action),
    ]:
        for tag in (f'"{kind}-{item.pk}-v0"', f'"{kind}-{item.pk}-v999"', '"nonsense"'):
            response = api.patch(url, body, format="json", HTTP_IF_MATCH=tag)
            assert response.status_code == 403, (url, tag)
    assert nothing_changed(goal, action)


def test_emergency_access_changes_nothing_through_the_services(
    emergency, charlie, alice, goal, action, grace
):
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=charlie, goal=goal, changes={"in_own_words": "x"}, base_version=1)
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=charlie, action=action, status="done")
    with pytest.raises(PermissionDenied):
        services.plan_agree(actor=charlie, client=grace, participants=[membership(grace, alice)])
    assert nothing_changed(goal, action)


def test_emergency_access_is_not_offered_the_add_goal_form(emergency, charlie, goal, grace):
    page = signed_in(charlie).get(plan_url(grace))
    assert element_text(page.content, "add-goal") is None
    assert 'id="goal-add-form"' not in page.content.decode()


def test_reading_the_plan_under_emergency_access_is_audited(emergency, charlie, goal, grace):
    signed_in(charlie).get(plan_url(grace))
    api_as(charlie).get(api_url(grace))
    reads = AuditEvent.objects.filter(actor=charlie, client=grace).exclude(action="emergency.start")
    assert reads.count() == 2
    assert all(reads.values_list("emergency", flat=True))


def test_emergency_access_ends_with_its_time(emergency, charlie, goal, grace):
    EmergencyAccess.objects.filter(pk=emergency.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert signed_in(charlie).get(plan_url(grace)).status_code == 404
    assert api_as(charlie).get(api_url(grace)).status_code == 404


# Leaving the circle.


def test_a_removed_member_loses_access_at_once(alice, bob, goal, action, grace):
    browser, api = signed_in(bob), api_as(bob)
    assert browser.get(plan_url(grace)).status_code == 200
    assert [a["id"] for a in api.get("/api/v1/my-actions/").json()] == [action.pk]

    circle_services.circle_member_remove(actor=alice, client=grace, member=membership(grace, bob))

    for url in page_reads(grace, goal, action):
        assert browser.get(url).status_code == 404, url
    for url in api_reads(grace, goal, action):
        assert api.get(url).status_code == 404, url
    assert (
        browser.post(plan_url(grace) + f"actions/{action.pk}/status/", {"status": "done"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "x"}, base_version=1)
    # His actions leave his list too (they stay on the plan, for someone else to pick up).
    assert api.get("/api/v1/my-actions/").json() == []
    assert f"my-action-{action.pk}" not in browser.get("/my-actions/").content.decode()
    assert fresh(action).status == "not_started"
