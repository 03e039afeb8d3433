"""The audit trail is append-only and can never forget, so it does not hold what a note says: only a
fingerprint (SHA-256) and length of the text, enough to prove later which text was written. The note keeps
its text, where a correction a client asks for can be made."""

import hashlib
import json

from audit.models import AuditEvent
from sharing.services import note_create

TEXT = "Grace told me about the rent arrears and the letter from the landlord."


def test_the_audit_row_holds_a_fingerprint_not_the_text(alice, grace):
    note = note_create(actor=alice, client=grace, text=TEXT, kind="update", visibility="circle")
    row = AuditEvent.objects.get(action="note.create", object_id=str(note.pk))
    assert "rent arrears" not in json.dumps(row.after)
    assert row.after["text_sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    assert row.after["text_length"] == len(TEXT)
    note.refresh_from_db()
    assert note.text == TEXT
