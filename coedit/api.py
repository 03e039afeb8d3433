"""The API side of co-editing: an item's ETag is its version, and a change must say which one it started
from.

    GET    ETag: "goal-7-v3"
    PATCH  If-Match: "goal-7-v3"
        200 + new ETag         saved
        412 + current values   someone changed the same field since v3: look, then choose
        428                    no If-Match: say which version you are changing

What a co-edited resource's operations answer is documented here once, for all of them: IF_MATCH (the
header a change needs), ETAG (the header every answer with an item carries) and
`versioned_update_responses(output)` (200, 412, 428).

A 412 says who made each clashing change as `name_of(account)`: the caller's naming rule for the person
asking (the engine knows nobody, and a hidden member is not named to someone outside the circle). The
apps all pass `circles.access.saved_by_label`, one rule for the page and the API alike: the person asking
is "You" (their own earlier save, from another tab or client), anyone else is named as `person_label`
names them to that person.

A change answers in one order, for every co-edited resource: 404 (may not see it), 400 (bad body), 428
(no If-Match), 403 (may not change it), 409 (closed), 412 (stale). The version If-Match names is checked
by the write itself (`edit_apply`, inside the service, after it has checked who may change what): so a
version that does not exist (0, 999, a malformed or foreign tag) is a 412 only for someone who may make
the change, and someone who may not hears 403 whatever version they name, with nothing written.
"""

import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from coedit.edits import NoSuchVersion, StaleEdit

ETAG_PATTERN = r'^\s*(W/)?"[a-z]+-[0-9]+-v[0-9]+"\s*$'

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    pattern=ETAG_PATTERN,
    description='The ETag you read, e.g. "goal-7-v3": the version your change starts from.',
)
# The ETag header, on every answer that carries an item (a read, an add, a change, a refused change).
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201, 412],
    description='The item\'s version, e.g. "goal-7-v3": send it back as If-Match to change the item.',
)

PRECONDITION_REQUIRED = inline_serializer(
    name="PreconditionRequired", fields={"detail": serializers.CharField()}
)


def versioned_update_responses(output: type[serializers.Serializer]) -> dict[int, Any]:
    """What a change through `versioned_update` answers (with the IF_MATCH and ETAG parameters): 200 with
    the item as `output` shows it, 412 with its current values, 428 without If-Match."""
    name = output.__name__.removesuffix("Output")
    stale = inline_serializer(
        name=f"Stale{name}",
        fields={
            "detail": serializers.CharField(),
            "conflicts": serializers.DictField(
                child=inline_serializer(
                    name=f"Stale{name}Field",
                    fields={
                        "current": serializers.JSONField(),
                        "by": serializers.CharField(),
                        "at": serializers.DateTimeField(),
                    },
                ),
                help_text="Each field someone changed since your version: its value now, who, when.",
            ),
            "current": output(),
        },
    )
    return {
        200: output,
        412: OpenApiResponse(stale, description="Someone changed the same field since your version."),
        428: OpenApiResponse(
            PRECONDITION_REQUIRED, description="No If-Match: say which version you are changing."
        ),
    }


def etag(item: Any) -> str:
    return f'"{type(item).__name__.lower()}-{item.pk}-v{item.version}"'


def if_match_version(request: Request, item: Any) -> int | None:
    """The version named by If-Match, or None if there is none. A malformed or foreign tag is 0 (a 412)."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    match = re.fullmatch(rf'(?:W/)?"{type(item).__name__.lower()}-{item.pk}-v(\d+)"', header.strip())
    return int(match.group(1)) if match else 0


def versioned_response(
    item: Any,
    output: type[serializers.Serializer],
    *,
    context: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Response:
    """The item as `output` shows it (given the serializer `context`), with its ETag."""
    return Response(output(item, context=context or {}).data, headers={"ETag": etag(item)}, **kwargs)


def precondition_required() -> Response:
    return Response(
        {"detail": "Say which version you are changing: send If-Match with the ETag you read."},
        status=status.HTTP_428_PRECONDITION_REQUIRED,
    )


def precondition_failed(
    stale: StaleEdit,
    current: Any,
    output: type[serializers.Serializer],
    context: dict[str, Any] | None = None,
    *,
    name_of: Callable[[Any], str],
) -> Response:
    """412: what the item says now, and each clash with who made it as `name_of` names them."""
    return Response(
        {
            "detail": "Someone changed this since you read it. Here is what it says now.",
            "conflicts": {
                name: {**conflict, "by": name_of(conflict["by"])}
                for name, conflict in stale.conflicts.items()
            },
            "current": output(current, context=context or {}).data,
        },
        status=status.HTTP_412_PRECONDITION_FAILED,
        headers={"ETag": etag(current)},
    )


def versioned_update(
    request: Request,
    item: Any,
    *,
    save: Callable[[int], Any],
    reread: Callable[[], Any],
    output: type[serializers.Serializer],
    context: dict[str, Any] | None = None,
    answer: Callable[[Any], Any] | None = None,
    name_of: Callable[[Any], str],
) -> Response:
    """Change `item` from the version If-Match names: `save(base_version)` writes (or raises StaleEdit)
    and returns the item as it saved it; `reread()` fetches the item as it is now. 428 without If-Match;
    412 with the current values if stale or if If-Match names a version the item never had (`save`'s
    edit raises NoSuchVersion, after its access checks: 403 comes first), naming who got there first as
    `name_of(account)` does (the app's naming rule for the person asking). A 200's body and ETag are
    always the state *this* write made, never a later one.

    Given `answer`, the write commits first (in the service's own transaction, so its event rings at once)
    and the answer is `answer(saved)`: the saved item made ready to show without reading it again (the
    board's cards). Without it, the write and the read of what it made are one transaction (`reread()`
    inside it), so a write that lands in between waits; the doorbell then rings after that read.
    """
    version = if_match_version(request, item)
    if version is None:
        return precondition_required()
    try:
        if answer is not None:
            saved = save(version)
        else:
            with transaction.atomic():
                save(version)
                return versioned_response(reread(), output, context=context)
    except StaleEdit as stale:
        return precondition_failed(stale, reread(), output, context, name_of=name_of)
    except NoSuchVersion as missing:
        return precondition_failed(StaleEdit(missing.item, {}), reread(), output, context, name_of=name_of)
    return versioned_response(answer(saved), output, context=context)


def versioned_update_checked(
    request: Request,
    *,
    lock: Callable[[], Any],
    save: Callable[[Any, int], Any],
    reread: Callable[[Any], Any],
    answer: Callable[[Any], Any],
    output: type[serializers.Serializer],
    context: dict[str, Any] | None = None,
    name_of: Callable[[Any], str],
) -> Response:
    """`versioned_update` for a write that checks access once, under its lock. In one transaction:
    `lock()` finds the item, takes the write's locks and checks access under them (404 for someone who
    may not see it, before anything else is looked at: their If-Match or body), then checks the body,
    and returns the item; If-Match is read (428); `save(item, base_version)` checks whether they may
    change it (403, 409) and writes (412 as `versioned_update`). The write commits, so its event rings,
    and only then is the answer `answer(saved)` built (a 200's body and ETag are the state this write
    made); a 412's current values are `reread(item)`, after the rollback, and its clashes name people as
    `name_of` does.
    """
    try:
        with transaction.atomic():
            item = lock()
            version = if_match_version(request, item)
            if version is None:
                return precondition_required()
            saved = save(item, version)
    except NoSuchVersion as missing:
        return precondition_failed(
            StaleEdit(missing.item, {}), reread(missing.item), output, context, name_of=name_of
        )
    except StaleEdit as stale:
        return precondition_failed(stale, reread(stale.item), output, context, name_of=name_of)
    return versioned_response(answer(saved), output, context=context)
