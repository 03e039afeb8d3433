"""Bad packs get a clear message and change nothing: a newer version, broken JSON, wrong shapes, invalid
instrument definitions, another agency's items, and anyone but an agency admin."""

import copy
import io
import json

import pytest

from packs import selectors, services
from tests.conftest import api_as, signed_in
from tests.packs.conftest import MEETING_TYPE, admin_of, sample_pack, the_state

pytestmark = pytest.mark.django_db
IMPORT = "/organisation/packs/import/"


def refused(browser, text: str | bytes, *, as_file: bool = False):
    if as_file:
        upload = io.BytesIO(text if isinstance(text, bytes) else text.encode())
        upload.name = "pack.json"
        return browser.post(IMPORT, {"file": upload})
    return browser.post(IMPORT, {"pack": text})


def test_a_pack_from_a_newer_version_is_refused_whole(hillside_admin):
    pack = sample_pack() | {"version": 2, "something_new": {"x": 1}}
    before = the_state()

    page = refused(signed_in(hillside_admin), json.dumps(pack))
    api = api_as(hillside_admin).post("/api/v1/packs/apply/", {"pack": pack}, format="json")

    assert page.status_code == 400
    assert "made by a newer version of Alongside (pack format 2)" in page.content.decode()
    assert api.status_code == 400
    assert "reads format 1" in api.json()["pack"]["version"][0]
    assert the_state() == before


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"format": "alongside-pack", "version": 1,', "not valid JSON (line 1, column 43)"),
        ("", "Choose a pack file, or paste a pack"),
        ("[1, 2]", "A pack is a JSON object"),
        ('{"format": "alongside-instruments/1"}', "a pack of instruments only"),
        ('{"format": "something"}', "not an Alongside configuration pack"),
        ('{"format": "alongside-pack"}', "does not say which version"),
        ('{"format": "alongside-pack", "version": 1}', "holds nothing to bring in"),
        ('{"format": "alongside-pack", "version": 1, "meeting_types": {"a": 1}}', "meeting_types"),
    ],
)
def test_broken_json_and_wrong_shapes_are_refused_with_nothing_changed(hillside_admin, text, says):
    before = the_state()
    response = refused(signed_in(hillside_admin), text)
    assert response.status_code == 400
    assert says in response.content.decode().replace("&#x27;", "'")
    assert the_state() == before


def test_a_file_that_is_not_utf8_is_refused_and_a_bom_is_fine(hillside_admin):
    browser = signed_in(hillside_admin)
    assert "not text in UTF-8" in refused(browser, b"\xff\xfe{", as_file=True).content.decode()
    with_bom = "\ufeff" + json.dumps(sample_pack())
    assert refused(browser, with_bom.encode(), as_file=True).status_code == 200


def test_an_invalid_instrument_is_named_by_its_path_and_nothing_else_is_brought_in(hillside_admin):
    pack = sample_pack()
    pack["instruments"][0]["bands"][1]["from"] = 9  # a gap between 7 and 9
    pack["plan_templates"][0]["goals"][0]["actions"][0]["what"] = ""
    before = the_state()

    response = api_as(hillside_admin).post("/api/v1/packs/apply/", {"pack": pack}, format="json")

    assert response.status_code == 400
    problems = response.json()["pack"]
    assert problems["instruments[0].bands[1].from"] == [
        "Expected 8: this band leaves a gap after the one before: 8 is in no band. Bands cover 0 to 20, in order."
    ]
    assert problems["plan_templates[0].goals[0].actions[0].what"] == [
        "Say what needs to happen (at most 500 characters)."
    ]
    assert the_state() == before


def test_two_items_of_one_name_are_refused(hillside_admin):
    pack = sample_pack()
    pack["meeting_types"].append(copy.deepcopy(pack["meeting_types"][0]) | {"name": "family NETWORK meeting"})
    with pytest.raises(Exception) as refused_:
        selectors.pack_preview(actor=hillside_admin, pack=pack)
    assert "Two are called 'family NETWORK meeting'" in str(refused_.value)


def test_a_different_meeting_type_of_a_taken_name_is_refused(hillside_admin, eastvale_admin):
    services.pack_apply(
        actor=eastvale_admin, pack={"format": "alongside-pack", "version": 1, "meeting_types": [MEETING_TYPE]}
    )
    before = the_state()
    clash = {
        "format": "alongside-pack",
        "version": 1,
        "meeting_types": [MEETING_TYPE | {"family_invited": True}],
    }
    shipped = {"format": "alongside-pack", "version": 1, "meeting_types": [{"name": "Risk panel"}]}

    for pack in (clash, shipped):
        response = api_as(hillside_admin).post("/api/v1/packs/preview/", {"pack": pack}, format="json")
        assert response.status_code == 400
        assert "rename yours in the pack" in response.json()["pack"]["meeting_types[0].name"][0]
    assert the_state() == before


def test_an_instrument_kept_by_another_agency_that_the_pack_would_change_is_refused(hillside_admin, eastvale):
    services.pack_apply(actor=admin_of(eastvale), pack=sample_pack())
    pack = sample_pack()
    pack["instruments"][0]["reassess_days"] = 7
    before = the_state()
    response = api_as(hillside_admin).post("/api/v1/packs/apply/", {"pack": pack}, format="json")
    assert response.status_code == 400
    assert "kept by another agency" in response.json()["pack"]["instruments"][0]
    assert the_state() == before


def test_only_agency_admins(alice, hillside_admin):
    before = the_state()
    for url in ("/organisation/packs/", "/organisation/packs/export/", IMPORT):
        assert signed_in(alice).get(url).status_code == 403
    assert signed_in(alice).post(IMPORT, {"pack": json.dumps(sample_pack())}).status_code == 403
    for url in ("/api/v1/packs/preview/", "/api/v1/packs/apply/"):
        assert api_as(alice).post(url, {"pack": sample_pack()}, format="json").status_code == 403
    assert api_as(alice).get("/api/v1/packs/export/").status_code == 403
    assert the_state() == before
