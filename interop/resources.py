"""Alongside's records as FHIR resources: plain functions from what interop.selectors read to JSON-ready dicts.

FHIR R4, checked in tests against the R4B models of fhir.resources (the closest to R4 its current release
ships; docs/interop.md says more). Nothing here reads the database or decides access: the selectors have
done both. Every person is named through the policy (circles.access.person_label), so a hidden member is
"A member of the circle" to anyone outside the circle, and never typed or placed in an organisation.
Empty values are left out (FHIR forbids empty strings and lists), so each builder ends with `compact`.
"""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings

from assessments import scoring
from assessments.models import Assessment
from audit.models import AuditEvent
from changes.catalogue import UnknownChange, catalogue
from circles import access
from circles.models import CircleMember, Client, Consent
from conferences.models import Invitation, Meeting
from conferences.selectors import ClientMeeting
from network.models import User
from sharing.models import Action, Goal, Plan

if TYPE_CHECKING:
    from interop.selectors import Everything

Json = dict[str, Any]

# The FHIR version the resources are checked against: R4B (fhir.resources' R4B models), a compatible
# update of R4 (4.0.1); docs/interop.md says which resources and why.
FHIR_VERSION = "4.3.0"

# Codes from FHIR's own terminologies.
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
BREAK_THE_GLASS = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
            "code": "BTG",
            "display": "break the glass",
        }
    ]
}
INFORMATION_RECIPIENT = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
            "code": "IRCP",
            "display": "information recipient",
        }
    ]
}
# LOINC codes of the shipped instruments' totals.
LOINC_TOTALS = {
    "phq-9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad-7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
}
APPOINTMENT_STATUS: dict[str, str] = {
    Meeting.Status.SCHEDULED: "booked",
    Meeting.Status.IN_PROGRESS: "arrived",
    Meeting.Status.ENDED: "fulfilled",
}
ENCOUNTER_STATUS: dict[str, str] = {
    Meeting.Status.IN_PROGRESS: "in-progress",
    Meeting.Status.ENDED: "finished",
}
ANSWER_STATUS: dict[str, str] = {
    Invitation.Answer.ATTENDING: "accepted",
    Invitation.Answer.APOLOGIES: "declined",
    Invitation.Answer.DEPUTY: "tentative",
}
ACTIVITY_STATUS: dict[str, str] = {
    Action.Status.NOT_STARTED: "not-started",
    Action.Status.IN_PROGRESS: "in-progress",
    Action.Status.DONE: "completed",
    Action.Status.DROPPED: "cancelled",
}
MEETING_ROLES = {"chair": "Chair", "minute-taker": "Minute-taker", "invitee": "Invited", "place": "Place"}


def base_url() -> str:
    """Where this Alongside answers FHIR: the base of every fullUrl, identifier system and code system."""
    return settings.SITE_URL.rstrip("/") + "/fhir"


def system(name: str) -> str:
    """One of Alongside's own code systems (circle roles, consent scopes, instruments…)."""
    return f"{base_url()}/CodeSystem/{name}"


def extension_url(name: str) -> str:
    return f"{base_url()}/StructureDefinition/{name}"


def client_id_system() -> str:
    return f"{base_url()}/sid/client-id"


def compact(value: Any) -> Any:
    """`value` without the empty strings, lists, dicts and Nones FHIR does not allow, at any depth."""
    if isinstance(value, dict):
        kept = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not _empty(item)}
    if isinstance(value, list):
        return [item for item in (compact(item) for item in value) if not _empty(item)]
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def instant(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def day(date: datetime.date | None) -> str | None:
    return date.isoformat() if date else None


def coding(name: str, code: str, display: str) -> Json:
    return {"system": system(name), "code": code, "display": display}


def concept(name: str, code: str, display: str) -> Json:
    return {"coding": [coding(name, code, display)], "text": display}


# References.


def patient_ref(client: Client) -> Json:
    return {"reference": f"Patient/{client.public_id}", "display": client.display_name}


def care_team_id(client: Client) -> str:
    return f"circle-{client.public_id}"


def person_ref(names: access.Names, person: "User | CircleMember | str | None") -> Json | None:
    """A person as the reader may know them: their name and kind, or only "A member of the circle"."""
    if person is None or person == "":
        return None
    label = access.person_label(names, person)
    if access.hides(names, person):
        return {"display": label}
    if isinstance(person, CircleMember):
        kind = "Practitioner" if person.kind == CircleMember.Kind.PROFESSIONAL else "RelatedPerson"
    elif isinstance(person, User):
        kind = "Practitioner" if person.kind == User.Kind.PROFESSIONAL else "RelatedPerson"
    else:
        return {"display": label}
    return {"type": kind, "display": label}


def ref(resource: Json) -> Json:
    return {"reference": f"{resource['resourceType']}/{resource['id']}"}


# The client and their circle.


def patient(client: Client) -> Json:
    names = [
        {
            "use": "official",
            "text": client.full_name,
            "family": client.family_name,
            "given": [client.given_name],
        }
    ]
    if client.preferred_name and client.preferred_name != client.given_name:
        names.append({"use": "usual", "given": [client.preferred_name], "family": client.family_name})
    return compact(
        {
            "resourceType": "Patient",
            "id": client.public_id,
            "extension": [
                {"url": extension_url("pronouns"), "valueString": client.pronouns}
                if client.pronouns
                else None,
                {"url": extension_url("accessibility-needs"), "valueString": client.accessibility_needs}
                if client.accessibility_needs
                else None,
                {
                    "url": extension_url("stage"),
                    "valueCoding": coding("stage", client.stage, client.get_stage_display()),
                },
            ],
            "identifier": [{"use": "official", "system": client_id_system(), "value": client.public_id}],
            "active": not client.is_closed,
            "name": names,
            "birthDate": day(client.date_of_birth),
            "communication": [{"language": {"text": client.language}, "preferred": True}]
            if client.language
            else [],
        }
    )


def care_team(client: Client, members: Iterable[CircleMember], names: access.Names) -> Json:
    """The circle: everyone in it the reader may see, now and (for members) before, with their periods."""
    participants = []
    lead = None
    for member in members:
        if access.hides(names, member):
            continue  # the selector leaves hidden members out for outsiders already; never name one here
        if member.is_lead and member.until is None:
            lead = member
        role_label = member.get_role_display()
        if member.relationship:
            role_label = f"{role_label} ({member.relationship})"
        roles = [concept("circle-role", member.role, role_label)]
        if member.is_lead and member.role != CircleMember.Role.LEAD_PROFESSIONAL:
            roles.append(concept("circle-role", "lead_professional", "Lead professional"))
        participants.append(
            {
                "extension": [{"url": extension_url("hidden-member"), "valueBoolean": True}]
                if member.is_hidden
                else [],
                "role": roles,
                "member": person_ref(names, member),
                "onBehalfOf": {"type": "Organization", "display": member.organisation.name}
                if member.organisation is not None
                else None,
                "period": {"start": instant(member.since), "end": instant(member.until)},
            }
        )
    return compact(
        {
            "resourceType": "CareTeam",
            "id": care_team_id(client),
            "status": "inactive" if client.is_closed else "active",
            "name": f"{client.full_name}'s circle",
            "subject": patient_ref(client),
            "period": {"start": instant(client.created_at)},
            "participant": participants,
            "managingOrganization": [{"type": "Organization", "display": lead.organisation.name}]
            if lead is not None and lead.organisation is not None
            else [],
        }
    )


def consent(client: Client, row: Consent, names: access.Names) -> Json:
    """One consent record: in force (active) or withdrawn or ended (inactive), with who it lets see what."""
    if row.scope == Consent.Scope.ORGANISATION and row.organisation is not None:
        recipient: Json | None = {"type": "Organization", "display": row.organisation.name}
    elif row.scope == Consent.Scope.FAMILY_PORTAL:
        recipient = person_ref(names, row.family_member)
    elif row.scope == Consent.Scope.CIRCLE:
        recipient = {"reference": f"CareTeam/{care_team_id(client)}", "display": "Everyone in the circle"}
    else:
        recipient = {"display": "A case conference"}
    ended = row.withdrawn_at.date() if row.withdrawn_at else row.expires_on
    return compact(
        {
            "resourceType": "Consent",
            "id": f"consent-{row.pk}",
            "extension": [
                {
                    "url": extension_url("consent-method"),
                    "valueCoding": coding("consent-method", row.method, row.get_method_display()),
                }
            ],
            "status": "active" if row.is_current else "inactive",
            "scope": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                        "code": "patient-privacy",
                        "display": "Privacy Consent",
                    }
                ]
            },
            "category": [
                {"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]},
                concept("consent-scope", row.scope, row.get_scope_display()),
            ],
            "patient": patient_ref(client),
            "dateTime": instant(row.recorded_at),
            "performer": [{"display": row.given_by}],
            "policyRule": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]
            },
            "provision": {
                "type": "permit",
                "period": {"start": day(row.given_on), "end": day(ended)},
                "actor": [{"role": INFORMATION_RECIPIENT, "reference": recipient}] if recipient else [],
            },
        }
    )


# The plan.


def care_plan(client: Client, plan: Plan, goals: list[Goal], names: access.Names) -> Json:
    """The plan, its goals (as Goal resources, referenced) and each goal's actions (as activities)."""
    activities = []
    for goal in goals:
        for action in getattr(goal, "current_actions", []):
            activities.append({"detail": _activity(client, goal, action, names)})
    return compact(
        {
            "resourceType": "CarePlan",
            "id": f"plan-{plan.pk}",
            "status": "completed" if client.is_closed else "active",
            "intent": "plan",
            "title": f"{client.full_name}'s plan",
            "subject": patient_ref(client),
            "created": instant(plan.created_at),
            "careTeam": [{"reference": f"CareTeam/{care_team_id(client)}"}],
            "goal": [{"reference": f"Goal/goal-{goal.pk}"} for goal in goals],
            "activity": activities,
        }
    )


def _activity(client: Client, goal: Goal, action: Action, names: access.Names) -> Json:
    performer = patient_ref(client) if action.owner_is_client else person_ref(names, action.owner)
    return {
        "kind": "Task",
        "status": ACTIVITY_STATUS.get(action.status, "unknown"),
        "statusReason": {"text": action.dropped_reason} if action.dropped_reason else None,
        "description": action.what,
        "goal": [{"reference": f"Goal/goal-{goal.pk}"}],
        "scheduledPeriod": {"end": day(action.due_on)} if action.due_on else None,
        "performer": [performer] if performer else [],
    }


def goal(client: Client, row: Goal, *, addresses: str | None = None) -> Json:
    """A goal, always in the client's own words (Goal.in_own_words): expressed by the client."""
    notes: list[Json] = []
    if row.success_looks_like:
        notes.append({"text": f"What success looks like: {row.success_looks_like}"})
    for comment in getattr(row, "client_comments", []):
        notes.append(
            {
                "authorReference": patient_ref(client),
                "time": instant(comment.created_at),
                "text": comment.text,
            }
        )
    return compact(
        {
            "resourceType": "Goal",
            "id": f"goal-{row.pk}",
            "extension": [{"url": extension_url("review-date"), "valueDate": day(row.review_on)}]
            if row.review_on
            else [],
            "lifecycleStatus": "active",
            "description": {"text": row.in_own_words},
            "subject": patient_ref(client),
            "startDate": day(row.created_at.date()),
            "expressedBy": patient_ref(client),
            "addresses": [{"reference": addresses}] if addresses else [],
            "note": notes,
        }
    )


# Assessments.


def _author(client: Client, assessment: Assessment, names: access.Names) -> Json | None:
    if assessment.completed_by == Assessment.By.CLIENT:
        return patient_ref(client)
    return person_ref(names, assessment.author)


def questionnaire_response(client: Client, assessment: Assessment, names: access.Names) -> Json:
    definition = assessment.definition
    items = []
    for item in definition["items"]:
        answer = assessment.answers.get(item["code"]) or {}
        narrative = (answer.get("narrative") or "").strip()
        items.append(
            {
                "linkId": item["code"],
                "text": item["text"],
                "answer": [
                    {
                        "valueInteger": answer.get("score"),
                        "item": [
                            {
                                "linkId": f"{item['code']}.why",
                                "text": "Why this score",
                                "answer": [{"valueString": narrative}],
                            }
                        ]
                        if narrative
                        else [],
                    }
                ]
                if answer.get("score") is not None
                else [],
            }
        )
    by_client = assessment.completed_by in (Assessment.By.CLIENT, Assessment.By.TOGETHER)
    return compact(
        {
            "resourceType": "QuestionnaireResponse",
            "id": f"assessment-{assessment.pk}",
            "questionnaire": f"{base_url()}/Questionnaire/{assessment.instrument.code}|{assessment.version.number}",
            "status": "amended" if assessment.amends_id else "completed",
            "subject": patient_ref(client),
            "authored": instant(assessment.completed_at),
            "author": _author(client, assessment, names),
            "source": patient_ref(client) if by_client else None,
            "item": items,
        }
    )


def observations(client: Client, assessment: Assessment, names: access.Names) -> list[Json]:
    """The assessment's scores: the total of a "sum" instrument (PHQ-9), or one Observation per domain of an
    "each" instrument (Wellbeing domains), gathered by a panel Observation (hasMember); each derived from the
    QuestionnaireResponse and effective when it was assessed."""
    definition, result = assessment.definition, assessment.result or {}
    code, name = assessment.instrument.code, definition["name"]
    common = {
        "resourceType": "Observation",
        "status": "amended" if assessment.amends_id else "final",
        "category": [SURVEY],
        "subject": patient_ref(client),
        "effectiveDateTime": instant(assessment.completed_at),
        "issued": instant(assessment.recorded_at or assessment.completed_at),
        "performer": [_author(client, assessment, names)],
        "derivedFrom": [{"reference": f"QuestionnaireResponse/assessment-{assessment.pk}"}],
    }
    instrument_coding = coding("instrument", code, name)
    if definition["scoring"] == "sum":
        codings = [instrument_coding]
        if code in LOINC_TOTALS:
            codings.insert(
                0,
                {
                    "system": "http://loinc.org",
                    "code": LOINC_TOTALS[code][0],
                    "display": LOINC_TOTALS[code][1],
                },
            )
        return [
            compact(
                {
                    **common,
                    "id": score_id(assessment, None),
                    "code": {"coding": codings, "text": f"{name}: total"},
                    "valueInteger": result.get("total"),
                    "interpretation": [{"text": result.get("band")}] if result.get("band") else [],
                }
            )
        ]
    items = {item["code"]: item for item in definition["items"]}
    domains = []
    for scored in result.get("items", []):
        item = items.get(scored["code"], {"code": scored["code"], "text": scored["code"]})
        narrative = ((assessment.answers.get(scored["code"]) or {}).get("narrative") or "").strip()
        label = scoring.short_label(item)
        domains.append(
            compact(
                {
                    **common,
                    "id": score_id(assessment, scored["code"]),
                    "code": {
                        "coding": [coding(f"instrument/{code}", scored["code"], label)],
                        "text": f"{name}: {label}",
                    },
                    "valueInteger": scored["score"],
                    "interpretation": [{"text": scored["band"]}] if scored.get("band") else [],
                    "note": [{"text": narrative}] if narrative else [],
                }
            )
        )
    panel = compact(
        {
            **common,
            "id": score_id(assessment, None),
            "code": {"coding": [instrument_coding], "text": name},
            "hasMember": [ref(domain) for domain in domains],
        }
    )
    return [panel, *domains]


def score_id(assessment: Assessment | int, item_code: str | None) -> str:
    pk = assessment if isinstance(assessment, int) else assessment.pk
    return f"score-{pk}-{item_code}" if item_code else f"score-{pk}"


# Meetings.


def _invitee_ref(client: Client, invitation: Invitation, names: access.Names) -> Json | None:
    if invitation.kind == Invitation.Kind.CLIENT:
        return patient_ref(client)
    return person_ref(names, invitation.member or invitation.user or invitation.name)


def _meeting_role(code: str) -> list[Json]:
    return [concept("meeting-role", code, MEETING_ROLES[code])]


def appointment(client: Client, seen: ClientMeeting, names: access.Names) -> Json:
    meeting, item = seen.meeting, seen.item
    participants: list[Json] = [
        {"type": _meeting_role("chair"), "actor": person_ref(names, meeting.chair), "status": "accepted"}
    ]
    if meeting.minute_taker is not None:
        participants.append(
            {
                "type": _meeting_role("minute-taker"),
                "actor": person_ref(names, meeting.minute_taker),
                "status": "accepted",
            }
        )
    client_invited = False
    for invitation in seen.invitations:
        actor = _invitee_ref(client, invitation, names)
        if actor is None or access.hides(names, invitation.member or invitation.user or invitation.name):
            continue
        client_invited |= invitation.kind == Invitation.Kind.CLIENT
        participants.append(
            {
                "type": _meeting_role("invitee"),
                "actor": actor,
                "required": "required",
                "status": ANSWER_STATUS.get(invitation.answer, "needs-action"),
            }
        )
    if not client_invited:
        # Discussed, not invited (the meeting's type does not invite families): there for the record only.
        participants.append(
            {"actor": patient_ref(client), "required": "information-only", "status": "needs-action"}
        )
    if meeting.place:
        participants.append(
            {
                "type": _meeting_role("place"),
                "actor": {"type": "Location", "display": meeting.place},
                "status": "accepted",
            }
        )
    return compact(
        {
            "resourceType": "Appointment",
            "id": f"agenda-item-{item.pk}",
            "status": APPOINTMENT_STATUS.get(meeting.status, "booked"),
            "appointmentType": {"text": meeting.type.name},
            "reasonCode": [{"text": item.reason}],
            "description": meeting.title,
            "start": instant(meeting.starts_at),
            "end": instant(meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)),
            "minutesDuration": meeting.duration_minutes,
            "created": instant(item.added_at),
            "participant": participants,
        }
    )


def encounter(client: Client, seen: ClientMeeting, names: access.Names) -> Json | None:
    """The meeting as it happened (under way or ended): who was there of those the reader may know."""
    meeting, item = seen.meeting, seen.item
    if meeting.status not in ENCOUNTER_STATUS:
        return None
    participants: list[Json] = [
        {"type": _meeting_role("chair"), "individual": person_ref(names, meeting.chair)}
    ]
    if meeting.minute_taker is not None:
        participants.append(
            {"type": _meeting_role("minute-taker"), "individual": person_ref(names, meeting.minute_taker)}
        )
    for invitation in seen.invitations:
        present = seen.attendance.get(invitation.pk)
        if invitation.kind == Invitation.Kind.CLIENT or present is None or present.status != "present":
            continue  # the client is the encounter's subject; FHIR has no participant slot for them
        person = invitation.member or invitation.user or invitation.name
        if access.hides(names, person):
            continue
        participants.append(
            {
                "type": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "ATND",
                                "display": "attender",
                            }
                        ]
                    }
                ],
                "individual": person_ref(names, person),
            }
        )
    return compact(
        {
            "resourceType": "Encounter",
            "id": f"agenda-item-{item.pk}",
            "status": ENCOUNTER_STATUS[meeting.status],
            "class": coding("encounter-class", "case-conference", "Case conference"),
            "type": [{"text": meeting.type.name}],
            "subject": patient_ref(client),
            "participant": participants,
            "appointment": [{"reference": f"Appointment/agenda-item-{item.pk}"}],
            "period": {
                "start": instant(meeting.opened_at or meeting.starts_at),
                "end": instant(meeting.ended_at),
            },
            "reasonCode": [{"text": item.reason}],
        }
    )


# Who looked.


def audit_event(client: Client, row: AuditEvent, names: access.Names) -> Json:
    try:
        means = catalogue.get(row.action).means
    except UnknownChange:
        means = row.action
    who = person_ref(names, row.actor) or {"display": "Alongside"}
    organisation = getattr(row.actor, "organisation", None)
    if organisation is not None and not access.hides(names, row.actor):
        who = {**who, "display": f"{who['display']}, {organisation.name}"}
    return compact(
        {
            "resourceType": "AuditEvent",
            "id": f"audit-{row.pk}",
            "type": {
                "system": "http://dicom.nema.org/resources/ontology/DCM",
                "code": "110110",
                "display": "Patient Record",
            },
            "subtype": [coding("change", row.action, means)],
            "action": "R",
            "recorded": instant(row.at),
            "outcome": "0",
            "purposeOfEvent": [BREAK_THE_GLASS] if row.emergency else [],
            "agent": [
                {
                    "who": who,
                    "requestor": True,
                    "purposeOfUse": [BREAK_THE_GLASS] if row.emergency else [],
                }
            ],
            "source": {
                "observer": {"display": "Alongside"},
                "type": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/security-source-type",
                        "code": "4",
                        "display": "Application Server",
                    }
                ],
            },
            "entity": [{"what": patient_ref(client)}],
        }
    )


# Everything together.


def everything_bundle(
    everything: "Everything", *, self_url: str, bundle_id: str, now: datetime.datetime
) -> Json:
    """Patient/<id>/$everything: a searchset whose match is the Patient and whose includes are the rest."""
    record = everything.record
    client, names = record.client, record.names
    resources: list[Json] = [
        care_team(client, everything.members, names),
        *(consent(client, row, names) for row in everything.consents),
    ]
    latest_scores = _latest_scores(everything.assessments)
    plan = everything.plan
    if plan.plan is not None:
        resources.append(care_plan(client, plan.plan, list(plan.goals), names))
        for row in plan.goals:
            area = (row.addresses_instrument_id or 0, row.addresses_item)
            addressed = latest_scores.get(area)
            resources.append(goal(client, row, addresses=f"Observation/{addressed}" if addressed else None))
    for assessment in everything.assessments:
        resources.append(questionnaire_response(client, assessment, names))
        resources.extend(observations(client, assessment, names))
    for seen in everything.meetings:
        resources.append(appointment(client, seen, names))
        happened = encounter(client, seen, names)
        if happened is not None:
            resources.append(happened)
    resources.extend(audit_event(client, row, names) for row in everything.reads)
    entries = [_entry(patient(client), "match")] + [_entry(resource, "include") for resource in resources]
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": {"lastUpdated": instant(now)},
        "type": "searchset",
        "timestamp": instant(now),
        "total": 1,
        "link": [{"relation": "self", "url": self_url}],
        "entry": entries,
    }


def _entry(resource: Json, mode: str) -> Json:
    return {
        "fullUrl": f"{base_url()}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def _latest_scores(assessments: Iterable[Assessment]) -> dict[tuple[int, str], str]:
    """For a goal that addresses an assessment area (an instrument, and one of its items or its total):
    the Observation of the team's latest score there. Oldest first in, so the latest wins."""
    latest: dict[tuple[int, str], str] = {}
    for assessment in assessments:
        if assessment.completed_by == Assessment.By.CLIENT:
            continue  # the plan's goal cards show the team's series, not the client's own ratings
        latest[(assessment.instrument_id, "")] = score_id(assessment, None)
        if assessment.definition["scoring"] == "each":
            for item in (assessment.result or {}).get("items", []):
                latest[(assessment.instrument_id, item["code"])] = score_id(assessment, item["code"])
    return latest


# Answers that are about the server or the request, not the record.


def capability_statement(today: datetime.date) -> Json:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": day(today),
        "publisher": "Alongside",
        "kind": "instance",
        "software": {"name": "Alongside"},
        "implementation": {
            "description": "Alongside: a client's record, read as FHIR by the people who may read it",
            "url": base_url(),
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Everything is read only, audited, and by the record's own access rules.",
                "security": {
                    "description": (
                        "Sign in as on the API (/api/v1/): a session, or an API token made on the Security"
                        " pages, sent as `Authorization: Token <key>`. Professionals only."
                    )
                },
                "resource": [
                    {
                        "type": "Patient",
                        "interaction": [{"code": "read"}],
                        "operation": [
                            {
                                "name": "everything",
                                "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                            }
                        ],
                    }
                ],
            }
        ],
    }


# Answers that are about the request, not the record.


def operation_outcome(code: str, text: str, *, severity: str = "error") -> Json:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": text, "details": {"text": text}}],
    }
