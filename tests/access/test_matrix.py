"""The authorization matrix: every named route of ours × every role in the cast has an expected answer.

The routes come from the URL configuration itself, so a new route without an entry here fails
`test_every_route_has_an_entry`. Third-party routes (django-allauth's sign-in pages, the Django admin)
are exempt: their own projects test them, and our access rules do not change them.
"""

import pytest
from django.urls import get_resolver, reverse

from assessments import services as assessment_services
from assessments.models import Instrument
from board import services as board_services
from circles.models import CircleMember, JoinRequest, PortalAccess
from importing import services as import_services
from network.models import User
from network.services import api_token_create
from portal.models import Invitation
from referrals import handovers
from referrals import services as referral_services
from referrals.models import InboxMember
from reporting.models import Partnership, PartnershipMember
from sharing import services as plan_services
from subject_access import services as subject_access_services
from tests.conftest import built_once, the_cast
from tests.factories import ConsentFactory, FamilyMemberFactory, NoteFactory, UserFactory

ROLES = [
    "anonymous",
    "lead",
    "member",
    "other_org_member",
    "outsider",
    "manager",
    "agency_admin",
    "panel_chair",
    "partnership_lead",
    "site_admin",
    "client",
    "family_with_consent",
    "family_without_consent",
]
PORTAL = ("client", "family_with_consent", "family_without_consent")
IN_CIRCLE = ("lead", "member", "other_org_member")
DISCOVERERS = ("outsider", "manager", "agency_admin")
NO_DISCOVERY = ("panel_chair", "partnership_lead", "site_admin")


def profile(*, anonymous, portal, default, **roles):
    """An expected answer for every role: `default` unless named, `portal` for client and family."""
    answers = {role: default for role in ROLES}
    answers["anonymous"] = anonymous
    answers.update({role: portal for role in PORTAL})
    for role, answer in roles.items():
        answers[role] = answer
    return answers


def page(default, **roles):
    return profile(anonymous=302, portal=403, default=default, **roles)


def api(default, **roles):
    return profile(anonymous=403, portal=403, default=default, **roles)


def each(roles, answer):
    return dict.fromkeys(roles, answer)


# Who may open the record (members) / look the client up (discoverers) / manage the circle (lead).
VIEW = {**each(IN_CIRCLE, 200)}
DISCOVER = {**each(IN_CIRCLE, 200), **each(DISCOVERERS, 200)}
MANAGE = {"lead": 200, **each(("member", "other_org_member"), 403)}


def with_status(answers, status):
    return {role: (status if answer == 200 else answer) for role, answer in answers.items()}


# The portal is for clients and families with access (a family member needs the client's consent).
PORTAL_PAGE = {
    **profile(anonymous=302, portal=404, default=403),
    "client": 200,
    "family_with_consent": 200,
}


# A referral's answer that would be accepted, so the matrix shows who may give it.
DECLINE = {"reason": "No places until spring."}
# A case conference about Grace, chaired by the panel chair: Grace's circle is invited, and the outsider
# is a standing member of the panel (need to know: the meeting and Grace's pack, nothing of her record).
IN_MEETING = {**each(IN_CIRCLE, 200), "outsider": 200, "panel_chair": 200}
INVITEES = (*IN_CIRCLE, "outsider")
CHAIR_ONLY = {**each(INVITEES, 403), "panel_chair": 200}


def meeting_page(answers, **roles):
    return page(404, **answers, **roles)


def meeting_api(answers, **roles):
    return api(404, **answers, **roles)


# (route name, method) -> (URL kwargs key, request data, expected answers)
MATRIX = {
    ("home", "get"): (None, None, profile(anonymous=302, portal=302, default=302)),
    ("healthz", "get"): (None, None, profile(anonymous=200, portal=200, default=200)),
    # The API's schema and docs are for the professionals who may use the API (alongside/settings.py says why).
    ("api_schema", "get"): (None, None, api(200)),
    ("api_docs", "get"): (None, None, api(200)),
    ("notifications", "get"): (None, None, profile(anonymous=302, portal=200, default=200)),
    ("notifications_read", "post"): (None, {}, profile(anonymous=302, portal=302, default=302)),
    # Client pages.
    ("circles:my_clients", "get"): (None, None, page(200)),
    ("circles:search", "get"): (None, None, page(200)),
    ("circles:client_add", "get"): (None, None, page(200)),
    ("circles:client", "get"): ("client", None, page(404, **DISCOVER)),
    ("circles:truth", "get"): ("client", None, page(404, **VIEW)),
    ("circles:circle_panel", "get"): ("client", None, page(404, **VIEW)),
    ("circles:member_add", "get"): ("client", None, page(404, **MANAGE)),
    ("circles:member_remove", "get"): ("member", None, page(404, **MANAGE)),
    ("circles:member_remove", "post"): ("member", {}, page(404, **with_status(MANAGE, 302))),
    ("circles:member_make_lead", "post"): ("member", {}, page(404, **with_status(MANAGE, 302))),
    ("circles:member_hide", "get"): ("member", None, page(404, **MANAGE)),
    ("circles:member_hide", "post"): ("member", {}, page(404, **with_status(MANAGE, 400))),
    ("circles:join_request_new", "get"): (
        "client",
        None,
        page(404, **each(IN_CIRCLE, 302), **each(DISCOVERERS, 200)),
    ),
    ("circles:join_requests_panel", "get"): ("client", None, page(404, **VIEW)),
    ("circles:join_request_decide", "post"): ("request", {}, page(404, **with_status(MANAGE, 302))),
    ("circles:consent_new", "get"): ("client", None, page(404, **MANAGE)),
    ("circles:consent_withdraw", "get"): ("consent", None, page(404, **MANAGE)),
    ("circles:consent_withdraw", "post"): ("consent", {}, page(404, **with_status(MANAGE, 302))),
    # Only practitioners proper may break the glass; managers and admins are sent back to the client.
    ("circles:emergency_access", "get"): (
        "client",
        None,
        page(404, **each(IN_CIRCLE, 302), outsider=200, manager=302, agency_admin=302),
    ),
    ("circles:stage_panel", "get"): ("client", None, page(404, **VIEW)),
    ("circles:stage_change", "get"): ("client", None, page(404, **MANAGE)),
    ("circles:stage_change", "post"): ("client", {}, page(404, **with_status(MANAGE, 400))),
    ("circles:reopen", "get"): ("client", None, page(404, **MANAGE)),
    ("circles:reopen", "post"): ("client", {}, page(404, **with_status(MANAGE, 400))),
    ("circles:audit_export", "get"): ("client", None, page(404, agency_admin=200)),
    ("circles:timeline", "get"): ("client", None, page(404, **VIEW)),
    ("circles:note_add", "get"): ("client", None, page(404, **VIEW)),
    ("circles:note_add", "post"): ("client", {}, page(404, **with_status(VIEW, 400))),
    ("circles:note", "get"): ("note", None, page(404, **VIEW)),
    ("circles:note_visibility", "get"): ("note", None, page(404, lead=200)),
    # The plan.
    ("plan:plan", "get"): ("client", None, page(404, **VIEW)),
    ("plan:goal_add", "get"): ("client", None, page(404, **VIEW)),
    ("plan:goal_add", "post"): ("client", {}, page(404, **VIEW)),
    ("plan:goal", "get"): ("goal", None, page(404, **VIEW)),
    ("plan:goal_edit", "get"): ("goal", None, page(404, **VIEW)),
    ("plan:goal_edit", "post"): ("goal", {}, page(404, **VIEW)),
    ("plan:goal_address", "get"): ("goal", None, page(404, **VIEW)),
    ("plan:goal_address", "post"): ("goal", {}, page(404, **with_status(VIEW, 302))),
    ("plan:action_add", "get"): ("goal", None, page(404, **VIEW)),
    ("plan:action_add", "post"): ("goal", {}, page(404, **VIEW)),
    ("plan:action_edit", "get"): ("action", None, page(404, **VIEW)),
    ("plan:action_status", "post"): ("action", {}, page(404, **with_status(VIEW, 302))),
    ("plan:item_remove", "get"): ("goal_item", None, page(404, **VIEW)),
    ("plan:item_move", "post"): ("goal_item", {}, page(404, **with_status(VIEW, 302))),
    ("plan:item_history", "get"): ("goal_item", None, page(404, **VIEW)),
    ("plan:from_template", "get"): ("client", None, page(404, **MANAGE)),
    # No template chosen: the lead is asked to choose one.
    ("plan:from_template", "post"): ("client", {}, page(404, **with_status(MANAGE, 400))),
    ("plan:agree", "get"): ("client", None, page(404, **MANAGE)),
    ("plan:agreement", "get"): ("agreement", None, page(404, **VIEW)),
    ("my_actions", "get"): (None, None, page(200)),
    # The board.
    ("board:board", "get"): ("client", None, page(404, **VIEW)),
    ("board:card", "get"): ("card", None, page(404, **VIEW)),
    ("board:card_add", "post"): ("client", {}, page(404, **with_status(VIEW, 400))),
    ("board:card_edit", "get"): ("card", None, page(404, **VIEW)),
    ("board:card_edit", "post"): ("card", {}, page(404, **VIEW)),
    ("board:card_move", "post"): ("card", {}, page(404, **with_status(VIEW, 400))),
    ("board:card_close", "get"): ("card", None, page(404, **VIEW)),
    ("board:card_close", "post"): ("card", {}, page(404, **with_status(VIEW, 400))),
    ("board:card_to_plan", "post"): ("card", {}, page(404, **with_status(VIEW, 302))),
    ("board:card_link", "get"): ("card", None, page(404, **VIEW)),
    ("board:card_link", "post"): ("card", {}, page(404, **with_status(VIEW, 400))),
    ("board:card_history", "get"): ("card", None, page(404, **VIEW)),
    ("board:scale_add", "post"): ("client", {}, page(404, **with_status(VIEW, 400))),
    ("board:scales", "get"): ("client", None, page(404, **VIEW)),
    # Assessments: the circle completes them; a draft is its author's (the lead's here) only.
    ("assessments:summary", "get"): ("client", None, page(404, **VIEW)),
    ("assessments:ask", "get"): ("client", None, page(404, **VIEW)),
    ("assessments:ask", "post"): ("client", {}, page(404, **with_status(VIEW, 400))),
    ("assessments:start", "get"): ("client", None, page(404, **VIEW)),
    ("assessments:start", "post"): ("client", {}, page(404, **with_status(VIEW, 400))),
    ("assessments:detail", "get"): ("assessment", None, page(404, **VIEW)),
    ("assessments:edit", "get"): ("draft", None, page(404, lead=200)),
    ("assessments:edit", "post"): ("draft", {}, page(404, lead=400)),
    ("assessments:draft", "post"): ("draft", {}, page(404, lead=200)),
    # A draft is its author's (the lead's) only: nobody else can see it, so nobody else can discard it.
    ("assessments:discard", "get"): ("draft", None, page(404, lead=200)),
    ("assessments:discard", "post"): ("draft", {}, page(404, lead=302)),
    ("assessments:amend", "get"): ("assessment", None, page(404, **{**with_status(VIEW, 403), "lead": 200})),
    ("assessments:amend", "post"): ("assessment", {}, page(404, **{**with_status(VIEW, 403), "lead": 400})),
    ("assessments:chart", "get"): ("instrument", None, page(404, **VIEW)),
    # The portal, and the lead's invitations to it.
    ("portal:home", "get"): (None, None, PORTAL_PAGE),
    ("portal:people", "get"): (None, None, PORTAL_PAGE),
    ("portal:shared", "get"): (None, None, PORTAL_PAGE),
    ("portal:board", "get"): (None, None, PORTAL_PAGE),
    ("portal:card_add", "post"): (None, {}, {**PORTAL_PAGE, "client": 302, "family_with_consent": 302}),
    ("portal:scale_add", "post"): (None, {}, {**PORTAL_PAGE, "client": 302, "family_with_consent": 302}),
    ("portal:action_done", "post"): (
        "portal_action",
        {},
        {**PORTAL_PAGE, "client": 302, "family_with_consent": 404},
    ),
    ("portal:comment_add", "post"): (
        "portal_goal",
        {},
        {**PORTAL_PAGE, "client": 302, "family_with_consent": 404},
    ),
    ("portal:ratings", "get"): (None, None, PORTAL_PAGE),
    ("portal:rate", "get"): ("self_rating", None, {**PORTAL_PAGE, "family_with_consent": 404}),
    ("portal:rate", "post"): ("self_rating", {}, {**PORTAL_PAGE, "client": 400, "family_with_consent": 404}),
    ("portal:accept", "get"): ("invitation", None, profile(anonymous=200, portal=200, default=200)),
    ("portal:invite", "get"): ("client", None, page(404, **MANAGE)),
    ("portal:invite_revoke", "post"): ("invitation_id", {}, page(404, **with_status(MANAGE, 302))),
    # Case conferences: a chair's home page, the live meeting, packs (need to know), minutes.
    ("conferences:my_meetings", "get"): (None, None, page(200)),
    ("conferences:meeting_new", "get"): (None, None, page(403, panel_chair=200)),
    ("conferences:meeting_new", "post"): (None, {}, page(403, panel_chair=400)),
    ("conferences:meeting", "get"): ("meeting", None, meeting_page(IN_MEETING)),
    ("conferences:item", "get"): ("meeting_item", None, meeting_page(IN_MEETING)),
    ("conferences:pack", "get"): ("meeting_item", None, meeting_page(IN_MEETING)),
    ("conferences:contribute", "get"): ("meeting_item", None, meeting_page(IN_MEETING)),
    ("conferences:contribute", "post"): ("meeting_item", {}, meeting_page(with_status(IN_MEETING, 400))),
    ("conferences:minutes", "get"): ("meeting", None, meeting_page(IN_MEETING)),
    # Choosing notes for the pack: the client's circle only (the chair and standing members read the pack).
    ("conferences:pack_notes", "get"): ("meeting_item", None, page(404, **VIEW)),
    ("conferences:pack_notes", "post"): ("meeting_item", {}, page(404, **with_status(VIEW, 400))),
    ("conferences:agenda_add", "get"): ("meeting", None, meeting_page(CHAIR_ONLY)),
    ("conferences:agenda_add", "post"): ("meeting", {}, meeting_page(with_status(CHAIR_ONLY, 400))),
    # A circle's lead puts their own client on a meeting's agenda from the client page.
    ("conferences:agenda_for_client", "get"): ("client", None, page(404, **MANAGE)),
    ("conferences:agenda_for_client", "post"): ("client", {}, page(404, **with_status(MANAGE, 400))),
    ("conferences:open", "post"): ("meeting", {}, meeting_page(with_status(CHAIR_ONLY, 302))),
    ("conferences:end", "post"): ("meeting", {}, meeting_page(with_status(CHAIR_ONLY, 302))),
    ("conferences:item_move", "post"): ("meeting_item", {}, meeting_page(with_status(CHAIR_ONLY, 302))),
    ("conferences:attendance", "post"): ("meeting", {}, meeting_page(with_status(CHAIR_ONLY, 302))),
    # Without the version the minutes were opened at, the chair is asked to reload (nothing is saved).
    ("conferences:minutes_edit", "post"): ("meeting_item", {}, meeting_page(with_status(CHAIR_ONLY, 400))),
    ("conferences:decision_add", "post"): ("meeting_item", {}, meeting_page(with_status(CHAIR_ONLY, 400))),
    ("conferences:item_close", "post"): ("meeting_item", {}, meeting_page(with_status(CHAIR_ONLY, 400))),
    ("conferences:sign_off", "post"): ("meeting", {}, meeting_page(with_status(CHAIR_ONLY, 302))),
    ("conferences:amend", "get"): ("meeting_item", None, meeting_page(CHAIR_ONLY)),
    ("conferences:amend", "post"): ("meeting_item", {}, meeting_page(with_status(CHAIR_ONLY, 400))),
    ("conferences:family_summary", "get"): ("meeting", None, meeting_page(CHAIR_ONLY)),
    ("conferences:family_summary", "post"): ("meeting", {}, meeting_page(with_status(CHAIR_ONLY, 400))),
    ("conferences:answer", "post"): (
        "meeting",
        {},
        meeting_page({**each(INVITEES, 302), "panel_chair": 403}),
    ),
    ("portal:meetings", "get"): (None, None, PORTAL_PAGE),
    ("portal:meeting_say", "post"): (
        "portal_meeting_item",
        {},
        {**PORTAL_PAGE, "client": 302, "family_with_consent": 302},
    ),
    # Agency pages.
    ("network:organisation", "get"): (None, None, page(403, agency_admin=200)),
    ("network:people", "get"): (None, None, page(403, agency_admin=200)),
    ("network:person_add", "get"): (None, None, page(403, agency_admin=200)),
    ("network:person_update", "post"): ("person", {}, page(403, agency_admin=302)),
    ("network:two_factor_requirement", "post"): (None, {}, page(403, agency_admin=302)),
    # Instruments: agency admins keep their own; the shipped ones (PHQ-9 here) are never changed in the app.
    ("instruments:list", "get"): (None, None, page(403, agency_admin=200)),
    ("instruments:add", "get"): (None, None, page(403, agency_admin=200)),
    ("instruments:add", "post"): (None, {}, page(403, agency_admin=400)),
    ("instruments:edit", "get"): ("instrument_code", None, page(403)),
    ("instruments:edit", "post"): ("instrument_code", {}, page(403)),
    ("instruments:import", "get"): (None, None, page(403, agency_admin=200)),
    ("instruments:import", "post"): (None, {}, page(403, agency_admin=400)),
    ("instruments:export", "get"): (None, None, page(403, agency_admin=200)),
    # Configuration packs: agency admins only (an empty upload is a 400 for them).
    ("packs:home", "get"): (None, None, page(403, agency_admin=200)),
    ("packs:export", "get"): (None, None, page(403, agency_admin=200)),
    ("packs:import", "get"): (None, None, page(403, agency_admin=200)),
    ("packs:import", "post"): (None, {}, page(403, agency_admin=400)),
    ("api:pack_export", "get"): (None, None, api(403, agency_admin=200)),
    ("api:pack_preview", "post"): (None, {}, api(403, agency_admin=400)),
    ("api:pack_apply", "post"): (None, {}, api(403, agency_admin=400)),
    ("caseload", "get"): (None, None, page(403, manager=200, agency_admin=200)),
    # The dashboard: figures, never content; an organisation's own for its managers and admins, a
    # partnership's for its lead (the Police one here, leading "Northbridge Together", which Early Help
    # agreed to). Nobody else sees any figure.
    ("reporting:dashboard", "get"): (
        None,
        None,
        page(403, manager=200, agency_admin=200, partnership_lead=302),
    ),
    ("reporting:dashboard_csv", "get"): ("table", None, page(403, manager=200, agency_admin=200)),
    ("reporting:partnership", "get"): ("partnership", None, page(403, partnership_lead=200)),
    ("reporting:partnership_csv", "get"): ("partnership_table", None, page(403, partnership_lead=200)),
    ("reporting:partnerships", "get"): (None, None, page(403, agency_admin=200)),
    ("reporting:partnerships", "post"): (None, {}, page(403, agency_admin=404)),
    ("network:team_add", "post"): (None, {}, page(403, agency_admin=302)),
    # Moving clients in and out: agency admins only, and only their organisation's imports.
    ("importing:imports", "get"): (None, None, page(403, agency_admin=200)),
    ("importing:imports", "post"): (None, {}, page(403, agency_admin=400)),
    ("importing:export", "get"): (None, None, page(403, agency_admin=200)),
    ("importing:job", "get"): ("import_job", None, page(403, agency_admin=200)),
    ("importing:job_progress", "get"): ("import_job", None, page(403, agency_admin=200)),
    ("importing:job_start", "post"): ("import_job", {}, page(403, agency_admin=302)),
    # One's own API tokens: every professional has the page; only the owner (the lead here) may revoke.
    ("api_tokens:list", "get"): (None, None, page(200)),
    ("api_tokens:list", "post"): (None, {}, page(200)),
    ("api_tokens:revoke", "post"): ("api_token", {}, page(404, lead=302)),
    # The admin's sign-in is Alongside's own: strangers are sent there, staff on to the admin, others refused.
    ("admin:login", "get"): (None, None, profile(anonymous=302, portal=403, default=403, site_admin=302)),
    # The API.
    ("api:clients", "get"): (None, None, api(200)),
    ("api:reporting_dashboard", "get"): (None, None, api(403, manager=200, agency_admin=200)),
    ("api:reporting_partnership_dashboard", "get"): ("partnership", None, api(403, partnership_lead=200)),
    ("api:clients", "post"): (None, {}, api(400)),
    ("api:client", "get"): ("client", None, api(404, **DISCOVER)),
    ("api:members", "get"): ("client", None, api(404, **DISCOVER)),
    ("api:members", "post"): ("client", {}, api(404, **with_status(MANAGE, 400))),
    ("api:member", "get"): ("member", None, api(404, **DISCOVER)),
    ("api:member", "delete"): ("member", None, api(404, **MANAGE)),
    ("api:member_hidden", "post"): ("member", {}, api(404, **with_status(MANAGE, 400))),
    ("api:join_requests", "get"): ("client", None, api(404, **MANAGE)),
    ("api:join_requests", "post"): ("client", {}, api(404, **with_status(DISCOVER, 400))),
    ("api:join_request_decision", "post"): ("request", {}, api(404, **with_status(MANAGE, 400))),
    ("api:consents", "get"): ("client", None, api(404, **VIEW)),
    ("api:consents", "post"): ("client", {}, api(404, **with_status(MANAGE, 400))),
    ("api:consent_withdraw", "post"): ("consent", {}, api(404, **MANAGE)),
    ("api:emergency_access", "post"): ("client", {}, api(404, **with_status(DISCOVER, 400))),
    ("api:stage", "get"): ("client", None, api(404, **VIEW)),
    ("api:stage", "post"): ("client", {}, api(404, **with_status(MANAGE, 400))),
    ("api:reopen", "post"): ("client", {}, api(404, **with_status(MANAGE, 400))),
    ("api:plan", "get"): ("client", None, api(404, **VIEW)),
    ("api:plan_templates", "get"): (None, None, api(200)),
    ("api:plan_from_template", "post"): ("client", {}, api(404, **with_status(MANAGE, 400))),
    ("api:goals", "post"): ("client", {}, api(404, **with_status(VIEW, 400))),
    ("api:goal", "get"): ("goal", None, api(404, **VIEW)),
    # A change to make, without If-Match: those who may change it are asked for it (428).
    ("api:goal", "patch"): ("goal", {"in_own_words": "Keep our home"}, api(404, **with_status(VIEW, 428))),
    ("api:goal", "delete"): ("goal", None, api(404, **with_status(VIEW, 204))),
    ("api:actions", "post"): ("goal", {}, api(404, **with_status(VIEW, 400))),
    ("api:action", "get"): ("action", None, api(404, **VIEW)),
    ("api:action", "patch"): (
        "action",
        {"what": "Ring the housing office"},
        api(404, **with_status(VIEW, 428)),
    ),
    ("api:action", "delete"): ("action", None, api(404, **with_status(VIEW, 204))),
    ("api:plan_history", "get"): ("goal_item", None, api(404, **VIEW)),
    ("api:agreements", "get"): ("client", None, api(404, **VIEW)),
    ("api:agreements", "post"): ("client", {}, api(404, **with_status(MANAGE, 400))),
    ("api:agreement", "get"): ("agreement", None, api(404, **VIEW)),
    ("api:my_actions", "get"): (None, None, api(200)),
    ("api:my_clients_new", "get"): (None, None, api(200)),
    ("api:since", "get"): ("client", None, api(404, **VIEW)),
    ("api:timeline", "get"): ("client", None, api(404, **VIEW)),
    ("api:board_cards", "get"): ("client", None, api(404, **VIEW)),
    ("api:board_cards", "post"): ("client", {}, api(404, **with_status(VIEW, 400))),
    ("api:board_card", "get"): ("card", None, api(404, **VIEW)),
    ("api:board_card", "patch"): ("card", {"text": "A repayment plan"}, api(404, **with_status(VIEW, 428))),
    ("api:board_card_move", "post"): ("card", {}, api(404, **with_status(VIEW, 400))),
    ("api:board_card_close", "post"): ("card", {}, api(404, **with_status(VIEW, 400))),
    ("api:board_card_link", "post"): ("card", {}, api(404, **with_status(VIEW, 409))),
    ("api:board_card_to_plan", "post"): ("card", {}, api(404, **with_status(VIEW, 201))),
    ("api:board_card_history", "get"): ("card", None, api(404, **VIEW)),
    ("api:board_scales", "get"): ("client", None, api(404, **VIEW)),
    ("api:board_scales", "post"): ("client", {}, api(404, **with_status(VIEW, 400))),
    ("api:instruments", "get"): (None, None, api(200)),
    ("api:imports", "get"): (None, None, api(403, agency_admin=200)),
    # A file comes as multipart/form-data; the matrix sends JSON, which an admin is told is the wrong type.
    ("api:imports", "post"): (None, {}, api(403, agency_admin=415)),
    ("api:import", "get"): ("import_api", None, api(403, agency_admin=200)),
    ("api:import_start", "post"): ("import_api", {}, api(403, agency_admin=202)),
    ("api:instrument", "get"): ("instrument_code", None, api(200)),
    ("api:assessments", "get"): ("client", None, api(404, **VIEW)),
    ("api:assessments", "post"): ("client", {}, api(404, **with_status(VIEW, 400))),
    ("api:assessment", "get"): ("assessment", None, api(404, **VIEW)),
    ("api:assessment", "patch"): ("draft", {}, api(404, lead=400)),
    ("api:assessment", "delete"): ("draft", None, api(404, lead=204)),
    ("api:assessment_complete", "post"): ("draft", {}, api(404, lead=400)),
    ("api:assessment_amend", "post"): ("assessment", {}, api(404, **with_status(VIEW, 400))),
    ("api:assessment_series", "get"): ("instrument", None, api(404, **VIEW)),
    ("api:notes", "get"): ("client", None, api(404, **VIEW)),
    ("api:notes", "post"): ("client", {}, api(404, **with_status(VIEW, 400))),
    ("api:note", "get"): ("note", None, api(404, **VIEW)),
    ("api:note", "patch"): ("note", {}, api(404, **with_status(VIEW, 400))),
    # FHIR (interop): the record's own rule, signed in as for the API; what the server does is for anyone.
    ("fhir:metadata", "get"): (None, None, profile(anonymous=200, portal=200, default=200)),
    ("fhir:patient", "get"): ("client", None, api(404, **VIEW)),
    ("fhir:everything", "get"): ("client", None, api(404, **VIEW)),
    # Referrals: Grace is referred to Police, whose referrals inbox Charlie (the outsider) was named to work.
    ("referrals:list", "get"): (None, None, page(200)),
    ("referrals:inbox_people", "post"): (None, {}, page(403, manager=400, agency_admin=400)),
    ("referrals:new", "get"): ("client", None, page(404, **VIEW)),
    ("referrals:new", "post"): ("client", {}, page(404, **with_status(VIEW, 400))),
    ("referrals:client_summary", "get"): ("client", None, page(404, **VIEW)),
    ("referrals:referral", "get"): ("referral", None, page(404, **VIEW, outsider=200)),
    ("referrals:step", "post"): ("referral", DECLINE, page(404, **each(IN_CIRCLE, 403), outsider=302)),
    ("referrals:leads_needed", "get"): (None, None, page(403, manager=200, agency_admin=200)),
    ("api:referrals", "get"): (None, None, api(200)),
    ("api:referrals", "post"): (None, {}, api(400)),
    ("api:referral", "get"): ("referral", None, api(404, **VIEW, outsider=200)),
    ("api:referral_step", "post"): ("referral", DECLINE, api(404, **each(IN_CIRCLE, 403), outsider=200)),
    # Handovers: Alice (the lead) has offered the lead to Bob.
    ("referrals:handover_new", "get"): ("client", None, page(404, **MANAGE)),
    ("referrals:handover_new", "post"): ("client", {}, page(404, **with_status(MANAGE, 400))),
    ("referrals:handover", "get"): ("handover", None, page(404, **VIEW)),
    ("referrals:handover_decide", "post"): (
        "handover",
        {},
        page(404, lead=403, member=302, other_org_member=403),
    ),
    ("api:handovers", "post"): ("client", {}, api(404, **with_status(MANAGE, 400))),
    ("api:handover_decision", "post"): ("handover", {}, api(404, lead=403, member=200, other_org_member=403)),
    # Subject access exports: agency admins of an organisation in the client's circle (Early Help, Alice's),
    # everyone else refused before the client is looked up; the world has one finished export of Grace's.
    ("subject_access:exports", "get"): (None, None, page(403, agency_admin=200)),
    ("subject_access:client", "get"): ("client", None, page(403, agency_admin=200)),
    ("subject_access:start", "post"): ("client", {}, page(403, agency_admin=302)),
    ("subject_access:export", "get"): ("export", None, page(403, agency_admin=200)),
    ("subject_access:progress", "get"): ("export", None, page(403, agency_admin=200)),
    ("subject_access:download", "get"): ("export", None, page(403, agency_admin=200)),
    ("api:subject_access_exports", "get"): ("client", None, api(403, agency_admin=200)),
    ("api:subject_access_exports", "post"): ("client", {}, api(403, agency_admin=201)),
    ("api:subject_access_export", "get"): ("client_export", None, api(403, agency_admin=200)),
    ("api:subject_access_download", "get"): ("client_export", None, api(403, agency_admin=200)),
    # Reminders: everyone signed in has their own (clients and family choose theirs on the page).
    ("reminders:today", "get"): (None, None, profile(anonymous=302, portal=200, default=200)),
    ("reminders:preferences", "get"): (None, None, profile(anonymous=302, portal=200, default=200)),
    ("reminders:preferences", "post"): (None, {}, profile(anonymous=302, portal=302, default=302)),
    ("api:reminder_preferences", "get"): (None, None, api(200)),
    ("api:reminder_preferences", "put"): (None, {}, api(400)),
    ("api:panels", "get"): (None, None, api(200)),
    ("api:panels", "post"): (None, {}, api(400)),
    ("api:meetings", "get"): (None, None, api(200)),
    ("api:meetings", "post"): (None, {}, api(400)),
    ("api:meeting", "get"): ("meeting", None, meeting_api(IN_MEETING)),
    ("api:meeting_agenda", "post"): ("meeting", {}, api(400)),
    ("api:meeting_current_item", "post"): ("meeting", {}, meeting_api(with_status(IN_MEETING, 400))),
    ("api:meeting_invitations", "get"): ("meeting", None, meeting_api(IN_MEETING)),
    ("api:meeting_answer", "post"): ("meeting", {}, meeting_api(with_status(IN_MEETING, 400))),
    ("api:meeting_attendance", "post"): ("meeting", {}, meeting_api(with_status(IN_MEETING, 400))),
    ("api:meeting_sign_off", "post"): ("meeting", {}, meeting_api(with_status(CHAIR_ONLY, 409))),
    ("api:meeting_minutes", "get"): ("meeting_item", None, meeting_api(IN_MEETING)),
    ("api:meeting_minutes", "patch"): ("meeting_item", {}, meeting_api(with_status(CHAIR_ONLY, 400))),
    ("api:meeting_decisions", "post"): ("meeting_item", {}, meeting_api(with_status(IN_MEETING, 400))),
    ("api:meeting_item_close", "post"): ("meeting_item", {}, meeting_api(with_status(IN_MEETING, 400))),
    ("api:meeting_reports", "post"): ("meeting_item", {}, meeting_api(with_status(IN_MEETING, 400))),
    ("api:meeting_pack_notes", "get"): ("meeting_item", None, meeting_api(IN_MEETING)),
    ("api:meeting_pack_notes", "post"): ("meeting_item", {}, api(404, **with_status(VIEW, 400))),
    # Not in the pack yet: the circle is told so (409); anyone else, that there is no such thing.
    ("api:meeting_pack_note", "delete"): ("meeting_note", None, api(404, **with_status(VIEW, 409))),
}

EXEMPT_MODULES = (
    "allauth.",
    "django.contrib.admin",
    "django.contrib.auth.admin",
    "django.contrib.contenttypes",
)


def our_named_routes():
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                module = getattr(pattern.callback, "__module__", "")
                if not module.startswith(EXEMPT_MODULES):
                    yield namespace + pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_route_has_an_entry():
    covered = {name for name, _method in MATRIX}
    missing = our_named_routes() - covered
    assert not missing, f"Add these routes to the authorization matrix: {sorted(missing)}"
    assert not covered - our_named_routes(), "The matrix names routes that no longer exist"


def test_every_entry_answers_for_every_role():
    for key, (_kwargs, _data, answers) in MATRIX.items():
        assert set(answers) == set(ROLES), key


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Grace's circle (Alice lead, Bob, Carol) and everyone else in the cast, with one of each thing: built
    once per module, and each test starts from it as if it were new (tests/conftest.py `built_once`)."""
    with built_once(django_db_blocker, lambda: _build_world(**the_cast())) as built:
        yield built


def _build_world(*, alice, bob, carol, charlie, grace, early_help, police, **_others):
    family_contact = FamilyMemberFactory(client=grace, name="Ama Okafor")
    people = {
        "lead": alice,
        "member": bob,
        "other_org_member": carol,
        "outsider": charlie,
        "manager": UserFactory(organisation=early_help, org_role=User.OrgRole.MANAGER),
        "agency_admin": UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN),
        "panel_chair": UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR),
        "partnership_lead": UserFactory(organisation=police, org_role=User.OrgRole.PARTNERSHIP_LEAD),
        "site_admin": UserFactory(organisation=None, is_superuser=True, is_staff=True),
        "client": UserFactory(organisation=None, kind=User.Kind.CLIENT),
        "family_with_consent": UserFactory(organisation=None, kind=User.Kind.FAMILY),
        "family_without_consent": UserFactory(organisation=None, kind=User.Kind.FAMILY),
    }
    ConsentFactory(client=grace, scope="family_portal", family_member=family_contact, recorded_by=alice)
    other_relative = FamilyMemberFactory(client=grace, name="Kofi Okafor")
    PortalAccess.objects.create(user=people["client"], client=grace)
    PortalAccess.objects.create(user=people["family_with_consent"], client=grace, member=family_contact)
    PortalAccess.objects.create(user=people["family_without_consent"], client=grace, member=other_relative)
    asker = UserFactory(full_name="Dana Asker")
    objects = {
        "client": {"public_id": grace.public_id},
        "member": {
            "public_id": grace.public_id,
            "member_id": CircleMember.objects.get(client=grace, user=bob).pk,
        },
        "note": {"public_id": grace.public_id, "note_id": NoteFactory(client=grace, author=alice).pk},
        "consent": {"public_id": grace.public_id, "consent_id": grace.consents.get(scope="circle").pk},
        "request": {
            "public_id": grace.public_id,
            "request_id": JoinRequest.objects.create(
                client=grace,
                requester=asker,
                organisation=asker.organisation,
                role="key_worker",
                reason="I met Grace today.",
                expires_at="2999-01-01T00:00:00Z",
            ).pk,
        },
        "person": {"person_id": bob.pk},
        "api_token": {"token_id": api_token_create(actor=alice, name="Alice's script")[0].pk},
    }
    goal = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    action = plan_services.action_add(actor=alice, goal=goal, what="Call the housing office")
    agreement = plan_services.plan_agree(
        actor=alice, client=grace, participants=list(CircleMember.objects.filter(client=grace, until=None))
    )
    own = plan_services.action_add(
        actor=alice, goal=goal, what="Open the post on Mondays", owner_is_client=True
    )
    invitation = Invitation.objects.create(
        client=grace,
        email="grace@example.org",
        token="t" * 40,
        created_by=alice,
        expires_at="2999-01-01T00:00:00Z",
    )
    card = board_services.card_add(
        actor=alice, client=grace, column="next_step", text="Ask the housing office for a repayment plan"
    )
    phq9 = Instrument.objects.get(code="phq-9")
    draft = assessment_services.assessment_start(actor=alice, client=grace, instrument=phq9)
    done = assessment_services.assessment_complete(
        actor=alice,
        assessment=assessment_services.assessment_start(actor=alice, client=grace, instrument=phq9),
        answers={str(n): {"score": 1} for n in range(1, 10)},
    )
    objects |= {
        "draft": {"public_id": grace.public_id, "assessment_id": draft.pk},
        "assessment": {"public_id": grace.public_id, "assessment_id": done.pk},
        "instrument": {"public_id": grace.public_id, "code": "phq-9"},
        "instrument_code": {"code": "phq-9"},
        "self_rating": {
            "request_id": assessment_services.self_rating_ask(
                actor=alice, client=grace, instrument=Instrument.objects.get(code="ons4")
            ).pk
        },
    }
    meeting, meeting_item = _a_meeting_about(grace, chair=people["panel_chair"], standing=charlie, lead=alice)
    objects |= {
        "card": {"public_id": grace.public_id, "card_id": card.pk},
        "meeting": {"meeting_id": meeting.pk},
        "meeting_item": {"meeting_id": meeting.pk, "item_id": meeting_item.pk},
        "meeting_note": {
            "meeting_id": meeting.pk,
            "item_id": meeting_item.pk,
            "note_id": objects["note"]["note_id"],
        },
        "portal_meeting_item": {"item_id": meeting_item.pk},
        "portal_action": {"action_id": own.pk},
        "portal_goal": {"goal_id": goal.pk},
        "invitation": {"token": invitation.token},
        "invitation_id": {"public_id": grace.public_id, "invitation_id": invitation.pk},
        "goal": {"public_id": grace.public_id, "goal_id": goal.pk},
        "action": {"public_id": grace.public_id, "action_id": action.pk},
        "goal_item": {"public_id": grace.public_id, "kind": "goals", "item_id": goal.pk},
        "agreement": {"public_id": grace.public_id, "agreement_id": agreement.pk},
    }
    ConsentFactory(client=grace, scope="organisation", organisation=police, recorded_by=alice)
    referral = referral_services.referral_create(
        actor=alice,
        client=grace,
        to_organisation=police,
        service="Youth diversion",
        asked="Help",
        reason="Why",
    )
    InboxMember.objects.create(organisation=police, user=charlie, named_by=charlie)
    handover = handovers.handover_offer(
        actor=alice,
        client=grace,
        to_member=CircleMember.objects.get(client=grace, user=bob),
        summary="Yours.",
    )
    objects |= {"referral": {"referral_id": referral.pk}, "handover": {"handover_id": handover.pk}}
    partnership = Partnership.objects.create(name="Northbridge Together")
    partnership.leads.add(people["partnership_lead"])
    PartnershipMember.objects.create(
        partnership=partnership, organisation=early_help, agreed_by=people["agency_admin"]
    )
    objects |= {
        "table": {"table": "consent"},
        "partnership": {"partnership_id": partnership.pk},
        "partnership_table": {"partnership_id": partnership.pk, "table": "consent"},
    }
    job, _checked = import_services.import_check(
        actor=people["agency_admin"],
        file_name="clients.csv",
        content=b"given_name,family_name,lead_email\nRuth,Okafor,alice@example.org\n",
    )
    objects |= {"import_job": {"job_id": job.pk}, "import_api": {"import_id": job.pk}}
    export, _new = subject_access_services.export_start(actor=people["agency_admin"], client=grace)
    subject_access_services.export_build(export.pk)
    objects |= {
        "export": {"export_id": export.pk},
        "client_export": {"public_id": grace.public_id, "export_id": export.pk},
    }
    return people, objects


def _a_meeting_about(client, *, chair, standing, lead):
    """A Team Around the Family meeting tomorrow with the client on its agenda (with their consent)."""
    import datetime

    from django.utils import timezone

    from conferences import services as meeting_services
    from conferences.models import MeetingType

    panel = meeting_services.panel_create(actor=chair, name="Northbridge Risk Panel")
    meeting_services.panel_member_add(actor=chair, panel=panel, user=standing, role="standing")
    ConsentFactory(client=client, scope="conference", recorded_by=lead)
    kind, _ = MeetingType.objects.get_or_create(name="Team Around the Family")
    meeting = meeting_services.meeting_create(
        actor=chair,
        type=kind,
        title="Grace's meeting",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        panel=panel,
        place="Town Hall",
    )
    item = meeting_services.agenda_item_add(
        actor=chair, meeting=meeting, client=client, reason="How it is going"
    )
    return meeting, item


def _url(route, objects):
    name, _method = route
    kwargs_key, _data, _answers = MATRIX[route]
    kwargs = dict(objects[kwargs_key]) if kwargs_key else {}
    if name == "circles:join_request_decide":
        kwargs["decision"] = "decline"
    if name == "plan:item_move":
        kwargs["direction"] = "down"
    if name in ("referrals:step", "api:referral_step"):
        kwargs["step"] = "decline"
    if name in ("referrals:handover_decide", "api:handover_decision"):
        kwargs["decision"] = "accept"
    return reverse(name, kwargs=kwargs)


def _ask(client, people, role, method, url, data):
    from django.test import Client as BrowserClient

    browser = BrowserClient() if client is None else client
    if role != "anonymous":
        browser.force_login(people[role])
    if method == "get":
        return browser.get(url)
    return getattr(browser, method)(url, data=data or {}, content_type="application/json")


READS = sorted(route for route in MATRIX if route[1] == "get")
WRITES = sorted(route for route in MATRIX if route[1] != "get")


@pytest.mark.parametrize("route", READS, ids=lambda r: f"{r[0]}:{r[1]}")
def test_reads_answer_as_expected(route, world, db):
    """Reads change nothing a later read could see, so one world serves every role (a fresh browser each)."""
    people, objects = world
    url = _url(route, objects)
    answers = MATRIX[route][2]
    wrong = []
    for role in ROLES:
        status = _ask(None, people, role, "get", url, None).status_code
        if status != answers[role]:
            wrong.append(f"{role}: {status}, expected {answers[role]}")
    assert not wrong, f"GET {url}\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", WRITES, ids=lambda r: f"{r[0]}:{r[1]}")
def test_writes_answer_as_expected(route, role, world, db, client):
    """Writes may change the world, so each role gets a fresh one."""
    people, objects = world
    url = _url(route, objects)
    _name, method = route
    _key, data, answers = MATRIX[route]
    response = _ask(client, people, role, method, url, data)
    assert response.status_code == answers[role], (
        f"{method.upper()} {url} as {role}: {response.status_code}, expected {answers[role]}"
    )
