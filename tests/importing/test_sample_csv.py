"""The sample file in docs/ imports cleanly into the demo data, as Ravi (Early Help's agency admin)."""

import io
from pathlib import Path

from django.core.management import call_command

from circles.models import Client
from importing import services
from network.models import User

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "sample-clients.csv"


def test_the_sample_csv_imports_cleanly_into_the_demo(db):
    call_command("demo_data", stdout=io.StringIO())
    ravi = User.objects.get(full_name="Ravi Patel")
    before = Client.objects.count()

    job, checked = services.import_check(
        actor=ravi, file_name="sample-clients.csv", content=SAMPLE.read_bytes()
    )
    assert checked.ok and checked.problems == [] and job.duplicate_count == 0
    services.import_start(actor=ravi, job=job)

    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 6
    assert Client.objects.count() == before + 6
    ewa = Client.objects.get(given_name="Ewa", family_name="Kowalczyk")
    assert ewa.language == "Polish" and ewa.address == "Flat 3, 9 Mill Lane\nNorthbridge NB1 7HD"
    assert {m.user.full_name for m in ewa.members.all()} == {"Joan Pryce", "Aisha Khan"}
