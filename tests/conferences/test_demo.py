"""The demo's case conferences: the Okafor family's past meeting and the upcoming risk panel."""

import io

from django.core.management import call_command

from circles.models import Client
from conferences.models import AgendaItem, Contribution, DecisionAction, Invitation, Meeting, PackNote
from network.models import User
from tests.conftest import signed_in


def test_the_demo_has_both_meetings_and_sam_reillys_hidden_member_stays_hidden(db):
    call_command("demo_data", stdout=io.StringIO())
    taf = Meeting.objects.get(title__startswith="Okafor family")
    assert taf.minutes_locked and taf.family_summary and taf.starts_at.date() < taf.created_at.date()
    assert DecisionAction.objects.filter(decision__item__meeting=taf).count() == 3
    risk = Meeting.objects.get(title="Northbridge Risk Panel")
    moira = User.objects.get(full_name="Moira Lane")
    assert risk.chair == moira and risk.status == Meeting.Status.SCHEDULED
    bases = dict(risk.items.values_list("client__given_name", "basis"))
    assert bases == {"Jade": "consent", "Harold": "without_consent", "Sam": "consent"}
    assert Invitation.objects.filter(meeting=risk).exclude(answer="").count() >= 4
    assert Contribution.objects.filter(item__meeting=risk, kind="absent_report").exists()
    assert Contribution.objects.filter(item__meeting=risk, kind="agency_report").count() >= 2
    assert PackNote.objects.filter(item__meeting=risk, removed_at=None).count() == 2

    browser = signed_in(moira)
    sam_item = AgendaItem.objects.get(meeting=risk, client=Client.objects.get(given_name="Sam"))
    for url in (f"/meetings/{risk.pk}/", f"/meetings/{risk.pk}/items/{sam_item.pk}/pack/"):
        page = browser.get(url).content.decode()
        assert "Sam Reilly" in page and "Rachel Green" not in page, url
    kate = User.objects.get(full_name="Kate Walsh")  # a standing member, and Sam's lead
    assert signed_in(kate).get(f"/meetings/{risk.pk}/items/{sam_item.pk}/pack/").status_code == 200
