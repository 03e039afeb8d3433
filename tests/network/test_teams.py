"""Teams: an agency admin adds them and puts their people in them, on the people page; audited."""

from django.urls import reverse

from audit.models import AuditEvent
from network.models import Team, User
from tests.conftest import signed_in
from tests.factories import UserFactory


def test_an_admin_adds_a_team_and_puts_someone_in_it(early_help, bob):
    admin = UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN)
    page = signed_in(admin)
    page.post(reverse("network:team_add"), {"name": "Families North"})
    team = Team.objects.get(organisation=early_help, name="Families North")
    page.post(reverse("network:person_update", args=[bob.pk]), {"team": team.pk})
    bob.refresh_from_db()
    assert bob.team == team
    assert "Families North" in page.get(reverse("network:people")).content.decode()
    assert AuditEvent.objects.filter(action="team.create").exists()
    update = AuditEvent.objects.filter(action="professional.update").latest("pk")
    assert update.after["team_id"] == team.pk
    page.post(reverse("network:person_update", args=[bob.pk]), {"team": ""})
    bob.refresh_from_db()
    assert bob.team is None


def test_a_team_of_another_organisation_or_a_name_taken_is_refused(early_help, police, bob):
    admin = UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN)
    theirs = Team.objects.create(organisation=police, name="Response")
    page = signed_in(admin)
    for chosen in (theirs.pk, "nonsense", "9" * 30):
        page.post(reverse("network:person_update", args=[bob.pk]), {"team": chosen})
        bob.refresh_from_db()
        assert bob.team is None
    Team.objects.create(organisation=early_help, name="North")
    page.post(reverse("network:team_add"), {"name": "north"})
    page.post(reverse("network:team_add"), {"name": "   "})
    assert Team.objects.filter(organisation=early_help).count() == 1


def test_only_admins_add_teams(early_help, alice):
    assert signed_in(alice).post(reverse("network:team_add"), {"name": "X"}).status_code == 403
    assert not Team.objects.exists()
