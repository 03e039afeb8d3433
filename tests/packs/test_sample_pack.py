"""The sample pack in docs/ previews and applies cleanly on the demo data, and the demo has a plan
template of its agency's own, brought in with a pack."""

import io

from django.core.management import call_command

from conferences.models import MeetingType
from network.models import User
from packs import selectors, services
from sharing.models import PlanTemplate
from tests.conftest import signed_in
from tests.packs.conftest import SAMPLE, sample_pack


def test_the_sample_pack_previews_and_applies_cleanly_on_the_demo_data(db):
    call_command("demo_data", stdout=io.StringIO())
    ravi = User.objects.get(full_name="Ravi Patel")  # Early Help's agency admin
    early_help = PlanTemplate.objects.get(name="Early help: money and home")
    assert early_help.organisation == ravi.organisation
    assert MeetingType.objects.get(name="Early help review").organisation == ravi.organisation

    page = signed_in(ravi).post("/organisation/packs/import/", {"file": SAMPLE.open("rb")})
    assert page.status_code == 200
    assert "3 new, 0 changed, 0 unchanged" in page.content.decode()

    applied = services.pack_apply(actor=ravi, pack=sample_pack())
    assert [(i.kind, i.change) for i in applied.items] == [
        ("instrument", "new"),
        ("plan template", "new"),
        ("meeting type", "new"),
    ]
    assert {i.change for i in selectors.pack_preview(actor=ravi, pack=sample_pack()).items} == {"unchanged"}
    # Priya (Early Help) may now start a plan from the pack's template.
    priya = User.objects.get(full_name="Priya Shah")
    assert "Getting back to school plan" in [
        t.name for t in __import__("sharing.selectors", fromlist=["x"]).plan_templates_for(priya)
    ]
