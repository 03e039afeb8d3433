"""coedit.api: the ETag is the version; a change without If-Match is 428; a stale one is 412 with what the
item says now (and its ETag); a saved one is 200 with the new ETag."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from coedit import StaleEdit
from coedit.api import etag, if_match_version, versioned_response, versioned_update
from sharing.models import Goal
from tests.coedit.conftest import edit

pytestmark = pytest.mark.django_db


class GoalOut(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "version", "in_own_words"]


def patch(if_match: str | None = None) -> Request:
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return Request(APIRequestFactory().patch("/", {}, format="json", **headers))


def test_the_etag_is_the_version(goal):
    assert etag(goal) == f'"goal-{goal.pk}-v1"'
    response = versioned_response(goal, GoalOut)
    assert response["ETag"] == f'"goal-{goal.pk}-v1"'
    assert response.data["version"] == 1


@pytest.mark.parametrize(
    ("header", "version"),
    [
        (None, None),
        ("", None),
        ('"goal-{pk}-v3"', 3),
        ('W/"goal-{pk}-v3"', 3),
        ('"goal-999999-v3"', 0),  # another item's tag
        ('"action-{pk}-v3"', 0),  # another kind's tag
        ("v3", 0),
    ],
)
def test_if_match_names_the_version(goal, header, version):
    request = patch(header.format(pk=goal.pk) if header is not None else None)
    assert if_match_version(request, goal) == version


def update(goal, request, save, name_of=str):
    return versioned_update(
        request,
        goal,
        save=save,
        reread=lambda: Goal.objects.get(pk=goal.pk),
        output=GoalOut,
        name_of=name_of,  # str(user) is their full name
    )


def test_without_if_match_it_is_428_and_nothing_is_saved(goal):
    saved = []
    response = update(goal, patch(), saved.append)
    assert response.status_code == 428
    assert "If-Match" in response.data["detail"]
    assert saved == []


def test_a_saved_change_is_200_with_the_new_etag(alice, goal):
    def save(version):
        edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=version)

    response = update(goal, patch(etag(goal)), save)

    assert response.status_code == 200
    assert response["ETag"] == f'"goal-{goal.pk}-v2"'
    assert response.data == {"id": goal.pk, "version": 2, "in_own_words": "Keep our home"}


def test_a_stale_change_is_412_with_the_current_values(alice, bob, goal):
    stale_tag = etag(goal)
    edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=1)

    def save(version):
        edit(goal, bob, {"in_own_words": "Stay put"}, base_version=version)

    response = update(goal, patch(stale_tag), save)

    assert response.status_code == 412
    assert response["ETag"] == f'"goal-{goal.pk}-v2"'
    assert response.data["current"] == {"id": goal.pk, "version": 2, "in_own_words": "Keep our home"}
    assert response.data["conflicts"]["in_own_words"]["current"] == "Keep our home"
    assert response.data["conflicts"]["in_own_words"]["by"] == "Alice Lead"


def test_a_412_names_who_got_there_first_as_the_caller_says(alice, bob, goal):
    """The engine knows nobody: who may know whom (a hidden member, an outsider) is the app's rule."""
    stale_tag = etag(goal)
    edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=1)
    asked = []

    def name_of(person):
        asked.append(person)
        return "A member of the circle"

    def save(version):
        edit(goal, bob, {"in_own_words": "Stay put"}, base_version=version)

    response = update(goal, patch(stale_tag), save, name_of=name_of)

    assert response.status_code == 412
    assert asked == [alice]
    conflict = response.data["conflicts"]["in_own_words"]
    assert conflict["by"] == "A member of the circle" and conflict["current"] == "Keep our home"
    assert "Alice" not in str(response.data)


@pytest.mark.parametrize("tag", ['"goal-{pk}-v0"', '"goal-{pk}-v9"', '"nonsense"'])
def test_a_version_that_does_not_exist_is_412_from_the_write(alice, goal, tag):
    # The version is checked by the write (edit_apply), after the service's own checks: see the next test.
    response = update(
        goal,
        patch(tag.format(pk=goal.pk)),
        lambda version: edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=version),
    )
    assert response.status_code == 412
    assert response.data["conflicts"] == {}
    assert response["ETag"] == f'"goal-{goal.pk}-v1"'
    assert Goal.objects.get(pk=goal.pk).in_own_words == "Keep our flat"


@pytest.mark.parametrize("tag", ['"goal-{pk}-v0"', '"goal-{pk}-v9"', '"nonsense"'])
def test_who_may_not_change_it_is_refused_before_any_412(goal, tag):
    asked = []

    def save(version):
        asked.append(version)
        raise PermissionDenied("Only members of the circle can change the plan.")

    with pytest.raises(PermissionDenied):
        update(goal, patch(tag.format(pk=goal.pk)), save)
    assert len(asked) == 1


def test_a_refusal_from_the_save_is_412(goal):
    def save(version):
        raise StaleEdit(goal, {"in_own_words": {"current": "x", "by": "Someone", "at": "now"}})

    response = update(goal, patch(etag(goal)), save)
    assert response.status_code == 412
    assert list(response.data["conflicts"]) == ["in_own_words"]


def test_given_answer_the_200_is_built_from_what_the_save_returned(alice, goal):
    def save(version):
        edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=version)
        return Goal.objects.get(pk=goal.pk)  # as a service returns what it saved

    def reread():
        raise AssertionError("a 200 made with answer() reads nothing again")

    shown = []
    response = versioned_update(
        patch(etag(goal)),
        goal,
        save=save,
        reread=reread,
        output=GoalOut,
        answer=lambda saved: shown.append(saved) or saved,
        name_of=str,
    )

    assert response.status_code == 200
    assert [(item.pk, item.version) for item in shown] == [(goal.pk, 2)]
    assert response["ETag"] == f'"goal-{goal.pk}-v2"'
    assert response.data == {"id": goal.pk, "version": 2, "in_own_words": "Keep our home"}
