"""The bulk path's own guards: the catalogue's names, first events only, the record's rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record_many
from changes.catalogue import BadPayload, UnknownChange
from circles.bulk import NewClient, clients_register_many
from realtime.models import Event
from realtime.publish import publish, publish_first_events


def test_bulk_audit_rows_need_a_catalogued_name(alice, grace):
    with pytest.raises(UnknownChange), transaction.atomic():
        audit_record_many(actor=alice, action="client.invented", entries=[(grace, None, None, None)])


def test_first_events_are_for_clients_with_none_yet_and_match_their_type(grace):
    with transaction.atomic():
        publish(client=grace, type="client.create", payload={"public_id": grace.public_id})
    with pytest.raises(RuntimeError, match="no events yet"), transaction.atomic():
        publish_first_events(events=[(grace, "client.create", {"public_id": grace.public_id}, None)])
    with pytest.raises(BadPayload), transaction.atomic():
        publish_first_events(events=[(grace, "client.create", {"public_id": 7}, None)])
    assert Event.objects.filter(client=grace).count() == 1


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ({"details": {"given_name": "", "family_name": "Okafor"}}, "a client needs a first and a last name"),
        ({"members": [("lead", "key_worker")]}, "someone is in the same circle twice"),
        ({"lead_role": "carer"}, "the lead's role is not a professional's"),
        ({"members": [("bob", "lead_professional")]}, "a member's role is not one a professional joins with"),
    ],
)
def test_the_record_rules_hold_whoever_checked_the_rows(alice, bob, new, message):
    people = {"lead": alice, "bob": bob}
    fields = {"details": {"given_name": "Ruth", "family_name": "Okafor"}, "lead": alice} | new
    fields["members"] = [(people[who], role) for who, role in fields.get("members", [])]
    with pytest.raises(ValidationError, match=message), transaction.atomic():
        clients_register_many(actor=alice, clients=[NewClient(**fields)])
