"""Writes for configuration packs: write out an agency's pack (audited), and bring one in.

Bringing a pack in is one transaction: the pack is checked and compared again inside it (with the
agency's row locked, so two imports for one agency take turns), each part is written by the app that
owns it (assessments.services.pack_import, sharing's plan_template_save, conferences' meeting_type_save,
each auditing its own change), and a pack.apply row says what the pack held. Any error, and nothing at all
has changed.
"""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import packs as instrument_packs
from assessments import services as assessment_services
from changes.services import record
from conferences import services as meeting_services
from network.models import Organisation
from packs import changes as c
from packs.format import FORMAT, VERSION, instrument_part
from packs.selectors import Preview, admin_organisation_id, pack_contents, pack_preview
from sharing import services as plan_services

if TYPE_CHECKING:
    from network.models import User


def pack_export(*, actor: "User") -> dict:
    """The person's agency's instruments, plan templates and meeting types, as a pack (audited)."""
    contents = pack_contents(actor=actor)
    instruments = instrument_packs.pack_from(contents.instruments)
    pack = {
        "format": FORMAT,
        "version": VERSION,
        "organisation": actor.organisation.name if actor.organisation else "",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "scales": instruments["scales"],
        "instruments": instruments["instruments"],
        "plan_templates": contents.plan_templates,
        "meeting_types": contents.meeting_types,
    }
    with transaction.atomic():
        record(
            change=c.PACK_EXPORT,
            actor=actor,
            client=None,
            after={
                "instruments": [d["code"] for d in contents.instruments],
                "plan_templates": [t["name"] for t in contents.plan_templates],
                "meeting_types": [t["name"] for t in contents.meeting_types],
            },
        )
    return pack


def pack_apply(*, actor: "User", pack: Any, preview: str | None = None) -> Preview:
    """Bring a pack in, all of it or nothing. `preview`: the digest of the preview the person saw; if what
    the pack would change is no longer that (someone changed something meanwhile), nothing is applied."""
    try:
        with transaction.atomic():
            Organisation.objects.select_for_update().filter(pk=admin_organisation_id(actor)).first()
            planned = pack_preview(actor=actor, pack=pack)
            if preview is not None and preview != planned.digest:
                raise ValidationError(
                    {
                        "preview": ValidationError(
                            "What the pack would change is not what you saw: something changed meanwhile. "
                            "Check the pack again.",
                            code="conflict",
                        )
                    }
                )
            if pack.get("instruments"):
                assessment_services.pack_import(actor=actor, pack=instrument_part(pack))
            for n, template in enumerate(pack.get("plan_templates", [])):
                plan_services.plan_template_save(
                    actor=actor, definition=template, where=f"plan_templates[{n}]"
                )
            for n, definition in enumerate(pack.get("meeting_types", [])):
                meeting_services.meeting_type_save(
                    actor=actor, definition=definition, where=f"meeting_types[{n}]"
                )
            record(
                change=c.PACK_APPLY,
                actor=actor,
                client=None,
                after={
                    "organisation": pack.get("organisation", ""),
                    "items": [[item.kind, item.name, item.change] for item in planned.items],
                },
            )
    except IntegrityError:
        raise ValidationError(
            {
                "pack": ValidationError(
                    "Someone brought in something of the same name at the same moment. Check the pack again.",
                    code="conflict",
                )
            }
        ) from None
    return planned
