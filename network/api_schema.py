"""What keeps the API's OpenAPI schema true: the shapes of its errors, the answers any operation can give,
and the types of the path parameters every route shares.

An operation lists every status it can answer:

    @extend_schema(request=NoteInput, responses=answers({201: NoteOutput}, 400, 404))

`answers` adds what any operation can answer (401 a bad token, 403 not allowed, 503 the database out of
reach) to the successes and the errors the operation names. tests/network/test_api_schema_fuzz.py calls
every operation with requests built from the schema and fails on any status, body or content type the
schema does not describe.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# Largest id the database holds (a BigAutoField); a larger one sent as input is refused, not looked up.
MAX_ID = 2**63 - 1

# A public ID as typed: 8 symbols of Crockford's base 32, in either case, perhaps split by a hyphen
# (circles.public_id reads I and L as 1, O as 0). Anything else cannot be a client.
PUBLIC_ID_PATTERN = r"^\s*[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}\s*$"

# Control characters a text field drops (network.text), and a character that is neither one of those
# nor white space: text that must not be blank has to contain one.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_VISIBLE = rf"[^\s{_CONTROL}]"


def visible_text_pattern(min_length: int = 1) -> str:
    """A pattern for text with at least `min_length` characters once cleaned (controls dropped, trimmed)."""
    if min_length <= 1:
        return _VISIBLE
    # Between the first and the last visible character, count every character but controls and \r (a
    # \r\n becomes one \n when cleaned).
    return rf"{_VISIBLE}(?:[{_CONTROL}\r]*[^{_CONTROL}\r]){{{min_length - 2},}}[{_CONTROL}\r]*{_VISIBLE}"


def IdInput(**kwargs: Any) -> serializers.IntegerField:  # noqa: N802 (a field, named like one)
    """The id of a row, as API input: positive, and no larger than the database can hold."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


# Field name → its messages. `non_field_errors` for the request as a whole; a list field's messages are
# keyed by the position of the item at fault; `detail` when the body could not be read at all.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            {"type": "string"},
        ]
    },
    "example": {"text": ["Write something before saving the note."]},
}

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(FIELD_ERRORS, description="Refused: what is wrong, field by field."),
    401: OpenApiResponse(ErrorOutput, description="The API token is wrong, revoked or malformed."),
    403: OpenApiResponse(
        ErrorOutput,
        description="Not signed in as a professional (with two-factor where your organisation requires "
        "it), or not allowed this: only the lead professional manages the circle.",
    ),
    404: OpenApiResponse(
        ErrorOutput,
        description="No such client, or one you may not see (the same answer, on purpose); or nothing "
        "with that id in the record.",
    ),
    409: OpenApiResponse(
        FIELD_ERRORS,
        description="Refused because of the record as it is now: already withdrawn, decided, left or "
        "taken off the plan.",
    ),
    503: OpenApiResponse(
        ErrorOutput,
        description="The database cannot be reached; try again after the Retry-After header's seconds.",
    ),
}
ALWAYS = (401, 403, 503)


def answers(success: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's responses: its successes, the errors it names, and those any operation can give."""
    return success | {status: ERRORS[status] for status in sorted({*errors, *ALWAYS})}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's, with the path parameters the routes share typed once: `public_id` by its
    pattern, and ids (`<int:…_id>`) as positive integers."""

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter["schema"]
            if parameter["name"] == "public_id":
                schema["pattern"] = PUBLIC_ID_PATTERN
                parameter["description"] = "The client's ID, e.g. 7KM3-QXP4"
            elif schema.get("type") == "integer":
                schema["minimum"], schema["maximum"] = 1, MAX_ID
        return parameters


class NonEmptyPatch(serializers.Serializer):
    """The body of a PATCH whose fields are each optional: at least one of them, or there is nothing to
    change (400, as the services say it). The schema says so too (`minProperties: 1`)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Nothing to change.")
        return super().validate(attrs)


class NonEmptyPatchExtension(OpenApiSerializerExtension):
    target_class = "network.api_schema.NonEmptyPatch"
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["minProperties"] = 1
        return schema


class CleanTextInputExtension(OpenApiSerializerFieldExtension):
    """Text that must not be blank says so in the schema: it has to contain a visible character (as many
    as its `cleaned_min_length`) once control characters are dropped and the ends trimmed, as services clean it."""

    target_class = "network.fields.CleanTextInput"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not self.target.allow_blank:
            schema["pattern"] = visible_text_pattern(self.target.cleaned_min_length)
        return schema


def any_of_where_variants_overlap(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook: a choice of components without a discriminator, where one variant asks
    for no more than another has, is documented as anyOf.

    Our variants are views of one thing: what an outsider sees of a client is a part of what a member
    sees, so a member's row matches both, and oneOf ("exactly one") would call it invalid.
    """
    components = result.get("components", {}).get("schemas", {})

    def required(choice: dict[str, Any]) -> set[str]:
        return set(components.get(choice["$ref"].rsplit("/", 1)[-1], {}).get("required", []))

    def overlap(choices: list[dict[str, Any]]) -> bool:
        return any(required(a) <= required(b) for a in choices for b in choices if a is not b)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            choices = node.get("oneOf")
            if (
                choices
                and "discriminator" not in node
                and all("$ref" in choice for choice in choices)
                and overlap(choices)
            ):
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


def non_empty_bodies_are_required(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook: an operation whose body must have at least one field (`NonEmptyPatch`,
    `minProperties`) must have a body at all, so its requestBody is required."""
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body:
                continue
            for media in body.get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                if components.get(ref.rsplit("/", 1)[-1], {}).get("minProperties", 0) >= 1:
                    body["required"] = True
    return result
