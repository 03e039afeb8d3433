"""The demo: Ravi, Early Help's agency admin, has Grace Okafor's export ready and can start another."""

import io

from django.core.management import call_command
from django.urls import reverse

from circles.models import Client
from network.models import User
from subject_access.models import SubjectAccessExport
from tests.conftest import signed_in


def test_ravi_has_grace_s_export_ready(db, django_capture_on_commit_callbacks):
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert (
        "ravi (an agency admin: Your organisation: people and teams, packs, imports, subject access"
        in out.getvalue()
    )
    ravi = User.objects.get(full_name="Ravi Patel")
    grace = Client.objects.get(given_name="Grace", family_name="Okafor")
    export = SubjectAccessExport.objects.get(client=grace)
    assert export.status == "done" and export.requested_by == ravi and export.is_downloadable
    browser = signed_in(ravi)
    assert grace.public_id.encode() in browser.get(reverse("subject_access:exports")).content
    assert browser.get(reverse("subject_access:download", args=[export.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("subject_access:start", args=[grace.public_id]))
    assert SubjectAccessExport.objects.filter(client=grace, status="done").count() == 2
