"""Imports in the API: upload (the dry run), the import's status and progress, start it, its result."""

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from circles.models import Client
from importing.models import ImportJob
from tests.factories import UserFactory, api_key_for
from tests.importing.conftest import csv_bytes


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def test_upload_check_start_and_result(adah, alice):
    client = api(adah)
    upload = SimpleUploadedFile(
        "okafors.csv", csv_bytes("Grace,Okafor,,14/03/1990,,,,,,,alice@example.org,,")
    )
    created = client.post("/api/v1/imports/", {"file": upload}, format="multipart")
    assert created.status_code == 201
    job = created.json()
    assert (job["status"], job["row_count"], job["percent"], job["duplicates"]) == ("checked", 1, 0, [])

    started = client.post(f"/api/v1/imports/{job['id']}/start/")
    assert started.status_code == 202 and started.json()["status"] == "done"  # tasks run at once in tests
    result = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert (result["status"], result["created_count"], result["percent"]) == ("done", 1, 100)
    assert client.post(f"/api/v1/imports/{job['id']}/start/").status_code == 409
    assert [j["id"] for j in client.get("/api/v1/imports/").json()] == [job["id"]]
    assert Client.objects.count() == 1


def test_a_file_with_problems_is_refused_with_each_one_and_kept_nowhere(adah, alice):
    upload = SimpleUploadedFile("bad.csv", csv_bytes("Grace,Okafor,,31/02/1990,,,,,,,alice@example.org,,"))
    response = api(adah).post("/api/v1/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {
        "file": ["Row 2, date of birth: “31/02/1990” is not a date. Use DD/MM/YYYY or YYYY-MM-DD."]
    }
    assert not ImportJob.objects.exists()


def test_only_agency_admins_and_only_their_organisations_imports(adah, alice, police):
    upload = SimpleUploadedFile("a.csv", csv_bytes("Grace,Okafor,,,,,,,,,alice@example.org,,"))
    job = api(adah).post("/api/v1/imports/", {"file": upload}, format="multipart").json()
    assert api(alice).get(f"/api/v1/imports/{job['id']}/").status_code == 403
    assert api(alice).get("/api/v1/imports/").status_code == 403
    other_admin = UserFactory(organisation=police, org_role="admin")
    assert api(other_admin).get(f"/api/v1/imports/{job['id']}/").status_code == 404
    assert api(other_admin).post(f"/api/v1/imports/{job['id']}/start/").status_code == 404
    assert api(other_admin).get("/api/v1/imports/").json() == []
