"""Only agency admins of an organisation that works with the client produce, follow and download its
subject access export; everyone else is refused, and nobody learns more about who is a client than the
other pages already tell them."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from network.models import User
from subject_access import services
from subject_access.models import SubjectAccessExport
from tests.conftest import api_as, signed_in
from tests.factories import UserFactory


@pytest.fixture
def done_export(erin, grace):
    export, _ = services.export_start(actor=erin, client=grace)
    services.export_build(export.pk)
    return export


def test_an_admin_of_another_organisation_is_told_why(harriet, grace):
    for response in (
        signed_in(harriet).get(reverse("subject_access:client", args=[grace.public_id])),
        signed_in(harriet).post(reverse("subject_access:start", args=[grace.public_id])),
    ):
        assert response.status_code == 403
        assert b"This client is not one your organisation works with" in response.content
    api = api_as(harriet).post(reverse("api:subject_access_exports", args=[grace.public_id]))
    assert api.status_code == 403
    assert api.json()["detail"].startswith("This client is not one your organisation works with")
    assert not SubjectAccessExport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="subject_access.").exists()


def test_an_admin_of_another_organisation_learns_no_more_than_discovery_tells(harriet, grace):
    """Admins may look anyone up by ID already (the client page, discovery); an unknown ID is a 404."""
    assert signed_in(harriet).get(reverse("circles:client", args=[grace.public_id])).status_code == 200
    for typed in ("ZZZZ-ZZZZ", "not-an-id"):
        assert signed_in(harriet).get(reverse("subject_access:client", args=[typed])).status_code == 404


@pytest.mark.parametrize("role", [User.OrgRole.PRACTITIONER, User.OrgRole.MANAGER, User.OrgRole.PANEL_CHAIR])
def test_anyone_but_an_agency_admin_is_refused_whether_or_not_the_client_exists(role, early_help, grace):
    person = UserFactory(organisation=early_help, org_role=role)
    for typed in (grace.public_id, "ZZZZ-ZZZZ"):
        response = signed_in(person).get(reverse("subject_access:client", args=[typed]))
        assert response.status_code == 403
        assert b"Only agency admins" in response.content
    assert signed_in(person).post(reverse("subject_access:start", args=[grace.public_id])).status_code == 403
    assert (
        api_as(person).post(reverse("api:subject_access_exports", args=[grace.public_id])).status_code == 403
    )
    assert not SubjectAccessExport.objects.exists()


def test_the_lead_practitioner_is_refused(alice, grace):
    assert signed_in(alice).get(reverse("subject_access:client", args=[grace.public_id])).status_code == 403
    assert signed_in(alice).get(reverse("subject_access:exports")).status_code == 403


def test_an_export_is_its_organisations_only(done_export, erin, harriet, alice, early_help, grace):
    colleague = UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN)
    for name in ("export", "progress", "download"):
        url = reverse(f"subject_access:{name}", args=[done_export.pk])
        assert signed_in(colleague).get(url).status_code == 200
        assert signed_in(harriet).get(url).status_code == 404
        assert signed_in(alice).get(url).status_code == 403
    assert list(
        AuditEvent.objects.filter(action="subject_access.download").values_list("actor", flat=True)
    ) == [colleague.pk]


def test_the_client_page_links_the_export_for_admins_who_may(erin, harriet, alice, grace):
    link = reverse("subject_access:client", args=[grace.public_id]).encode()
    assert link in signed_in(erin).get(reverse("circles:client", args=[grace.public_id])).content
    assert link not in signed_in(harriet).get(reverse("circles:client", args=[grace.public_id])).content
    assert link not in signed_in(alice).get(reverse("circles:client", args=[grace.public_id])).content


def test_the_admins_page_lists_their_exports_and_finds_a_client_by_id(done_export, erin, grace):
    browser = signed_in(erin)
    page = browser.get(reverse("subject_access:exports"))
    assert grace.public_id.encode() in page.content
    found = browser.get(
        reverse("subject_access:exports"), {"client": grace.public_id.replace("-", "").lower()}
    )
    assert found.status_code == 302 and found["Location"] == reverse(
        "subject_access:client", args=[grace.public_id]
    )
    wrong = browser.get(reverse("subject_access:exports"), {"client": "nonsense"})
    assert wrong.status_code == 400 and b"Enter the client" in wrong.content


def test_a_switched_off_admin_s_export_fails_with_a_reason(erin, grace):
    export, _ = services.export_start(actor=erin, client=grace)
    User.objects.filter(pk=erin.pk).update(is_active=False)
    assert services.export_build(export.pk) == "failed"
    export.refresh_from_db()
    assert export.status == "failed" and "no longer an agency admin" in export.error
    assert export.file is None


def test_the_api_starts_follows_and_downloads(erin, grace, django_capture_on_commit_callbacks):
    api = api_as(erin)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(reverse("api:subject_access_exports", args=[grace.public_id]))
    assert created.status_code == 201
    export_id = created.json()["id"]
    job = api.get(reverse("api:subject_access_export", args=[grace.public_id, export_id])).json()
    assert (job["status"], job["steps_done"], job["steps_total"], job["progress"]) == ("done", 13, 13, 100)
    assert job["downloadable"] is True
    download = api.get(reverse("api:subject_access_download", args=[grace.public_id, export_id]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    listed = api.get(reverse("api:subject_access_exports", args=[grace.public_id])).json()
    assert [row["id"] for row in listed] == [export_id]


def test_the_api_says_when_the_file_is_not_ready(erin, grace):
    api = api_as(erin)
    waiting = api.post(reverse("api:subject_access_exports", args=[grace.public_id]))  # not committed
    again = api.post(reverse("api:subject_access_exports", args=[grace.public_id]))
    assert (waiting.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == waiting.json()["id"]
    response = api.get(reverse("api:subject_access_download", args=[grace.public_id, waiting.json()["id"]]))
    assert response.status_code == 409
    assert "still being put together" in response.json()["non_field_errors"][0]
