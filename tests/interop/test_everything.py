"""GET /fhir/Patient/<id>/$everything: every kind of record, each resource valid by fhir.resources' R4B models,
linked to each other, with stable ids; and only what the reader may see on the pages."""

import json

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from tests.conftest import signed_in

from .conftest import everything_url

EVERY_TYPE = {
    "Patient",
    "CareTeam",
    "CarePlan",
    "Goal",
    "Consent",
    "QuestionnaireResponse",
    "Observation",
    "Appointment",
    "Encounter",
    "AuditEvent",
}


def everything(user, client) -> dict:
    response = signed_in(user).get(everything_url(client))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    return response.json()


def by_type(bundle: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for entry in bundle["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


def by_id(bundle: dict) -> dict[str, dict]:
    return {f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"] for e in bundle["entry"]}


def test_every_resource_type_appears_and_validates(world):
    bundle = everything(world["alice"], world["grace"])
    resources = by_type(bundle)
    assert set(resources) == EVERY_TYPE
    for kind, rows in resources.items():
        model = get_fhir_model_class(kind)
        for resource in rows:
            parsed = model.model_validate(resource)
            assert parsed.id == resource["id"]
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset"
    assert [e["search"]["mode"] for e in bundle["entry"]][:2] == ["match", "include"]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"].endswith(f"/fhir/{resource['resourceType']}/{resource['id']}")


def test_every_reference_inside_the_bundle_resolves(world):
    bundle = everything(world["alice"], world["grace"])
    known = set(by_id(bundle))
    references = []

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("reference"), str):
                references.append(value["reference"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk([entry["resource"] for entry in bundle["entry"]])
    assert references and set(references) <= known


def test_the_patient_and_the_circle(world):
    grace, alice = world["grace"], world["alice"]
    resources = by_id(everything(alice, grace))
    patient = resources[f"Patient/{grace.public_id}"]
    assert patient["identifier"][0]["value"] == grace.public_id
    assert patient["name"][0]["family"] == "Okafor" and patient["active"] is True
    team = resources[f"CareTeam/circle-{grace.public_id}"]
    people = {p["member"]["display"]: p for p in team["participant"]}
    assert set(people) == {
        "Alice Lead",
        "Bob Same-Org",
        "Carol Other-Org",
        "Dina Hidden",
        "Ama Okafor",
        "Eve Leaver",
    }
    assert people["Alice Lead"]["role"][0]["coding"][0]["code"] == "lead_professional"
    assert people["Carol Other-Org"]["onBehalfOf"]["display"] == "Community Health"
    assert "end" in people["Eve Leaver"]["period"] and "end" not in people["Bob Same-Org"]["period"]
    assert people["Ama Okafor"]["member"]["type"] == "RelatedPerson"
    # The circle sees its hidden member, marked so that a receiving system can keep her hidden too.
    assert people["Dina Hidden"]["extension"][0]["valueBoolean"] is True
    assert team["managingOrganization"][0]["display"] == "Early Help"


def test_the_plan_and_goals_in_the_clients_words(world):
    grace = world["grace"]
    resources = by_type(everything(world["alice"], grace))
    plan, goal = resources["CarePlan"][0], resources["Goal"][0]
    assert goal["id"].startswith("goal-") and {"reference": f"Goal/{goal['id']}"} in plan["goal"]
    assert goal["expressedBy"]["reference"] == f"Patient/{grace.public_id}"
    assert goal["description"]["text"] == "Keep our flat (0)"
    assert any(
        note.get("authorReference", {}).get("reference") == f"Patient/{grace.public_id}"
        for note in goal["note"]
    )
    # The goal addresses "Home" in Wellbeing domains: it points at the team's latest score there.
    latest = world["wellbeing"][-1]
    assert goal["addresses"] == [{"reference": f"Observation/score-{latest.pk}-home"}]
    activities = {a["detail"]["description"]: a["detail"] for a in plan["activity"]}
    assert activities["Ask for a loan"]["status"] == "cancelled"
    assert activities["Ask for a loan"]["statusReason"]["text"] == "Grace chose not to"
    assert activities["Open the post on Mondays"]["performer"] == [
        {"reference": f"Patient/{grace.public_id}", "display": grace.display_name}
    ]
    assert activities["Call the housing office"]["performer"][0]["display"] == "Bob Same-Org"


def test_consents_current_and_withdrawn(world):
    resources = by_type(everything(world["alice"], world["grace"]))
    scopes = {c["category"][1]["coding"][0]["code"]: c for c in resources["Consent"]}
    assert set(scopes) == {"circle", "organisation", "family_portal", "conference"}
    assert scopes["circle"]["status"] == "active"
    portal = scopes["family_portal"]
    assert portal["status"] == "inactive" and "end" in portal["provision"]["period"]
    assert portal["provision"]["actor"][0]["reference"]["display"] == "Ama Okafor"
    assert scopes["organisation"]["provision"]["actor"][0]["reference"]["display"] == "Police"


def test_assessments_as_questionnaire_responses_and_observations(world):
    grace, alice = world["grace"], world["alice"]
    resources = by_id(everything(alice, grace))
    amendment, original = world["amendment"], world["phq9"]
    assert f"QuestionnaireResponse/assessment-{original.pk}" not in resources  # replaced by its amendment
    answer = resources[f"QuestionnaireResponse/assessment-{amendment.pk}"]
    assert answer["status"] == "amended" and answer["item"][0]["answer"][0]["valueInteger"] == 2
    total = resources[f"Observation/score-{amendment.pk}"]
    assert total["valueInteger"] == 18 and total["code"]["coding"][0]["code"] == "44261-6"
    assert total["derivedFrom"] == [{"reference": f"QuestionnaireResponse/assessment-{amendment.pk}"}]
    assert total["effectiveDateTime"].startswith(str(amendment.completed_at.date()))
    wellbeing = world["wellbeing"][0]
    panel = resources[f"Observation/score-{wellbeing.pk}"]
    assert len(panel["hasMember"]) == 8
    home = resources[f"Observation/score-{wellbeing.pk}-home"]
    assert home["valueInteger"] == 3 and home["note"][0]["text"] == "Talked it through together."
    own = [r for r in resources.values() if r["resourceType"] == "QuestionnaireResponse" and "source" in r]
    assert own and own[0]["author"]["reference"] == f"Patient/{grace.public_id}"
    # Never a draft, and never what the reader may not read on the pages (Carol's organisation only).
    assert f"QuestionnaireResponse/assessment-{world['draft'].pk}" not in resources
    assert f"QuestionnaireResponse/assessment-{world['carol_only'][0].pk}" not in resources
    carols = by_id(everything(world["carol"], grace))
    assert f"QuestionnaireResponse/assessment-{world['carol_only'][0].pk}" in carols


def test_meetings_as_appointments_and_encounters(world):
    grace = world["grace"]
    resources = by_type(everything(world["alice"], grace))
    appointments = {a["id"]: a for a in resources["Appointment"]}
    held = appointments[f"agenda-item-{world['held_item'].pk}"]
    assert held["status"] == "fulfilled" and held["reasonCode"] == [{"text": "How it went"}]
    people = {p["actor"]["display"]: p for p in held["participant"]}
    assert people["Moira Lane"]["type"][0]["coding"][0]["code"] == "chair"
    assert "Bob Same-Org" in people and "Dina Hidden" not in people
    upcoming = [a for a in appointments.values() if a["status"] == "booked"]
    assert len(upcoming) == 1
    (encounter,) = resources["Encounter"]
    assert encounter["status"] == "finished" and encounter["appointment"] == [
        {"reference": f"Appointment/{held['id']}"}
    ]
    assert [p["individual"]["display"] for p in encounter["participant"]] == ["Moira Lane", "Bob Same-Org"]


def test_who_looked_is_for_the_lead_only(world):
    grace = world["grace"]
    lead = by_type(everything(world["alice"], grace))
    reads = lead["AuditEvent"]
    assert any(r["agent"][0]["who"]["display"] == "Bob Same-Org, Early Help" for r in reads)
    assert all(r["action"] == "R" for r in reads)
    assert "AuditEvent" not in by_type(everything(world["bob"], grace))


def test_ids_are_stable_between_reads(world):
    first = by_id(everything(world["alice"], world["grace"]))
    second = by_id(everything(world["alice"], world["grace"]))
    assert set(first) - {k for k in first if k.startswith("AuditEvent/")} == set(second) - {
        k for k in second if k.startswith("AuditEvent/")
    }


def test_the_patient_alone(world):
    grace = world["grace"]
    response = signed_in(world["bob"]).get(f"/fhir/Patient/{grace.public_id.lower().replace('-', '')}")
    assert response.status_code == 200
    patient = response.json()
    assert patient["id"] == grace.public_id
    get_fhir_model_class("Patient").model_validate(patient)
    assert json.loads(json.dumps(patient)) == patient
