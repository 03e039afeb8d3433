"""The export's files: a printable HTML document, the same as JSON, and the list of redactions, in a ZIP.

The HTML is one self-contained file (its CSS inline, print rules included, no scripts, no links to
anything): open it in any browser and print it, or "Save as PDF". Alongside has no PDF library.
"""

import datetime
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

FORMAT = "alongside-subject-access/1"

# What each section's tables show, in order: (section, table, caption, [(field, column heading)]).
TABLES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "circle",
        "members",
        "Everyone who has been in the circle",
        [
            ("name", "Name"),
            ("kind", "Kind"),
            ("role", "Role"),
            ("relationship", "Relationship"),
            ("organisation", "Organisation"),
            ("lead", "Lead professional"),
            ("joined", "Joined"),
            ("left", "Left"),
            ("added_by", "Added by"),
            ("removed_by", "Removed by"),
        ],
    ),
    (
        "consents",
        "consents",
        "Consents recorded",
        [
            ("scope", "What for"),
            ("organisation", "Organisation"),
            ("family_member", "Family member"),
            ("method", "How given"),
            ("given_by", "Given by"),
            ("given_on", "Given on"),
            ("ends_on", "Ends on"),
            ("recorded_by", "Recorded by"),
            ("withdrawn_at", "Withdrawn"),
            ("withdrawal_note", "Why withdrawn"),
            ("in_force_now", "In force now"),
        ],
    ),
    (
        "stages",
        "stage_changes",
        "Every change of stage",
        [
            ("at", "When"),
            ("from", "From"),
            ("to", "To"),
            ("reason", "Why"),
            ("outcome", "Outcome"),
            ("reopened", "Reopened"),
            ("by", "By"),
        ],
    ),
    (
        "notes",
        "notes",
        "Notes, oldest first",
        [
            ("written_at", "Written"),
            ("kind", "Kind"),
            ("by", "By"),
            ("organisation", "Organisation"),
            ("who_could_read_it", "Who could read it"),
            ("text", "Note"),
        ],
    ),
    (
        "plan",
        "goals",
        "Goals",
        [
            ("id", "Goal number"),
            ("goal", "Goal, in the client's words"),
            ("success_looks_like", "What success looks like"),
            ("review_on", "Review date"),
            ("shared_with_client", "Shared with the client"),
            ("added_by", "Added by"),
            ("added_at", "Added"),
            ("taken_off_at", "Taken off the plan"),
        ],
    ),
    (
        "plan",
        "actions",
        "Actions",
        [
            ("goal_id", "Goal number"),
            ("what", "What"),
            ("who", "Who"),
            ("due_on", "By when"),
            ("status", "Status"),
            ("why_dropped", "Why dropped"),
            ("added_by", "Added by"),
            ("added_at", "Added"),
            ("taken_off_at", "Taken off the plan"),
        ],
    ),
    (
        "plan",
        "history",
        "Every change to the plan",
        [
            ("at", "When"),
            ("goal_id", "Goal number"),
            ("what_changed", "What changed"),
            ("before", "Before"),
            ("after", "After"),
            ("by", "By"),
        ],
    ),
    (
        "plan",
        "comments",
        "The client's own words on their goals",
        [("goal_id", "Goal number"), ("at", "When"), ("by", "By"), ("text", "What they wrote")],
    ),
    (
        "plan",
        "agreed_versions",
        "Times the plan was agreed",
        [
            ("agreed_at", "When"),
            ("agreed_by", "Recorded by"),
            ("who_took_part", "Who took part"),
            ("note", "Note"),
        ],
    ),
    (
        "assessments",
        "assessments",
        "Assessments",
        [
            ("id", "Assessment number"),
            ("instrument", "Questionnaire"),
            ("assessed_at", "When"),
            ("done", "Done"),
            ("by", "By"),
            ("organisation", "Organisation"),
            ("score", "Score"),
            ("band", "Meaning"),
            ("status", "Status"),
            ("why_amended", "Why amended"),
        ],
    ),
    (
        "assessments",
        "answers",
        "Answers given",
        [
            ("assessment_id", "Assessment number"),
            ("question", "Question"),
            ("score", "Score"),
            ("in_words", "In words"),
        ],
    ),
    (
        "board",
        "cards",
        "Cards on the board",
        [
            ("column", "Column"),
            ("kind", "Kind"),
            ("text", "What it says"),
            ("by", "By"),
            ("organisation", "Organisation"),
            ("who_could_read_it", "Who could read it"),
            ("written_at", "Written"),
            ("closed_at", "Closed"),
            ("why_closed", "Why closed"),
        ],
    ),
    (
        "board",
        "scales",
        "Scales (0 to 10)",
        [("at", "When"), ("by", "By"), ("organisation", "Organisation"), ("score", "Score"), ("why", "Why")],
    ),
    (
        "meetings",
        "meetings",
        "Meetings where the client was discussed",
        [
            ("item_id", "Item number"),
            ("meeting", "Meeting"),
            ("kind", "Kind"),
            ("starts_at", "When"),
            ("place", "Where"),
            ("chair", "Chair"),
            ("why_discussed", "Why discussed"),
            ("lawful_basis", "Lawful basis"),
            ("why_without_consent", "Why without consent"),
            ("minutes", "Minutes"),
            ("minutes_signed_off", "Minutes signed off"),
            ("next_review_on", "Next review"),
        ],
    ),
    (
        "meetings",
        "decisions",
        "Decisions",
        [
            ("item_id", "Item number"),
            ("decided_at", "When"),
            ("decision", "Decision"),
            ("agreed_by", "Agreed by"),
            ("disagreed", "Who disagreed, and why"),
            ("recorded_by", "Recorded by"),
        ],
    ),
    (
        "meetings",
        "reports",
        "Reports written for the meetings",
        [
            ("item_id", "Item number"),
            ("kind", "Kind"),
            ("by", "By"),
            ("organisation", "Organisation"),
            ("written_at", "Written"),
            ("facts", "What is known"),
            ("opinion", "What the writer thinks"),
        ],
    ),
    (
        "referrals",
        "referrals",
        "Referrals",
        [
            ("id", "Referral number"),
            ("sent_at", "Sent"),
            ("from", "From"),
            ("to", "To"),
            ("service", "Service"),
            ("by", "By"),
            ("what_was_asked", "What was asked"),
            ("why", "Why"),
            ("status", "Status"),
            ("worker", "Worker"),
            ("why_declined", "Why declined"),
            ("first_contact_on", "First contact"),
            ("outcome", "Outcome"),
            ("outcome_note", "Outcome note"),
        ],
    ),
    (
        "referrals",
        "referral_steps",
        "Each step of the referrals",
        [
            ("referral_id", "Referral number"),
            ("at", "When"),
            ("step", "Step"),
            ("by", "By"),
            ("organisation", "Organisation"),
            ("text", "What they wrote"),
        ],
    ),
    (
        "referrals",
        "handovers",
        "Handovers between lead professionals",
        [
            ("offered_at", "Offered"),
            ("from", "From"),
            ("to", "To"),
            ("status", "Status"),
            ("summary", "Summary"),
            ("decided_at", "Decided"),
        ],
    ),
    (
        "portal",
        "portal_access",
        "Who could use the portal for the client",
        [("who", "Who"), ("since", "From"), ("until", "Until")],
    ),
    (
        "who_looked",
        "reads",
        "Professionals who looked at the record",
        [
            ("who", "Who"),
            ("organisation", "Organisation"),
            ("what", "What they looked at"),
            ("first_time", "First time"),
            ("last_time", "Last time"),
            ("times", "How many times"),
            ("under_emergency_access", "Under emergency access"),
        ],
    ),
]

RECORD_FIELDS = [
    ("public_id", "Alongside ID"),
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("preferred_name", "Preferred name"),
    ("date_of_birth", "Date of birth"),
    ("pronouns", "Pronouns"),
    ("language", "Language"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("address", "Address"),
    ("accessibility_needs", "Accessibility needs"),
    ("stage", "Stage"),
    ("stage_since", "At this stage since"),
    ("outcome", "Outcome"),
    ("registered_at", "Registered"),
    ("registered_by", "Registered by"),
]


def readable(value: Any) -> str:
    """A value as a person reads it on paper."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y, %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    return str(value)


def html_context(document: dict[str, Any], titles: list[tuple[str, str]]) -> dict[str, Any]:
    record = document["sections"]["record"]["record"]
    sections = []
    for key, title in titles:
        if key == "record":
            continue
        tables = []
        for section, table, caption, columns in TABLES:
            if section != key:
                continue
            rows = document["sections"][key][table]
            tables.append(
                {
                    "caption": caption,
                    "headings": [heading for _field, heading in columns],
                    "rows": [[readable(row.get(name)) for name, _heading in columns] for row in rows],
                }
            )
        sections.append({"key": key, "title": title, "tables": tables})
    return {
        "document": document,
        "produced_at": readable(document["produced"]["at"]),
        "record": [(label, readable(record.get(name))) for name, label in RECORD_FIELDS],
        "sections": sections,
        "redactions": document["redactions"],
    }


def zip_files(*, folder: str, files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"{folder}/{name}", text.encode())
    return out.getvalue()


def package(document: dict[str, Any], titles: list[tuple[str, str]]) -> tuple[str, bytes]:
    """The ZIP's name and bytes: export.html, export.json, redactions.json and a short README."""
    public_id = document["client"]["public_id"]
    day = timezone.localtime(document["produced"]["at"]).strftime("%Y-%m-%d")
    folder = f"subject-access-{public_id}-{day}"
    html = render_to_string("subject_access/export.html", html_context(document, titles))
    as_json = json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    redactions = json.dumps(
        {"format": FORMAT, "client": public_id, "redactions": document["redactions"]},
        cls=DjangoJSONEncoder,
        indent=2,
        ensure_ascii=False,
    )
    readme = (
        f"Subject access export for {public_id}, produced {readable(document['produced']['at'])} by "
        f"{document['produced']['organisation']}.\n\n"
        "export.html      the whole record, to read or print (open it in a browser; print, or save as PDF)\n"
        "export.json      the same, for computers\n"
        "redactions.json  what was left out or blanked, and why (also at the end of export.html)\n"
    )
    files = {"export.html": html, "export.json": as_json, "redactions.json": redactions, "README.txt": readme}
    return f"{folder}.zip", zip_files(folder=folder, files=files)
