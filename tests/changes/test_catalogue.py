"""The catalogue of changes: one name for each kind of change, and no name outside it."""

import importlib

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from changes.catalogue import BadPayload, Catalogue, Change, UnknownChange, catalogue, check_payload
from changes.services import record
from circles import changes as circle_changes
from realtime.models import Event
from realtime.publish import publish
from sharing.changes import GoalUpdated, NoteChanged

DECLARING_MODULES = [
    "changes.directory",
    "circles.changes",
    "sharing.changes",
    "board.changes",
    "portal.changes",
    "referrals.changes",
    "reminders.changes",
    "assessments.changes",
    "conferences.changes",
    "interop.changes",
    "reporting.changes",
    "packs.changes",
    "importing.changes",
    "subject_access.changes",
]


def declared() -> list[Change]:
    """Every Change that an app's changes module declares, as written in the source."""
    found = []
    for name in DECLARING_MODULES:
        module = importlib.import_module(name)
        found += [value for value in vars(module).values() if isinstance(value, Change)]
    return found


def test_every_change_has_a_name_of_its_own():
    names = [change.name for change in declared()]
    assert len(names) == len(set(names))


def test_every_declared_change_is_in_the_catalogue_and_nothing_else_is():
    assert {change.name for change in declared()} == {change.name for change in catalogue}


def test_a_second_change_with_a_taken_name_is_refused():
    own = Catalogue()
    own.register(Change("note.create", "A note is written"))
    own.register(Change("note.create", "A note is written"))  # the same declaration, imported twice: fine
    with pytest.raises(ValueError, match="Two changes"):
        own.register(Change("note.create", "Something else"))


@pytest.mark.parametrize("name", ["note", "Note.Create", "note.created!", "x." + "y" * 60])
def test_a_change_is_named_noun_dot_verb(name):
    with pytest.raises(ValueError):
        Change(name, "Badly named")


def test_the_access_changing_events_and_the_reads_come_from_the_catalogue():
    assert catalogue.access_changing() == {
        "circle.member_add",
        "circle.member_remove",
        "circle.member_hide",
        "circle.lead_change",
        "consent.record",
        "consent.withdraw",
    }
    assert {"client.view", "client.discover", "note.view", "note.list", "plan.view"} <= catalogue.reads()
    assert not catalogue.reads() & {change.name for change in catalogue if change.is_published}


@pytest.mark.django_db
def test_an_audit_row_with_an_uncatalogued_name_is_refused(alice, grace):
    with pytest.raises(UnknownChange), transaction.atomic():
        audit_record(actor=alice, action="note.invented", client=grace)
    assert not AuditEvent.objects.filter(action="note.invented").exists()


@pytest.mark.django_db
def test_an_event_with_an_uncatalogued_name_is_refused(grace):
    with pytest.raises(UnknownChange), transaction.atomic():
        publish(client=grace, type="note.invented", payload={"note_id": 1})
    with pytest.raises(UnknownChange, match="never published"), transaction.atomic():
        publish(client=grace, type="portal.invite", payload={})
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_an_event_whose_payload_is_not_its_declared_type_is_refused(grace):
    with pytest.raises(BadPayload), transaction.atomic():
        publish(client=grace, type="note.create", payload={"note_id": "7"})
    with pytest.raises(BadPayload), transaction.atomic():
        publish(client=grace, type="note.create", payload={"note_id": 7, "text": "No text in events"})
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_record_belongs_inside_the_writing_transaction(alice, grace):
    with pytest.raises(RuntimeError, match="transaction"):
        record(
            change=circle_changes.CLIENT_STAGE_CHANGE, actor=alice, client=grace, payload={"stage": "review"}
        )
    assert not AuditEvent.objects.exists() and not Event.objects.exists()


def test_payloads_are_checked_field_by_field():
    good = {"goal_id": 1, "version": 2, "fields": ["what"], "by": "Alice Lead"}
    check_payload(GoalUpdated, good, where="plan.goal_update")
    for bad in (
        {k: v for k, v in good.items() if k != "by"},  # missing
        good | {"version": True},  # a bool is not a number here
        good | {"fields": "what"},  # not a list
        good | {"fields": [1]},  # not a list of text
    ):
        with pytest.raises(BadPayload):
            check_payload(GoalUpdated, bad, where="plan.goal_update")
    with pytest.raises(BadPayload):
        check_payload(NoteChanged, [1], where="note.create")
    check_payload(circle_changes.MemberChanged, {"member_id": 1, "user_id": None}, where="circle.member_add")
