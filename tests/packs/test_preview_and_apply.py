"""Bringing a pack in: the preview says what will change (new / changed / unchanged, in words) and
changes nothing; applying does exactly that, or nothing when things moved since the preview."""

import copy

import pytest

from assessments.models import Instrument, InstrumentVersion
from conferences.models import MeetingType
from packs import selectors, services
from sharing.models import PlanTemplate
from tests.conftest import api_as, signed_in
from tests.packs.conftest import INSTRUMENT, MEETING_TYPE, TEMPLATE, the_state

pytestmark = pytest.mark.django_db


def a_pack(**parts) -> dict:
    instrument = copy.deepcopy(INSTRUMENT) | {"reassess_days": 60}  # as Hillside's version 2
    scale = instrument.pop("scale")
    code = scale.pop("code")
    pack = {
        "format": "alongside-pack",
        "version": 1,
        "scales": {code: scale},
        "instruments": [instrument | {"scale": code}],
        "plan_templates": [copy.deepcopy(TEMPLATE)],
        "meeting_types": [copy.deepcopy(MEETING_TYPE)],
    }
    return pack | parts


def test_the_preview_tells_new_changed_and_unchanged_apart_and_changes_nothing(hillside_configured):
    pack = a_pack()
    pack["instruments"][0]["reassess_days"] = 90  # Hillside's is at 60 now (version 2)
    pack["meeting_types"][0]["family_invited"] = True
    pack["meeting_types"].append({"name": "Housing panel"})
    pack["plan_templates"].append(TEMPLATE | {"name": "Hillside tenancy plan"})
    before = the_state()

    preview = selectors.pack_preview(actor=hillside_configured, pack=pack)

    assert the_state() == before
    assert [(i.kind, i.name, i.change) for i in preview.items] == [
        ("instrument", "Coping check (Hillside) (hillside-coping)", "changed"),
        ("plan template", "Hillside housing plan", "unchanged"),
        ("plan template", "Hillside tenancy plan", "new"),
        ("meeting type", "Tenancy review", "changed"),
        ("meeting type", "Housing panel", "new"),
    ]
    words = {i.name: i.words for i in preview.items}
    assert words["Coping check (Hillside) (hillside-coping)"].startswith(
        "Changed: it becomes version 3 (the days between assessments);"
    )
    assert words["Tenancy review"] == (
        "Changed, for meetings arranged from now on: the client and family are invited."
    )
    assert (
        words["Hillside tenancy plan"]
        == "New: 1 goal and 2 actions; leads in your agency can start a plan from it."
    )
    assert preview.counts == {"new": 2, "changed": 2, "unchanged": 1}


def test_applying_versions_a_changed_instrument_and_never_changes_an_old_version(hillside_configured):
    old = {
        v.number: v.definition for v in InstrumentVersion.objects.filter(instrument__code="hillside-coping")
    }
    pack = a_pack()
    pack["instruments"][0]["reassess_days"] = 90

    services.pack_apply(actor=hillside_configured, pack=pack)

    instrument = Instrument.objects.get(code="hillside-coping")
    assert instrument.current_version == 3
    versions = {v.number: v.definition for v in instrument.versions.all()}
    assert versions[1] == old[1] and versions[2] == old[2] and versions[3]["reassess_days"] == 90


def test_a_changed_template_and_meeting_type_are_replaced_in_place(hillside_configured):
    pack = a_pack()
    pack["plan_templates"][0]["goals"][0]["actions"].append({"what": "Claim housing benefit"})
    pack["meeting_types"][0]["minutes_due_working_days"] = 10

    applied = services.pack_apply(actor=hillside_configured, pack=pack)

    assert [i.change for i in applied.items] == ["unchanged", "changed", "changed"]
    assert PlanTemplate.objects.get(name="Hillside housing plan").action_count == 3
    assert MeetingType.objects.get(name="Tenancy review").minutes_due_working_days == 10


def test_the_page_previews_then_applies_what_it_showed(hillside_configured):
    browser = signed_in(hillside_configured)
    pack = a_pack(meeting_types=[{"name": "Housing panel", "standard_agenda": ["Who is at risk"]}])
    import json

    text = json.dumps(pack)
    upload = browser.post("/organisation/packs/import/", {"pack": text})
    page = upload.content.decode()
    assert upload.status_code == 200 and 'id="pack-preview"' in page
    assert "1 new, 0 changed, 2 unchanged" in page
    assert not MeetingType.objects.filter(name="Housing panel").exists()
    digest = selectors.pack_preview(actor=hillside_configured, pack=pack).digest
    assert f'name="preview" value="{digest}"' in page

    done = browser.post("/organisation/packs/import/", {"pack": text, "preview": digest, "confirm": "yes"})

    assert done.status_code == 302
    assert MeetingType.objects.get(name="Housing panel").organisation == hillside_configured.organisation


def test_when_things_moved_since_the_preview_nothing_is_applied(hillside_configured, hillside):
    pack = a_pack(meeting_types=[{"name": "Housing panel"}])
    digest = selectors.pack_preview(actor=hillside_configured, pack=pack).digest
    # Meanwhile a colleague brings in a different "Housing panel".
    from tests.packs.conftest import admin_of

    services.pack_apply(
        actor=admin_of(hillside),
        pack=a_pack(meeting_types=[{"name": "Housing panel", "minutes_due_working_days": 2}]),
    )
    before = the_state()

    response = api_as(hillside_configured).post(
        "/api/v1/packs/apply/", {"pack": pack, "preview": digest}, format="json"
    )

    assert response.status_code == 409
    assert "not what you saw" in response.json()["preview"][0]
    assert the_state() == before
    page = signed_in(hillside_configured).post(
        "/organisation/packs/import/",
        {"pack": __import__("json").dumps(pack), "preview": digest, "confirm": "yes"},
    )
    assert page.status_code == 400 and "Something changed since you looked" in page.content.decode()
    assert "changed, for meetings arranged from now on" in page.content.decode().lower()
    assert the_state() == before


def test_the_api_previews_and_applies(hillside_configured):
    api = api_as(hillside_configured)
    pack = a_pack(plan_templates=[TEMPLATE | {"name": "Second plan"}])
    preview = api.post("/api/v1/packs/preview/", {"pack": pack}, format="json")
    assert preview.status_code == 200
    assert preview.json()["new"] == 1 and preview.json()["unchanged"] == 2
    assert preview.json()["items"][1] == {
        "kind": "plan template",
        "name": "Second plan",
        "change": "new",
        "words": "New: 1 goal and 2 actions; leads in your agency can start a plan from it.",
    }
    applied = api.post(
        "/api/v1/packs/apply/", {"pack": pack, "preview": preview.json()["preview"]}, format="json"
    )
    assert applied.status_code == 200 and applied.json()["new"] == 1
    assert PlanTemplate.objects.filter(
        name="Second plan", organisation=hillside_configured.organisation
    ).exists()
