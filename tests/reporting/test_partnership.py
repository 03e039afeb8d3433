"""The partnership view: organisations that agreed, small counts hidden, the rest rounded (no differencing)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from circles.models import CircleMember
from network.models import User
from reporting import services
from reporting.models import Partnership, PartnershipMember
from reporting.tables import FEWER, Count, Median, Share, publish_cell
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, MemberFactory, UserFactory


@pytest.mark.parametrize(
    "cell, shown",
    [
        (Count(0), "0"),
        (Count(1), FEWER),
        (Count(4), FEWER),
        (Count(5), "5"),
        (Count(7), "5"),
        (Count(8), "10"),
        (Count(12), "10"),
        (Count(13), "15"),
        (Share(3, 40), FEWER),  # the part is small
        (Share(37, 40), FEWER),  # the rest is small
        (Share(20, 40), "50%"),
        (Median((1.0, 2.0, 3.0, 4.0)), FEWER),
        (Median((1.0, 2.0, 3.0, 4.0, 5.0)), "3"),
    ],
)
def test_protected_cells(cell, shown):
    assert publish_cell(cell, protect=True).text == shown


def test_an_organisations_own_view_shows_every_figure():
    assert publish_cell(Count(3), protect=False).text == "3"
    assert publish_cell(Share(3, 40), protect=False).text == "8%"


@pytest.fixture
def lead(db, police):
    return UserFactory(
        full_name="Lee Partnership", organisation=police, org_role=User.OrgRole.PARTNERSHIP_LEAD
    )


@pytest.fixture
def partnership(lead, early_help, teams):
    partnership = Partnership.objects.create(name="Northbridge Together")
    partnership.leads.add(lead)
    admin = UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN)
    services.partnership_join(actor=admin, partnership=partnership)
    return partnership


def _caseload(response):
    tables = {chart["table"].key: chart["table"] for chart in response.context["charts"]}
    return {row[0].text: row[1].text for row in tables["caseload-teams"].rows}


def test_small_counts_are_hidden_and_totals_cannot_give_them_away(partnership, lead, early_help, teams):
    north = UserFactory(organisation=early_help, team=teams["north"])
    south = UserFactory(organisation=early_help, team=teams["south"])
    for _ in range(9):
        MemberFactory(client=ClientFactory(), user=north)
    for _ in range(3):
        MemberFactory(client=ClientFactory(), user=south)
    response = signed_in(lead).get(reverse("reporting:partnership", args=[partnership.pk]))
    assert response.status_code == 200
    # 9 → 10, 3 hidden, 12 in all → 10: taking 10 from 10 says nothing of the 3.
    assert _caseload(response) == {
        "Families North": "10",
        "Families South": FEWER,
        "All teams (each client once)": "10",
    }
    content = response.content.decode()
    assert "Caseload by organisation" in content and "Caseload by worker" not in content
    csv = signed_in(lead).get(reverse("reporting:partnership_csv", args=[partnership.pk, "caseload-teams"]))
    body = b"".join(csv.streaming_content).decode()
    assert f"Families South,{FEWER}" in body and ",3" not in body
    api = api_as(lead).get(reverse("api:reporting_partnership_dashboard", args=[partnership.pk]))
    teams_json = next(t for t in api.json()["tables"] if t["key"] == "caseload-teams")
    assert teams_json["rows"] == [
        ["Families North", 10],
        ["Families South", FEWER],
        ["All teams (each client once)", 10],
    ]
    assert api.json()["protected"] is True


def test_only_organisations_that_agree_are_counted(partnership, lead, early_help, health):
    worker = UserFactory(organisation=health)
    for _ in range(6):
        MemberFactory(client=ClientFactory(), user=worker, role=CircleMember.Role.NURSE)
    page = signed_in(lead)
    url = reverse("reporting:partnership", args=[partnership.pk])
    assert health.name not in _caseload(page.get(url))
    admin = UserFactory(organisation=health, org_role=User.OrgRole.ADMIN)
    signed_in(admin).post(reverse("reporting:partnerships"), {"partnership": partnership.pk, "agree": "yes"})
    assert PartnershipMember.objects.filter(organisation=health, until=None).exists()
    tables = {c["table"].key: c["table"] for c in page.get(url).context["charts"]}
    by_org = {row[0].text: row[1].text for row in tables["caseload-organisations"].rows}
    assert by_org[health.name] == "5"  # 6, rounded
    assert page.get(url, {"organisation": health.pk}).status_code == 200
    signed_in(admin).post(reverse("reporting:partnerships"), {"partnership": partnership.pk, "agree": "no"})
    assert page.get(url, {"organisation": health.pk}).status_code == 400  # no longer a choice
    assert list(
        AuditEvent.objects.filter(action__startswith="partnership.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["partnership.join", "partnership.join", "partnership.leave"]


def test_agreeing_twice_is_refused_and_changes_nothing(partnership, early_help):
    admin = UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN)
    response = signed_in(admin).post(
        reverse("reporting:partnerships"), {"partnership": partnership.pk, "agree": "yes"}
    )
    assert response.status_code == 302
    assert PartnershipMember.objects.filter(organisation=early_help).count() == 1


def test_a_lead_sees_only_partnerships_they_lead(partnership, police):
    other = UserFactory(organisation=police, org_role=User.OrgRole.PARTNERSHIP_LEAD)
    assert signed_in(other).get(reverse("reporting:partnership", args=[partnership.pk])).status_code == 404
    assert signed_in(other).get(reverse("reporting:dashboard")).status_code == 200  # "you lead none yet"


def test_a_lead_of_one_partnership_goes_straight_to_it(partnership, lead):
    response = signed_in(lead).get(reverse("reporting:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:partnership", args=[partnership.pk])
