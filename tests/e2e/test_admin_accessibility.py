"""axe-core on an agency admin's and a manager's pages, at a phone's width: Your organisation, people, the
dashboard, imports, packs, subject access exports and partnerships (with something on each)."""

import pytest
from django.urls import reverse

from importing import services as import_services
from network.models import User
from subject_access import services as subject_access_services
from tests.e2e.test_portal_accessibility import check, signed_in_context
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_admin_pages_have_no_serious_accessibility_problems(browser, server, alice, grace):
    admin = UserFactory(full_name="Ravi Admin", organisation=alice.organisation, org_role=User.OrgRole.ADMIN)
    job, _checked = import_services.import_check(
        actor=admin,
        file_name="clients.csv",
        content=b"given_name,family_name,lead_email\nRuth,Okafor,alice@example.org\n",
    )
    export, _new = subject_access_services.export_start(actor=admin, client=grace)
    context = signed_in_context(browser, server, admin)
    page = context.new_page()
    for path in (
        reverse("network:organisation"),
        reverse("network:people"),
        reverse("reporting:dashboard"),
        reverse("importing:imports"),
        reverse("importing:job", args=[job.pk]),
        reverse("packs:home"),
        reverse("subject_access:exports"),
        reverse("subject_access:export", args=[export.pk]),
        reverse("reporting:partnerships"),
    ):
        check(page, server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    context.close()
