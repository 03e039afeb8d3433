"""Export, then import into another agency: the same instruments, plan templates and meeting types."""

import copy

import pytest
from django.db import transaction

from assessments.models import Instrument
from audit.models import AuditEvent
from conferences.models import MeetingType
from packs import selectors, services
from sharing.models import PlanTemplate
from tests.conftest import api_as, signed_in
from tests.packs.conftest import configure, content

pytestmark = pytest.mark.django_db


class _Elsewhere(Exception):
    """Rolls Hillside's configuration back: the pack is then brought in as into another Alongside."""


def test_a_pack_brought_into_another_alongside_reproduces_the_agencys_configuration(
    hillside_admin, eastvale_admin
):
    try:
        with transaction.atomic():
            exported = services.pack_export(actor=configure(hillside_admin))
            raise _Elsewhere
    except _Elsewhere:
        pass
    assert not Instrument.objects.filter(code="hillside-coping").exists()
    assert [i["code"] for i in exported["instruments"]] == ["hillside-coping"]
    assert exported["instruments"][0]["reassess_days"] == 60  # the current version

    preview = selectors.pack_preview(actor=eastvale_admin, pack=copy.deepcopy(exported))
    assert [(i.kind, i.name, i.change) for i in preview.items] == [
        ("instrument", "Coping check (Hillside) (hillside-coping)", "new"),
        ("plan template", "Hillside housing plan", "new"),
        ("meeting type", "Tenancy review", "new"),
    ]
    services.pack_apply(actor=eastvale_admin, pack=copy.deepcopy(exported), preview=preview.digest)

    again = services.pack_export(actor=eastvale_admin)
    assert content(again) == content(exported)
    assert again["organisation"] == "Eastvale Family Hub"
    instrument = Instrument.objects.get(code="hillside-coping")
    assert instrument.organisation == eastvale_admin.organisation and instrument.current_version == 1
    assert MeetingType.objects.get(name="Tenancy review").organisation == eastvale_admin.organisation
    # Each part was audited by the app that owns it, and the pack as a whole.
    actions = set(AuditEvent.objects.filter(actor=eastvale_admin).values_list("action", flat=True))
    assert {"instrument.import", "plan_template.create", "meeting_type.create", "pack.apply"} <= actions
    # A second time, nothing is new.
    assert {
        i.change for i in selectors.pack_preview(actor=eastvale_admin, pack=copy.deepcopy(exported)).items
    } == {"unchanged"}


def test_within_one_alongside_instruments_and_meeting_types_are_shared_and_templates_are_copied(
    hillside_configured, eastvale_admin
):
    """Instruments and meeting types are already everyone's here (only their keeper changes them), so the
    same ones are unchanged; plan templates belong to an agency, so Eastvale gets its own copy."""
    exported = services.pack_export(actor=hillside_configured)
    applied = services.pack_apply(actor=eastvale_admin, pack=exported)
    assert [(i.kind, i.change) for i in applied.items] == [
        ("instrument", "unchanged"),
        ("plan template", "new"),
        ("meeting type", "unchanged"),
    ]
    assert Instrument.objects.get(code="hillside-coping").organisation == hillside_configured.organisation
    assert set(
        PlanTemplate.objects.filter(name="Hillside housing plan").values_list("organisation__name", flat=True)
    ) == {
        "Hillside Housing",
        "Eastvale Family Hub",
    }


def test_the_export_is_audited_and_downloads_from_the_page_and_the_api(hillside_configured):
    response = signed_in(hillside_configured).get("/organisation/packs/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="alongside-pack.json"'
    page_pack = response.json()
    api_pack = api_as(hillside_configured).get("/api/v1/packs/export/").json()
    assert content(page_pack) == content(api_pack)
    assert page_pack["format"] == "alongside-pack" and page_pack["version"] == 1
    rows = AuditEvent.objects.filter(action="pack.export")
    assert rows.count() == 2
    assert rows.first().after == {
        "instruments": ["hillside-coping"],
        "plan_templates": ["Hillside housing plan"],
        "meeting_types": ["Tenancy review"],
    }


def test_the_packs_page_says_what_the_agencys_pack_holds(hillside_configured, django_assert_num_queries):
    browser = signed_in(hillside_configured)
    browser.get("/organisation/packs/")  # warm the session
    page = browser.get("/organisation/packs/").content.decode()
    assert "Coping check (Hillside)" in page and "Hillside housing plan" in page and "Tenancy review" in page
    with django_assert_num_queries(3):  # instruments' current versions, templates, meeting types
        selectors.pack_contents(actor=hillside_configured)
