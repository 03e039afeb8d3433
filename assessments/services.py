"""Writes to instruments and assessments. Each service validates, writes, audits and publishes."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import access, packs, scoring
from assessments import changes as c
from assessments.models import Assessment, Instrument, InstrumentVersion, SelfRatingRequest
from assessments.selectors import pack_preview
from audit.services import text_fingerprint
from changes.services import record
from circles import access as policy
from circles.models import CircleMember, Client, Visibility
from network.text import clean_line, clean_text, whole_number
from realtime.publish import notify

if TYPE_CHECKING:
    from network.models import User

REASON_MAX = 500


# Assessments.


def assessment_start(
    *,
    actor: "User",
    client: Client,
    instrument: Instrument,
    completed_by: str = Assessment.By.PRACTITIONER,
    visibility: str = Visibility.CIRCLE,
    named_people: Iterable["User"] = (),
) -> Assessment:
    """Start a draft assessment for the client with the instrument's current version. Only its author sees it."""
    named = list(named_people)
    errors = _visibility_errors(actor, visibility, named)
    if completed_by not in (Assessment.By.PRACTITIONER, Assessment.By.TOGETHER):
        errors["completed_by"] = "Choose who is completing it: you, or you and the client together."
    if not instrument.is_active:
        errors["instrument"] = "This instrument is no longer in use."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(client)
        if not access.may_start(policy.record_access(actor, client)):
            raise PermissionDenied("Only members of the circle can complete assessments.")
        version = InstrumentVersion.objects.get(instrument=instrument, number=instrument.current_version)
        if completed_by not in version.definition["completed_by"]:
            raise ValidationError({"completed_by": f"{instrument.name} is not completed that way."})
        _check_named_are_members(client, named)
        assessment = Assessment.objects.create(
            client=client,
            instrument=instrument,
            version=version,
            author=actor,
            organisation_id=actor.organisation_id,
            completed_by=completed_by,
            visibility=visibility,
        )
        if visibility == Visibility.NAMED:
            assessment.named_people.add(*named)
        record(
            change=c.ASSESSMENT_CREATE,
            actor=actor,
            client=client,
            obj=assessment,
            after={"instrument": instrument.code, "version": version.number, "visibility": visibility},
        )
    return assessment


def assessment_draft_save(*, actor: "User", assessment: Assessment, answers: dict[str, Any]) -> Assessment:
    """Save what the author has so far (the page saves itself as they type). Only their own draft."""
    answers = _clean_answers(answers)
    with transaction.atomic():
        assessment = _draft_for(actor, assessment)
        merged = {**assessment.answers, **answers}
        errors = scoring.answer_errors(assessment.definition, merged, complete=False)
        if errors:
            raise ValidationError(errors)
        assessment.answers = merged
        assessment.updated_at = timezone.now()
        assessment.save(update_fields=["answers", "updated_at"])
        record(
            change=c.ASSESSMENT_UPDATE_DRAFT,
            actor=actor,
            client=assessment.client,
            obj=assessment,
            after={"answered": sorted(k for k, v in merged.items() if v.get("score") is not None)},
        )
    return assessment


def assessment_discard(*, actor: "User", assessment: Assessment) -> None:
    """Its author throws a draft away: the draft and its answers go (a draft was only ever theirs), the audit
    keeps that it was started and discarded. A completed assessment is never discarded: amend it instead."""
    with transaction.atomic():
        draft = _draft_for(actor, assessment, conflict=True)
        before = {
            "instrument": draft.version.definition["code"],
            "version": draft.version.number,
            "answered": sorted(k for k, v in draft.answers.items() if v.get("score") is not None),
        }
        record(change=c.ASSESSMENT_DISCARD, actor=actor, client=draft.client, obj=draft, before=before)
        draft.named_people.clear()
        draft.delete()


def assessment_complete(
    *,
    actor: "User",
    assessment: Assessment,
    answers: dict[str, Any] | None = None,
    completed_at: datetime.datetime | None = None,
) -> Assessment:
    """Complete a draft: every question answered, scored on the server, shown to those who may read it.

    An answer the instrument flags (PHQ-9 question 9 above 0) tells the author and the lead at once.
    `completed_at` is for assessments brought in from elsewhere (demo data); otherwise it is now.
    """
    answers = _clean_answers(answers or {})
    with transaction.atomic():
        assessment = _draft_for(actor, assessment)
        merged = {**assessment.answers, **answers}
        errors = scoring.answer_errors(assessment.definition, merged, complete=True)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        _finish(assessment, merged, completed_at or now, now)
        assessment.save()
        _record_completion(actor, assessment, c.ASSESSMENT_COMPLETE)
    return assessment


def assessment_amend(
    *, actor: "User", assessment: Assessment, answers: dict[str, Any], reason: str
) -> Assessment:
    """Correct a completed assessment: a new one that amends it, with the reason; the original is kept.

    Its author (while in the circle) or the lead may amend it.
    """
    reason = clean_line(reason)
    answers = _clean_answers(answers)
    if not reason:
        raise ValidationError({"reason": "Say why you are amending this assessment."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters."})
    with transaction.atomic():
        _lock(assessment.client)
        original = (
            Assessment.objects.select_for_update(of=("self",)).select_related("version").get(pk=assessment.pk)
        )
        record_access = policy.record_access(actor, original.client)
        if original.status != Assessment.Status.COMPLETED:
            raise ValidationError(
                {
                    "assessment": ValidationError(
                        "Only the latest completed version can be amended.", code="conflict"
                    )
                }
            )
        if not record_access.may_add_note or not (
            original.author_id == actor.pk or record_access.may_manage_circle
        ):
            raise PermissionDenied("Only its author or the lead professional can amend an assessment.")
        merged = {**original.answers, **answers}
        errors = scoring.answer_errors(original.definition, merged, complete=True)
        if errors:
            raise ValidationError(errors)
        if merged == original.answers:
            raise ValidationError({"answers": "Nothing has changed: change an answer to amend it."})
        amendment = Assessment(
            client=original.client,
            instrument_id=original.instrument_id,
            version=original.version,
            author=actor,
            organisation_id=actor.organisation_id,
            completed_by=original.completed_by,
            visibility=original.visibility,
            amends=original,
            amendment_reason=reason,
        )
        _finish(amendment, merged, original.completed_at or timezone.now(), timezone.now())
        amendment.save()
        named = list(original.named_people.all())
        if named:
            amendment.named_people.add(*named)
        original.status = Assessment.Status.AMENDED
        original.save(update_fields=["status"])
        record(
            change=c.ASSESSMENT_AMEND,
            actor=actor,
            client=original.client,
            obj=amendment,
            before={"assessment": original.pk, "total": original.total, "band": original.band},
            after={"total": amendment.total, "band": amendment.band, "reason": reason},
            payload=c.AssessmentAmended(
                assessment_id=amendment.pk, amends=original.pk, instrument=original.version.definition["code"]
            ),
            audience=access.assessment_audience(amendment, [u.pk for u in named]),
        )
        _raise_flags(actor, amendment)
    return amendment


# The client's own rating, in the portal.


def self_rating_ask(*, actor: "User", client: Client, instrument: Instrument) -> SelfRatingRequest:
    """Ask the client to rate themself with an instrument in the portal (one open request per instrument)."""
    with transaction.atomic():
        _lock(client)
        if not access.may_start(policy.record_access(actor, client)):
            raise PermissionDenied("Only members of the circle can ask the client to rate themself.")
        version = InstrumentVersion.objects.get(instrument=instrument, number=instrument.current_version)
        if not instrument.is_active or "client" not in version.definition["completed_by"]:
            raise ValidationError({"instrument": f"{instrument.name} is not one clients fill in themselves."})
        open_request = SelfRatingRequest.objects.filter(
            client=client, instrument=instrument, done_at=None
        ).first()
        if open_request is not None:
            return open_request
        request = SelfRatingRequest.objects.create(
            client=client, instrument=instrument, asked_by=actor, organisation_id=actor.organisation_id
        )
        record(
            change=c.ASSESSMENT_ASK,
            actor=actor,
            client=client,
            obj=request,
            after={"instrument": instrument.code},
            payload=c.SelfRatingAsked(request_id=request.pk, instrument=instrument.code),
            audience={"client_visible": True},
        )
    return request


def self_rating_complete(*, user: "User", request: SelfRatingRequest, answers: dict[str, Any]) -> Assessment:
    """The client answers, in the portal. Only the client themself (not family); their words stay theirs:
    a narrative the team must give is optional for them. Shared with the client, beside the team's, never merged."""
    answers = _clean_answers(answers)
    with transaction.atomic():
        _lock(request.client)
        request = (
            SelfRatingRequest.objects.select_for_update()
            .select_related("client", "instrument")
            .get(pk=request.pk)
        )
        grant = policy.portal_access(user, request.client)
        if grant is None or grant.member_id is not None:
            raise PermissionDenied("Only the client can rate themself.")
        if request.done_at is not None:
            raise ValidationError({"request": "You have answered this already. Thank you."})
        version = InstrumentVersion.objects.get(
            instrument=request.instrument, number=request.instrument.current_version
        )
        definition = {
            **version.definition,
            "items": [
                {**item, "narrative": "optional"} if item.get("narrative") == "required" else item
                for item in version.definition["items"]
            ],
        }
        errors = scoring.answer_errors(definition, answers, complete=True)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        assessment = Assessment(
            client=request.client,
            instrument=request.instrument,
            version=version,
            author=user,
            organisation_id=request.organisation_id,
            completed_by=Assessment.By.CLIENT,
            visibility=Visibility.CLIENT,
        )
        _finish(assessment, answers, now, now)
        assessment.save()
        request.done_at, request.assessment = now, assessment
        request.save(update_fields=["done_at", "assessment"])
        _record_completion(user, assessment, c.ASSESSMENT_COMPLETE, worker=request.asked_by)
    return assessment


def _finish(
    assessment: Assessment, answers: dict, completed_at: datetime.datetime, now: datetime.datetime
) -> None:
    result = scoring.score(assessment.definition, answers)
    assessment.answers = answers
    assessment.result = result
    assessment.total = result["total"]
    assessment.band = result["band"]
    assessment.flagged = bool(result["flags"])
    assessment.status = Assessment.Status.COMPLETED
    assessment.completed_at = completed_at
    assessment.recorded_at = now
    assessment.updated_at = now


def _record_completion(
    actor: "User", assessment: Assessment, change: Any, worker: "User | None" = None
) -> None:
    named = list(assessment.named_people.values_list("pk", flat=True))
    narratives = " ".join(a.get("narrative", "") for a in assessment.answers.values())
    record(
        change=change,
        actor=actor,
        client=assessment.client,
        obj=assessment,
        after={
            "instrument": assessment.version.definition["code"],
            "version": assessment.version.number,
            "completed_by": assessment.completed_by,
            "scores": {k: v["score"] for k, v in assessment.answers.items()},
            "total": assessment.total,
            "band": assessment.band,
            "narratives": text_fingerprint(narratives),
        },
        payload=c.AssessmentChanged(
            assessment_id=assessment.pk, instrument=assessment.version.definition["code"]
        ),
        audience=access.assessment_audience(assessment, named),
    )
    _raise_flags(actor, assessment, worker=worker)


def _raise_flags(actor: "User", assessment: Assessment, worker: "User | None" = None) -> None:
    """Tell the person who completed it and the lead, at once, with a link to the result and what to do."""
    assert assessment.result is not None
    if not assessment.result["flags"]:
        return
    client = assessment.client
    url = reverse(
        "assessments:detail", kwargs={"public_id": client.public_id, "assessment_id": assessment.pk}
    )
    name = assessment.version.definition["name"]
    worker = worker or actor  # who completed it with the client, or who asked the client to
    people = {worker.pk: worker} if worker.kind == "professional" else {}
    lead = CircleMember.objects.filter(client=client, until=None, is_lead=True).select_related("user").first()
    if lead is not None and lead.user is not None:
        people.setdefault(lead.user.pk, lead.user)
    for person in people.values():
        notify(
            user=person,
            kind="assessment_flag",
            text=f"Act now: {client.full_name}'s {name} needs attention. {assessment.result['flags'][0]['message']}",
            url=url,
        )
    record(
        change=c.ASSESSMENT_FLAG,
        actor=actor,
        client=client,
        obj=assessment,
        after={"flags": [f["item"] for f in assessment.result["flags"]], "told": sorted(people)},
    )


def _draft_for(actor: "User", assessment: Assessment, *, conflict: bool = False) -> Assessment:
    """The draft, locked, if it is this person's and they are still in the circle.

    `conflict`: a completed one is refused as a conflict with the record's state (the API's 409)."""
    _lock(assessment.client)
    draft = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("version", "client")
        .filter(pk=assessment.pk)
        .first()
    )
    if draft is None:  # discarded meanwhile (in another tab, say)
        raise ValidationError(
            {"assessment": ValidationError("This draft has been discarded.", code="conflict")}
        )
    if draft.author_id != actor.pk or not access.may_start(policy.record_access(actor, draft.client)):
        raise PermissionDenied("Only its author, in the circle, can change a draft assessment.")
    if not draft.is_draft:
        message = (
            "This assessment is completed, so it cannot be discarded: amend it instead."
            if conflict
            else "This assessment is already completed: amend it instead."
        )
        raise ValidationError(
            {"assessment": ValidationError(message, code="conflict" if conflict else "invalid")}
        )
    return draft


def _clean_answers(answers: Any) -> dict[str, dict[str, Any]]:
    """{code: {"score": int | None, "narrative": str}} from what a form or the API sent."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": "Send the answers as an object of question code: answer."})
    cleaned: dict[str, dict[str, Any]] = {}
    for code, answer in answers.items():
        if not isinstance(answer, dict):
            raise ValidationError({str(code): "Each answer has a score and, if asked for, a narrative."})
        score = answer.get("score")
        if isinstance(score, str):
            # Not int(): it refuses "²" (a digit to isdigit()) and 5,000 digits. Text that is not a whole
            # number stays text, and the checks say it is not a score.
            text = score.strip()
            number = whole_number(text.removeprefix("-"))
            if not text:
                score = None
            elif number is not None:
                score = -number if text.startswith("-") else number
        narrative = answer.get("narrative", "")
        if not isinstance(narrative, str):
            raise ValidationError({str(code): "A narrative is text."})
        cleaned[str(code)] = {"score": score, "narrative": clean_text(narrative)}
    return cleaned


def _visibility_errors(actor: "User", visibility: str, named: list["User"]) -> dict[str, str]:
    if visibility not in Visibility.values:
        return {"visibility": "Choose who can see this assessment."}
    if visibility == Visibility.ORGANISATION and not actor.organisation_id:
        return {"visibility": "You are not in an organisation, so share it with the whole circle."}
    if visibility == Visibility.NAMED and not named:
        return {"named_people": "Choose at least one person who can see this assessment."}
    return {}


def _check_named_are_members(client: Client, named: list["User"]) -> None:
    if not named:
        return
    members = set(
        CircleMember.objects.filter(client=client, until=None, user__in=named).values_list(
            "user_id", flat=True
        )
    )
    outsiders = [u.full_name for u in named if u.pk not in members]
    if outsiders:
        raise ValidationError({"named_people": f"Not in this circle: {', '.join(outsiders)}."})


def _lock(client: Client) -> None:
    Client.objects.select_for_update().only("pk").get(pk=client.pk)


# Instruments.


def instrument_save(*, actor: "User", definition: dict, instrument: Instrument | None = None) -> Instrument:
    """Add an instrument, or change one (a new version; assessments keep the version they were done with).

    `definition` is one instrument as a pack writes it, with its scale inline (`scale` an object).
    """
    return _instruments_write(actor=actor, definitions=[definition], expect=instrument)[0]


def _instruments_write(
    *, actor: "User", definitions: list[dict], expect: Instrument | None = None, change: Any = None
) -> list[Instrument]:
    for n, definition in enumerate(definitions):
        errors = _definition_errors(definition, where=f"instruments[{n}]" if change else "")
        if errors:
            raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        for definition in definitions:
            definition = _normalised(definition)
            existing = Instrument.objects.select_for_update().filter(code=definition["code"]).first()
            if expect is not None and (existing is None or existing.pk != expect.pk):
                raise ValidationError({"code": "An instrument's code cannot be changed."})
            if expect is None and change is None and existing is not None:
                raise ValidationError({"code": f"An instrument is already coded {definition['code']!r}."})
            if (
                change is not None
                and existing is not None
                and existing.versions.get(number=existing.current_version).definition == definition
            ):
                saved.append(existing)  # a pack's copy of one already here, whoever keeps it: nothing to do
                continue
            if not access.may_edit_instrument(actor, existing):
                raise PermissionDenied(
                    "Only an agency admin can change their agency's instruments; shipped ones stay as published."
                )
            if existing is None:
                instrument = Instrument.objects.create(
                    code=definition["code"], name=definition["name"], organisation_id=actor.organisation_id
                )
                InstrumentVersion.objects.create(
                    instrument=instrument, number=1, definition=definition, created_by=actor
                )
                record(
                    change=change or c.INSTRUMENT_CREATE,
                    actor=actor,
                    client=None,
                    obj=instrument,
                    after={"code": instrument.code, "version": 1},
                )
            else:
                instrument = existing
                current = instrument.versions.get(number=instrument.current_version)
                if current.definition == definition:
                    saved.append(instrument)
                    continue
                instrument.current_version += 1
                instrument.name = definition["name"]
                instrument.save(update_fields=["current_version", "name"])
                InstrumentVersion.objects.create(
                    instrument=instrument,
                    number=instrument.current_version,
                    definition=definition,
                    created_by=actor,
                )
                record(
                    change=change or c.INSTRUMENT_VERSION,
                    actor=actor,
                    client=None,
                    obj=instrument,
                    before={"version": current.number},
                    after={"code": instrument.code, "version": instrument.current_version},
                )
            saved.append(instrument)
    return saved


def _definition_errors(definition: Any, *, where: str) -> dict[str, str]:
    if not isinstance(definition, dict) or not isinstance(definition.get("scale"), dict):
        return {where or "definition": "An instrument with its scale written in."}
    scale = dict(definition["scale"])
    name = str(scale.pop("code", "scale"))
    errors = packs.instrument_errors(where, {**definition, "scale": name}, {name: scale})
    return {key.lstrip("."): value for key, value in errors.items()}


def _normalised(definition: dict) -> dict:
    scale = dict(definition["scale"])
    name = str(scale.pop("code", "scale"))
    return packs.definition_from_pack({**definition, "scale": name}, {name: scale})


def pack_import(*, actor: "User", pack: Any) -> list[Instrument]:
    """Bring in a pack's instruments: new ones made, changed ones versioned, the same ones left alone."""
    pack_preview(actor=actor, pack=pack)  # refuses a bad pack, or one with an instrument not theirs
    return _instruments_write(
        actor=actor, definitions=packs.definitions_from_pack(pack), change=c.INSTRUMENT_IMPORT
    )
