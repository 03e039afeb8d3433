"""An agency admin's "Your organisation" page: one place for each task of looking after it, linked from the
navigation instead of seven links of its own."""

import pytest
from django.urls import reverse

from network.models import User
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_admin_finds_each_task_from_one_link(early_help):
    admin = UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN)
    browser = signed_in(admin)
    home = browser.get(reverse("circles:my_clients")).content.decode()
    assert 'href="/organisation/">Your organisation</a>' in home
    page = browser.get(reverse("network:organisation")).content.decode()
    assert '<h1 class="govuk-heading-l">Early Help</h1>' in page
    for name in (
        "network:people",
        "instruments:list",
        "packs:home",
        "importing:imports",
        "subject_access:exports",
        "reporting:partnerships",
        "reporting:dashboard",
        "caseload",
    ):
        assert f'href="{reverse(name)}"' in page, name


def test_a_practitioner_has_no_such_link_and_no_such_page(alice):
    browser = signed_in(alice)
    assert "Your organisation" not in browser.get(reverse("circles:my_clients")).content.decode()
    assert browser.get(reverse("network:organisation")).status_code == 403
