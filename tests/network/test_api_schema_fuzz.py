"""The API answers as its OpenAPI schema says, for requests schemathesis builds from that schema.

Every operation in /api/schema/ is called with generated requests, as Alice (a professional and a panel
chair, signed in with a real API token she made herself), over a small world: Grace's circle (Alice leads
it) with notes, a family member, consent, a plan with a goal, an action and an agreed version, a waiting
join request, a card on the board, a referral, a handover offered to Bob; a meeting
Alice chairs with Grace on its agenda; and Olu, a client whose circle Alice is not in. Path parameters are the world's real ids half the time
(so the operations do their work) and generated the other half (unknown or malformed ids).

Each response must: not be a 5xx; have a status code the schema lists; have a body and a content type
that match the schema for that status; and a request the schema says is valid must not be refused as
invalid (400), only for the state it meets (404, 409, 412…) — or for one of the few rules a schema cannot
state (SCHEMA_CANNOT_SAY). Bounded for CI: a fixed number of derandomized examples per operation, each
operation in its own test with its own database.
"""

import datetime
import json
from typing import Any

import pytest
import schemathesis
from django.test.client import ClientHandler
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.models import Instrument
from board import services as board_services
from board.models import Column, WorryKind
from circles.models import CircleMember, Consent, JoinRequest
from circles.services import join_request_create
from conferences import services as conference_services
from conferences.models import MeetingType
from importing import services as import_services
from network.models import User
from referrals import handovers
from referrals import services as referral_services
from sharing import services as sharing_services
from subject_access import services as subject_access_services
from tests.conftest import built_once, the_cast
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    FamilyMemberFactory,
    MemberFactory,
    OrganisationFactory,
    UserFactory,
    api_key_for,
)

EXAMPLES_PER_OPERATION = 25


def _schema_document() -> dict[str, Any]:
    # The same document /api/schema/?format=json serves, built without a request so that the operations
    # can be listed when the tests are collected.
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


SCHEMA = schemathesis.openapi.from_dict(
    _schema_document(),
    config=schemathesis.Config.from_dict(
        # A request can be valid and still fail for the state it meets: a version since overtaken (412).
        {
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "412"]}
            }
        }
    ),
)
OPERATIONS = [operation for methods in SCHEMA.values() for operation in methods.values()]

# Fields whose rules depend on the data, the date or another field, which a JSON schema cannot state (each
# field's description in the schema says them): a 400 naming only these is the API doing its job.
SCHEMA_CANNOT_SAY = {
    # Not in the future.
    "POST /api/v1/clients/": {"date_of_birth"},
    # A professional is someone in the directory (user_id) with a professional role; a family member has
    # a name and a family role.
    "POST /api/v1/clients/{public_id}/members/": {"user_id", "name", "role"},
    # The organisation or family member the scope needs, existing; dates not in the future, in order.
    "POST /api/v1/clients/{public_id}/consents/": {"organisation", "family_member", "given_on", "expires_on"},
    # People who exist, and at least one when the note is for named people only.
    # …and an assessment of this client's that the writer can see.
    "POST /api/v1/clients/{public_id}/notes/": {"named_people", "assessment"},
    "PATCH /api/v1/clients/{public_id}/notes/{note_id}/": {"named_people"},
    # Members of this circle; a plan's dates within 20 years of today.
    "POST /api/v1/clients/{public_id}/plan/agreements/": {"participant_member_ids"},
    "POST /api/v1/clients/{public_id}/plan/goals/": {"review_on"},
    "PATCH /api/v1/clients/{public_id}/plan/goals/{goal_id}/": {"review_on"},
    "POST /api/v1/clients/{public_id}/plan/goals/{goal_id}/actions/": {"owner_member_id", "due_on"},
    "PATCH /api/v1/clients/{public_id}/plan/actions/{action_id}/": {"owner_member_id", "due_on"},
    # Hiding someone needs a reason.
    "POST /api/v1/clients/{public_id}/members/{member_id}/hidden/": {"reason"},
    # An instrument in use; people who exist, and at least one when it is for named people only.
    "POST /api/v1/clients/{public_id}/assessments/": {"instrument", "named_people"},
    # A worry has a kind; nothing else does.
    "POST /api/v1/clients/{public_id}/board/cards/": {"kind"},
    # A column to move to or a direction to move in (one of the two, said of the request as a whole); a
    # worry's kind.
    "POST /api/v1/clients/{public_id}/board/cards/{card_id}/move/": {"non_field_errors", "kind"},
    # Notes about this client that the asker can read.
    "POST /api/v1/clients/{public_id}/board/cards/{card_id}/link/": {"evidence_note_ids"},
    # A professional in this circle.
    "POST /api/v1/clients/{public_id}/handovers/": {"to_member"},
    # Closing the case needs an outcome.
    "POST /api/v1/clients/{public_id}/stage/": {"outcome"},
    # A meeting type and a panel that exist; in the future; a place unless there is a video link.
    "POST /api/v1/meetings/": {"type", "panel", "starts_at", "place"},
    # A client who exists, on the agenda; someone invited to this meeting; a next review date unless the
    # case is to close.
    "POST /api/v1/meetings/{meeting_id}/agenda/": {"client"},
    "POST /api/v1/meetings/{meeting_id}/attendance/": {"invitation"},
    # A next review date unless the case is to close; closing the case needs that decision recorded first.
    "POST /api/v1/meetings/{meeting_id}/items/{item_id}/close/": {"next_review_on", "close_case"},
    # An agreed action's owner is a member of the client's circle.
    "POST /api/v1/meetings/{meeting_id}/items/{item_id}/decisions/": {"actions"},
    # One of the client's notes that the asker can read.
    "POST /api/v1/meetings/{meeting_id}/items/{item_id}/pack-notes/": {"note"},
    # What a step needs depends on the step (the path): each field's description names its steps. A
    # worker in the organisation; first contact not in the future.
    "POST /api/v1/referrals/{referral_id}/{step}/": {
        "worker",
        "reason",
        "suggestion",
        "question",
        "answer",
        "on",
        "outcome",
        "note",
    },
    # A template the caller may use (shipped, or their agency's).
    "POST /api/v1/clients/{public_id}/plan/from-template/": {"template_id"},
    # A pack is checked in full, by the apps that own its parts (docs/packs.md): its problems are under
    # "pack", by their path in it.
    "POST /api/v1/packs/preview/": {"pack"},
    "POST /api/v1/packs/apply/": {"pack"},
    # Another organisation that exists, which the client has agreed to share information with.
    "POST /api/v1/referrals/": {"to_organisation", "consent"},
    # A CSV file of clients whose every row is right (its columns, dates, people in the directory).
    "POST /api/v1/imports/": {"file"},
}


def valid_data_is_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's positive_data_acceptance, but for a 400 that names only SCHEMA_CANNOT_SAY fields."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        fields = set(response.json()) if response.status_code == 400 else {"(not a 400)"}
        if fields <= SCHEMA_CANNOT_SAY.get(case.operation.label, set()):
            return None
        raise


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    valid_data_is_accepted,
]


def django_wsgi_app() -> Any:
    """Django as a WSGI app, through the test client's handler, which keeps the test's database
    connection (and its transaction) open across requests."""
    handler = ClientHandler(enforce_csrf_checks=True)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        response = handler(environ)
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response

    return app


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Grace's circle, fully furnished; a meeting about her; and Olu's circle, which Alice is not in: the
    real ids of each. Built once per module; each test starts from it as if it were new (`built_once`)."""
    with built_once(django_db_blocker, lambda: _build_world(**the_cast())) as built:
        yield built


def _build_world(*, alice, bob, carol, charlie, grace, **_others) -> dict[str, Any]:
    family = FamilyMemberFactory(client=grace, name="Ada Okafor")
    ConsentFactory(
        client=grace,
        recorded_by=alice,
        scope=Consent.Scope.FAMILY_PORTAL,
        family_member=family,
        given_by="Grace Okafor",
    )
    note = sharing_services.note_create(actor=alice, client=grace, text="Grace moved in with her aunt")
    sharing_services.note_create(actor=carol, client=grace, text="Health visit on Tuesday")
    goal = sharing_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    bobs_membership = CircleMember.objects.get(client=grace, user=bob, until=None)
    action = sharing_services.action_add(
        actor=alice, goal=goal, what="Call the housing officer", owner=bobs_membership
    )
    agreement = sharing_services.plan_agree(actor=alice, client=grace, participants=[bobs_membership])
    olu = ClientFactory(given_name="Olu", family_name="Bello")
    MemberFactory(client=olu, user=charlie, is_lead=True, role=CircleMember.Role.LEAD_PROFESSIONAL)
    join_request = join_request_create(
        actor=charlie, client=grace, reason="I am Grace's police liaison", role=CircleMember.Role.KEY_WORKER
    )
    assert join_request.status == JoinRequest.Status.PENDING
    card = board_services.card_add(
        actor=alice, client=grace, column=Column.WORRY, text="Rent arrears", kind=WorryKind.HARM
    )
    instrument = Instrument.objects.filter(is_active=True).order_by("code").first()
    assert instrument is not None  # the shipped instruments, from their data migration
    housing = OrganisationFactory(name="Riverside Housing", kind="housing")
    ConsentFactory(
        client=grace,
        scope=Consent.Scope.ORGANISATION,
        organisation=housing,
        recorded_by=alice,
        given_by="Grace Okafor",
    )
    referral = referral_services.referral_create(
        actor=alice,
        client=grace,
        to_organisation=housing,
        service="Tenancy support",
        asked="Help with the arrears",
        reason="Rent arrears since March",
    )
    handover = handovers.handover_offer(
        actor=alice, client=grace, to_member=bobs_membership, summary="Bob knows the family best"
    )
    alice.org_role = User.OrgRole.PANEL_CHAIR
    alice.save(update_fields=["org_role"])
    panel = conference_services.panel_create(actor=alice, name="Northbridge Risk Panel")
    meeting = conference_services.meeting_create(
        actor=alice,
        type=MeetingType.objects.get(name="Risk panel"),
        title="Risk panel, December",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        panel=panel,
        place="Town Hall, room 2",
    )
    ConsentFactory(client=grace, scope=Consent.Scope.CONFERENCE, recorded_by=alice, given_by="Grace Okafor")
    item = conference_services.agenda_item_add(
        actor=alice, meeting=meeting, client=grace, reason="Worries about the tenancy"
    )
    # Configuration packs, imports and subject access exports are for agency admins: Alice's agency's, Ada,
    # calls those operations, with a checked file to import and an export of Grace's (Alice, a panel chair
    # here, would only ever be refused).
    ada = UserFactory(full_name="Ada Admin", organisation=alice.organisation, org_role=User.OrgRole.ADMIN)
    job, _checked = import_services.import_check(
        actor=ada,
        file_name="clients.csv",
        content=b"given_name,family_name,lead_email\nRuth,Okafor,bob@example.org\n",
    )
    export, _new = subject_access_services.export_start(actor=ada, client=grace)
    subject_access_services.export_build(export.pk)
    return {
        "headers": {"Authorization": f"Token {api_key_for(alice)}"},
        "admin_headers": {"Authorization": f"Token {api_key_for(ada)}"},
        "grace": {
            "public_id": grace.public_id,
            "member_id": bobs_membership.pk,
            "note_id": note.pk,
            "goal_id": goal.pk,
            "action_id": action.pk,
            "item_id": goal.pk,
            "kind": "goals",
            "agreement_id": agreement.pk,
            "consent_id": Consent.objects.get(client=grace, scope=Consent.Scope.CIRCLE).pk,
            "request_id": join_request.pk,
            "card_id": card.pk,
            "code": instrument.code,
            "referral_id": referral.pk,
            "handover_id": handover.pk,
            "import_id": job.pk,
            "export_id": export.pk,
        },
        # An agenda item's id is an item_id too, beside a plan item's.
        "meeting": {"meeting_id": meeting.pk, "item_id": item.pk, "note_id": note.pk},
        "olu": {"public_id": olu.public_id},
    }


# Operations only an agency admin may call: called with Ada's token.
FOR_AGENCY_ADMINS = ("/api/v1/packs/", "/api/v1/imports/")


def requests_for(operation: Any, world: dict[str, Any]) -> st.SearchStrategy:
    """Requests for `operation`: at the world's real ids (Grace's record, the meeting, or Olu's record) or at
    generated ones."""
    names = {parameter.name for parameter in operation.path_parameters}
    strategies = [operation.as_strategy()]
    for ids in (world["grace"], world["meeting"], world["olu"]):
        known = {name: value for name, value in ids.items() if name in names}
        if known:
            strategies.append(operation.as_strategy(path_parameters=known))
    return st.one_of(strategies)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_the_api_answers_as_its_schema_says(operation, world, db):
    app = django_wsgi_app()
    # Set here, not in the test below: Hypothesis derives its derandomized examples from that function's source.
    if operation.path.startswith(FOR_AGENCY_ADMINS) or "/subject-access-exports/" in operation.path:
        world = {**world, "headers": world["admin_headers"]}

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=requests_for(operation, world))
    def answers_as_documented(case: Any) -> None:
        case.call_and_validate(app=app, headers=world["headers"], checks=CHECKS)

    answers_as_documented()
