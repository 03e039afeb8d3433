"""Instruments are data: agency admins add and change them in the app (each change a new version, old scores
kept), and bring them in from or write them out to a JSON pack (checked whole, shown before it changes
anything; a bad pack changes nothing and names the field)."""

import copy
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import packs, selectors, services
from assessments.models import Instrument, InstrumentVersion
from audit.models import AuditEvent
from network.models import User
from tests.conftest import signed_in
from tests.factories import UserFactory, assessment_done


@pytest.fixture
def admin(early_help):
    return UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN, full_name="Ada Admin")


def our_pack(code="money-check", name="Money check"):
    return {
        "format": "alongside-instruments/1",
        "scales": {"one-to-five": {"min": 1, "max": 5, "labels": {"1": "Worried", "5": "Fine"}}},
        "instruments": [
            {
                "code": code,
                "name": name,
                "summary": "How money feels.",
                "scale": "one-to-five",
                "scoring": "sum",
                "direction": "higher_is_better",
                "items": [
                    {"code": "bills", "text": "Bills paid on time", "narrative": "optional"},
                    {"code": "food", "text": "Enough food this week", "narrative": "none"},
                ],
                "bands": [
                    {"from": 2, "to": 5, "label": "Struggling"},
                    {"from": 6, "to": 10, "label": "Managing"},
                ],
                "meaningful_change": 2,
                "completed_by": ["practitioner", "client"],
                "reassess_days": 30,
                "licence": "Ours, free to share.",
            }
        ],
    }


def test_pack_round_trip_export_import_identical(admin):
    services.pack_import(actor=admin, pack=our_pack())
    exported = signed_in(admin).get("/organisation/instruments/export/?code=money-check")
    assert exported.status_code == 200
    first = json.loads(exported.content)
    # Change it (version 2), bring the first export back in (version 3 = version 1), export again: identical.
    changed = copy.deepcopy(our_pack())
    changed["instruments"][0]["items"][0]["text"] = "Bills paid"
    services.pack_import(actor=admin, pack=changed)
    services.pack_import(actor=admin, pack=first)
    again = json.loads(signed_in(admin).get("/organisation/instruments/export/?code=money-check").content)
    assert again == first
    instrument = Instrument.objects.get(code="money-check")
    assert instrument.current_version == 3
    assert instrument.versions.get(number=3).definition == instrument.versions.get(number=1).definition
    assert (
        services.pack_import(actor=admin, pack=first)
        and Instrument.objects.get(code="money-check").current_version == 3
    )
    assert AuditEvent.objects.filter(action="instrument.export").count() == 2


def test_every_shipped_pack_round_trips():
    for name, pack in packs.shipped_packs().items():
        assert packs.pack_from(packs.definitions_from_pack(pack)) == packs.pack_from(
            packs.definitions_from_pack(packs.pack_from(packs.definitions_from_pack(pack)))
        ), name


def test_import_shows_what_will_change_before_changing_anything(admin):
    browser = signed_in(admin)
    response = browser.post("/organisation/instruments/import/", {"pack": json.dumps(our_pack())})
    assert response.status_code == 200
    assert "Money check (money-check): new" in response.content.decode()
    assert not Instrument.objects.filter(code="money-check").exists()
    response = browser.post(
        "/organisation/instruments/import/", {"pack": json.dumps(our_pack()), "confirm": "yes"}
    )
    assert response.status_code == 302
    assert Instrument.objects.get(code="money-check").organisation == admin.organisation


@pytest.mark.parametrize(
    ("break_it", "path", "words"),
    [
        (lambda p: p["instruments"][0].update(scale="nope"), "instruments[0].scale", "Unknown scale 'nope'"),
        (
            lambda p: p["instruments"][0]["items"].append({"code": "food", "text": "Again"}),
            "instruments[0].items[2].code",
            "Two items are coded 'food'",
        ),
        (
            lambda p: p["instruments"].append(copy.deepcopy(p["instruments"][0])),
            "instruments[1].code",
            "Two instruments",
        ),
        (
            lambda p: p["instruments"][0]["bands"][1].update({"from": 7}),
            "instruments[0].bands[1].from",
            "Expected 6",
        ),
        (
            lambda p: p["instruments"][0]["bands"][1].update({"to": 9}),
            "instruments[0].bands[1].to",
            "Expected 10",
        ),
        (lambda p: p["instruments"][0].update(scoring="average"), "instruments[0].scoring", "Scoring is"),
        (
            lambda p: p["instruments"][0].update(completed_by=["robot"]),
            "instruments[0].completed_by",
            "Choose who",
        ),
        (lambda p: p.update(format="v0"), "format", "not an Alongside instrument pack"),
        (lambda p: p["scales"]["one-to-five"].update({"max": 0}), "scales.one-to-five", "A scale runs"),
        # A digit to str.isdigit(), but no number to int().
        (
            lambda p: p["scales"]["one-to-five"]["labels"].update({"\u00b2": "Squared"}),
            "scales.one-to-five.labels.\u00b2",
            "is not a score on this scale",
        ),
    ],
)
def test_a_bad_pack_changes_nothing_and_names_the_field(admin, break_it, path, words):
    pack = our_pack()
    break_it(pack)
    with pytest.raises(ValidationError) as error:
        services.pack_import(actor=admin, pack=pack)
    assert path in error.value.message_dict, error.value.message_dict
    assert words in error.value.message_dict[path][0]
    assert not Instrument.objects.filter(code="money-check").exists()
    page = signed_in(admin).post("/organisation/instruments/import/", {"pack": json.dumps(pack)})
    assert (
        page.status_code == 400
        and path in page.content.decode()
        and "Nothing has changed" in page.content.decode()
    )


@pytest.mark.parametrize("text", ["not json", "[]", '{"format": "alongside-instruments/1"}', "null"])
def test_nonsense_is_a_clear_400(admin, text):
    assert signed_in(admin).post("/organisation/instruments/import/", {"pack": text}).status_code == 400


def test_versioning_keeps_old_scores(alice, admin, grace):
    services.pack_import(actor=admin, pack=our_pack())
    instrument = Instrument.objects.get(code="money-check")
    old = assessment_done(author=alice, client=grace, code="money-check", scores=[2, 2])
    assert (old.total, old.band) == (4, "Struggling")
    moved = our_pack()
    moved["instruments"][0]["bands"] = [
        {"from": 2, "to": 3, "label": "Struggling"},
        {"from": 4, "to": 10, "label": "Managing"},
    ]
    services.pack_import(actor=admin, pack=moved)
    instrument.refresh_from_db()
    assert instrument.current_version == 2
    old.refresh_from_db()
    assert (old.version.number, old.total, old.band, old.result["band"]) == (1, 4, "Struggling", "Struggling")
    new = assessment_done(author=alice, client=grace, code="money-check", scores=[2, 2])
    assert (new.version.number, new.band) == (2, "Managing")
    assert InstrumentVersion.objects.filter(instrument=instrument).count() == 2


def test_the_editor_makes_a_new_version(admin):
    services.pack_import(actor=admin, pack=our_pack())
    browser = signed_in(admin)
    form = browser.get("/organisation/instruments/money-check/")
    assert form.status_code == 200 and "bills | Bills paid on time | optional" in form.content.decode()
    data = form.context["form"].initial | {"name": "Money check (short)", "completed_by": ["practitioner"]}
    response = browser.post("/organisation/instruments/money-check/", data)
    assert response.status_code == 302, response.context["form"].errors
    instrument = Instrument.objects.get(code="money-check")
    assert (instrument.current_version, instrument.name) == (2, "Money check (short)")
    assert AuditEvent.objects.filter(action="instrument.version", object_id=str(instrument.pk)).exists()


def test_the_editor_says_which_line_is_wrong(admin):
    data = {
        "code": "quick",
        "name": "Quick",
        "scale_min": 0,
        "scale_max": 3,
        "scoring": "sum",
        "direction": "lower_is_better",
        "items": "a | One\nb | Two\nb | Three",
        "bands": "0-4 = Low\n5-8 = High",
        "meaningful_change": 2,
        "completed_by": ["practitioner"],
        "reassess_days": 0,
    }
    response = signed_in(admin).post("/organisation/instruments/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 3: Two items are coded &#x27;b&#x27;" in html
    assert "Line 2: Expected 9: the last band ends at the highest score (9 is in no band)" in html
    assert not Instrument.objects.filter(code="quick").exists()


def test_only_agency_admins_and_never_the_shipped_ones(alice, admin):
    assert signed_in(alice).get("/organisation/instruments/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.pack_import(actor=alice, pack=our_pack())
    assert signed_in(admin).get("/organisation/instruments/phq-9/").status_code == 403
    shipped = packs.shipped_packs()["phq9-gad7"]
    # The same as shipped changes nothing, so it is simply unchanged (a configuration pack may carry it);
    # a shipped instrument changed in the pack is refused.
    assert {row["change"] for row in selectors.pack_preview(actor=admin, pack=shipped)} == {"unchanged"}
    assert [i.current_version for i in services.pack_import(actor=admin, pack=shipped)] == [1, 1]
    shipped["instruments"][0]["reassess_days"] = 7
    with pytest.raises(ValidationError) as error:
        services.pack_import(actor=admin, pack=shipped)
    assert "ships with Alongside" in error.value.message_dict["instruments"][0]


def test_a_copy_keeps_what_the_form_does_not_show(admin):
    browser = signed_in(admin)
    form = browser.get("/organisation/instruments/new/?copy=ons4")
    data = form.context["form"].initial
    assert (
        browser.post("/organisation/instruments/new/?copy=ons4", data).status_code == 302
    )  # the form posts to its own URL
    copy_of = Instrument.objects.get(code="ons4-ours").versions.get().definition
    original = Instrument.objects.get(code="ons4").versions.get().definition
    assert copy_of["items"][3]["bands"] == original["items"][3]["bands"]
    assert copy_of["items"][3]["direction"] == "lower_is_better"
    form = browser.get("/organisation/instruments/new/?copy=phq-9")
    assert (
        browser.post("/organisation/instruments/new/?copy=phq-9", form.context["form"].initial).status_code
        == 302
    )
    assert Instrument.objects.get(code="phq-9-ours").versions.get().definition["flags"][0]["item"] == "9"


def editor_data(browser, code: str) -> dict:
    return dict(browser.get(f"/organisation/instruments/{code}/").context["form"].initial)


def each_item_pack():
    """Money check scored item by item: bills has bands of its own and goes the other way (lower is better)."""
    pack = our_pack()
    instrument = pack["instruments"][0]
    instrument["scoring"] = "each"
    instrument["bands"] = [{"from": 1, "to": 2, "label": "Worried"}, {"from": 3, "to": 5, "label": "Fine"}]
    return pack


def test_the_editor_changes_flags_and_an_items_own_bands_in_a_new_version(admin, alice, grace):
    services.pack_import(actor=admin, pack=each_item_pack())
    old = assessment_done(author=alice, client=grace, code="money-check", scores=[2, 2])
    browser = signed_in(admin)
    data = editor_data(browser, "money-check")
    assert data["item_bands"] == "" and data["flags"] == ""
    data |= {
        "items": "bills | Bills paid on time | optional | lower is better\nfood | Enough food this week | none",
        "item_bands": "bills | 1-1 = Fine\nbills | 2-5 = Behind",
        "flags": "food | above 4 | Check today that there is food in the house.",
    }
    response = browser.post("/organisation/instruments/money-check/", data)
    assert response.status_code == 302, response.context["form"].errors
    instrument = Instrument.objects.get(code="money-check")
    definition = instrument.versions.get(number=2).definition
    assert definition["items"][0] == {
        "code": "bills",
        "text": "Bills paid on time",
        "narrative": "optional",
        "direction": "lower_is_better",
        "bands": [{"from": 1, "to": 1, "label": "Fine"}, {"from": 2, "to": 5, "label": "Behind"}],
    }
    assert "bands" not in definition["items"][1]
    assert definition["flags"] == [
        {"item": "food", "above": 4, "message": "Check today that there is food in the house."}
    ]
    assert AuditEvent.objects.filter(action="instrument.version", object_id=str(instrument.pk)).exists()
    # The form shows what it saved, so saving it again unchanged makes no new version.
    again = editor_data(browser, "money-check")
    assert again["flags"] == "food | above 4 | Check today that there is food in the house."
    assert browser.post("/organisation/instruments/money-check/", again).status_code == 302
    assert Instrument.objects.get(code="money-check").current_version == 2
    # Scored with the new version: bills 2 is "Behind" on its own bands, food 5 raises the flag.
    new = assessment_done(author=alice, client=grace, code="money-check", scores=[2, 5])
    assert [i["band"] for i in new.result["items"]] == ["Behind", "Fine"] and new.flagged
    old.refresh_from_db()  # the old one keeps its version, bands and (no) flags
    assert (old.version.number, [i["band"] for i in old.result["items"]], old.flagged) == (
        1,
        ["Worried", "Worried"],
        False,
    )


def test_the_editor_takes_flags_off(admin):
    browser = signed_in(admin)
    assert (
        browser.post("/organisation/instruments/new/?copy=phq-9", editor_data_copy(browser)).status_code
        == 302
    )
    data = editor_data(browser, "phq-9-ours") | {"flags": ""}
    assert browser.post("/organisation/instruments/phq-9-ours/", data).status_code == 302
    instrument = Instrument.objects.get(code="phq-9-ours")
    assert instrument.versions.get(number=2).definition["flags"] == []
    assert instrument.versions.get(number=1).definition["flags"][0]["item"] == "9"


def editor_data_copy(browser):
    return dict(browser.get("/organisation/instruments/new/?copy=phq-9").context["form"].initial)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"item_bands": "bills | 1-2 = Fine\nbills | 4-5 = Behind"},
            "item_bands",
            "Line 2 (bills): Expected 3: this band leaves a gap after the one before: 3 is in no band.",
        ),
        (
            {"item_bands": "bills | 1-3 = Fine\nbills | 3-5 = Behind"},
            "item_bands",
            "Line 2 (bills): Expected 4: this band overlaps the one before, which ends at 3.",
        ),
        (
            {"item_bands": "bills | 1-2 = Fine\nbills | 3-4 = Behind"},
            "item_bands",
            "Line 2 (bills): Expected 5: the last band ends at the highest score (5 is in no band).",
        ),
        (
            {"item_bands": "bills | 2-5 = Fine"},
            "item_bands",
            "Line 1 (bills): Expected 1: the first band starts at the lowest score, 1.",
        ),
        ({"item_bands": "rent | 1-5 = Fine"}, "item_bands", "Line 1: no item is coded &#x27;rent&#x27;."),
        (
            {"item_bands": "bills: 1 to 5 fine"},
            "item_bands",
            "Line 1: write it like anxious | 0-1 = Very low.",
        ),
        (
            {"item_bands": "bills | 1-5 = Fine", "scoring": "sum", "bands": "2-10 = All"},
            "item_bands",
            "Item bills: Only instruments scored item by item have bands per item.",
        ),
        ({"flags": "rent | above 1 | Ring them."}, "flags", "Line 1: No item is coded &#x27;rent&#x27;."),
        (
            {"flags": "food | above 5 | Ring them."},
            "flags",
            "Line 1: No answer is above 5 (the highest score is 5), so this flag would never be raised",
        ),
        (
            {"flags": "bills | above 2 | Ring them.\nfood | over the top | Ring them."},
            "flags",
            "Line 2: write it like 9 | above 0 | what to do.",
        ),
        ({"items": "bills | Bills | none | sideways\nfood | Food"}, "items", "Line 1: the last part is"),
        # Digits to str.isdigit() that int() refuses: "²", and more than 4,300 of them.
        ({"bands": "\u00b2-5 = All"}, "bands", "Line 1: write it like 0-4 = Minimal."),
        ({"bands": "1-" + "9" * 5000 + " = All"}, "bands", "Line 1: write it like 0-4 = Minimal."),
        (
            {"item_bands": "bills | 1-\u00b2 = Fine"},
            "item_bands",
            "Line 1: write it like anxious | 0-1 = Very low.",
        ),
        (
            {"flags": "bills | above \u00b2 | Ring them."},
            "flags",
            "Line 1: write it like 9 | above 0 | what to do.",
        ),
        (
            {"flags": "bills | above " + "9" * 5000 + " | Ring them."},
            "flags",
            "Line 1: write it like 9 | above 0 | what to do.",
        ),
        ({"scale_labels": "\u00b2 = Squared"}, "scale_labels", "Line 1: write it like 0 = Not at all."),
    ],
)
def test_the_editor_says_what_is_wrong_with_bands_and_flags_and_changes_nothing(admin, change, field, words):
    services.pack_import(actor=admin, pack=each_item_pack())
    browser = signed_in(admin)
    response = browser.post(
        "/organisation/instruments/money-check/", editor_data(browser, "money-check") | change
    )
    assert response.status_code == 400
    assert words in str(response.context["form"].errors.get(field)) or words in response.content.decode(), (
        response.context["form"].errors
    )
    assert Instrument.objects.get(code="money-check").current_version == 1
    assert not AuditEvent.objects.filter(action="instrument.version").exists()


def test_import_says_what_a_new_version_changes(admin):
    services.pack_import(actor=admin, pack=our_pack())
    changed = our_pack()
    instrument = changed["instruments"][0]
    instrument["items"][0]["text"] = "Bills paid"
    instrument["items"].append({"code": "rent", "text": "Rent paid", "narrative": "none"})
    instrument["bands"] = [
        {"from": 3, "to": 7, "label": "Struggling"},
        {"from": 8, "to": 15, "label": "Managing"},
    ]
    instrument["reassess_days"] = 60
    response = signed_in(admin).post("/organisation/instruments/import/", {"pack": json.dumps(changed)})
    assert response.status_code == 200
    assert (
        "Money check (money-check): new version 2 (the score bands; the days between assessments; "
        "items changed: bills; items added: rent)"
    ) in response.content.decode()
    assert Instrument.objects.get(code="money-check").current_version == 1
