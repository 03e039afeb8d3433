"""The API: the same services and selectors as the pages."""

import pytest

from assessments.models import Assessment
from tests.conftest import api_as
from tests.factories import assessment_done


def url(client, rest=""):
    return f"/api/v1/clients/{client.public_id}/assessments/{rest}"


def test_it_works(alice, grace):
    api = api_as(alice)
    started = api.post(url(grace), {"instrument": "gad-7"}, format="json")
    assert started.status_code == 201 and started.data["status"] == "draft"
    pk = started.data["id"]

    saved = api.patch(url(grace, f"{pk}/"), {"answers": {"1": {"score": 3}}}, format="json")
    assert saved.status_code == 200 and saved.data["answers"]["1"]["score"] == 3

    missing = api.post(url(grace, f"{pk}/complete/"), {}, format="json")
    assert missing.status_code == 400 and "7" in missing.data

    answers = {str(n): {"score": 2} for n in range(2, 8)}
    done = api.post(url(grace, f"{pk}/complete/"), {"answers": answers}, format="json")
    assert done.status_code == 200
    assert (done.data["status"], done.data["total"], done.data["band"]) == ("completed", 15, "Severe")

    again = api.post(url(grace, f"{pk}/complete/"), {}, format="json")
    assert again.status_code == 400

    amended = api.post(
        url(grace, f"{pk}/amend/"), {"answers": {"1": {"score": 2}}, "reason": "Misheard"}, format="json"
    )
    assert amended.status_code == 201 and amended.data["amends"] == pk and amended.data["total"] == 14
    assert Assessment.objects.get(pk=pk).status == "amended"

    listed = api.get(url(grace))
    assert [row["status"] for row in listed.data["results"]] == ["completed", "amended"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"instrument": "nope"}, "instrument"),
        ({"instrument": "gad-7", "visibility": "everyone"}, "visibility"),
        ({"instrument": "gad-7", "visibility": "named"}, "named_people"),
        ({"instrument": "gad-7", "completed_by": "client"}, "completed_by"),
    ],
)
def test_bad_input_names_the_field(alice, grace, data, field):
    response = api_as(alice).post(url(grace), data, format="json")
    assert response.status_code == 400 and field in response.data
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "answers", [{"1": {"score": 9}}, {"1": {"score": "x"}}, {"99": {"score": 1}}, {"1": 3}, []]
)
def test_bad_answers_are_a_400_never_a_500(alice, grace, answers):
    pk = api_as(alice).post(url(grace), {"instrument": "gad-7"}, format="json").data["id"]
    response = api_as(alice).patch(url(grace, f"{pk}/"), {"answers": answers}, format="json")
    assert response.status_code == 400


def test_the_series(alice, carol, grace):
    assessment_done(author=alice, client=grace, code="phq-9", scores=[3] * 6 + [0] * 3)
    assessment_done(author=alice, client=grace, code="phq-9", scores=[1] * 9)
    response = api_as(alice).get(f"/api/v1/clients/{grace.public_id}/series/phq-9/")
    assert response.status_code == 200
    assert response.data["lines"] == ["Total"] and response.data["range"] == [0, 27]
    assert [p["values"] for p in response.data["points"]] == [[18], [9]]
    assert response.data["changes"][0]["direction"] == "better"


def test_instruments(alice):
    listed = api_as(alice).get("/api/v1/instruments/")
    assert {row["code"] for row in listed.data} >= {"phq-9", "gad-7", "ons4", "wellbeing-domains"}
    one = api_as(alice).get("/api/v1/instruments/ons4/?version=1")
    assert one.data["definition"]["scoring"] == "each"
    assert api_as(alice).get("/api/v1/instruments/ons4/?version=9").status_code == 404
    for number in ("\u00b2", "9" * 5000, "-1", "x"):  # "²" is a digit to isdigit(), and no number to int()
        assert api_as(alice).get("/api/v1/instruments/ons4/", {"version": number}).status_code == 404
