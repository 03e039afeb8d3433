"""The directory calls the audit trail and the live pages through what they registered (network/hooks.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from audit.models import AuditEvent
from network import hooks
from network.models import Organisation
from network.services import organisation_create


def test_audit_and_realtime_register_when_django_starts():
    from audit.services import audit_record
    from realtime.publish import end_sessions

    assert audit_record in hooks._audit_recorders
    assert end_sessions in hooks._session_enders


def test_a_directory_write_refuses_when_no_audit_trail_is_registered(alice, monkeypatch):
    monkeypatch.setattr(hooks, "_audit_recorders", [])

    with pytest.raises(ImproperlyConfigured, match="audit"):
        organisation_create(actor=alice, name="Northside Housing", kind="housing")

    assert not Organisation.objects.filter(name="Northside Housing").exists()
    assert not AuditEvent.objects.filter(action="organisation.create").exists()


def test_ending_sessions_calls_every_registered_ender(monkeypatch):
    ended = []
    monkeypatch.setattr(hooks, "_session_enders", [lambda *, user_id: ended.append(("a", user_id))])
    hooks.register_session_ender(lambda *, user_id: ended.append(("b", user_id)))

    hooks.end_sessions(user_id=7)

    assert ended == [("a", 7), ("b", 7)]
