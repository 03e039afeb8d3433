"""FHIR under /fhir/: a client as a Patient, everything the reader may see of their record as a Bundle, and a
small CapabilityStatement. Thin views over interop.selectors (the record's own access checks) and
interop.resources (the mapping); documented in docs/interop.md, not in the /api/ schema.

They are DRF views so that signing in is exactly the API's (a session, or `Authorization: Token <key>`; the
API's IsProfessional permission, so clients and family get nothing), and every answer, errors included, is
FHIR JSON: an OperationOutcome with a plain message, never an HTML page.
"""

import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_read
from circles import access, public_id
from interop import resources, selectors
from interop.changes import FHIR_READ
from network.api import exception_handler as api_exception_handler
from network.http import AuthenticatedRequest

FHIR_JSON = "application/fhir+json"
# What `_format` may ask for (FHIR's own short names and MIME types for JSON), and what Accept may.
JSON_FORMATS = frozenset({"json", "application/json", "application/fhir+json", "application/json+fhir"})
ACCEPTABLE = JSON_FORMATS | {"*/*", "application/*"}
# The OperationOutcome issue type for each status an answer can have.
ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    415: "not-supported",
    429: "throttled",
    503: "transient",
}
ONLY_JSON = "Alongside answers FHIR as JSON only (application/fhir+json)"


class FhirJsonRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "json"
    charset = "utf-8"


class FhirNegotiation(BaseContentNegotiation):
    """FHIR JSON, whatever is asked, unless `_format` or Accept asks only for something else (XML, Turtle):
    then 406, said in an OperationOutcome (DRF falls back to the first renderer to say it)."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        wanted = request.query_params.get("_format")
        # A "+" in a query string reads as a space: application/fhir+json arrives as "application/fhir json".
        if wanted is not None and wanted.strip().lower().replace(" ", "+") not in JSON_FORMATS:
            raise exceptions.NotAcceptable(f"{ONLY_JSON}: leave _format out, or ask for _format=json.")
        accept = request.META.get("HTTP_ACCEPT", "").strip()
        if accept and not any(
            part.split(";", 1)[0].strip().lower() in ACCEPTABLE for part in accept.split(",")
        ):
            raise exceptions.NotAcceptable(f"{ONLY_JSON}: accept application/fhir+json, or leave Accept out.")
        return renderer, renderer.media_type or FHIR_JSON


def fhir_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The API's own handling (statuses, the token's 401), with the answer as an OperationOutcome."""
    response = api_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    text = str(detail) if detail else "Alongside could not answer that request."
    response.data = resources.operation_outcome(ISSUE_TYPES.get(response.status_code, "processing"), text)
    return response


class FhirView(APIView):
    renderer_classes = [FhirJsonRenderer]
    content_negotiation_class = FhirNegotiation

    def get_exception_handler(self) -> Any:
        return fhir_exception_handler


def _record_for(request: AuthenticatedRequest, public_id_text: str) -> access.RecordAccess:
    """The record, if the reader may open it. A mistyped ID is told as such (it cannot be anyone's); an
    unknown client and one the reader may not see are the same 404, as on the pages and in the API."""
    try:
        public_id.normalise(public_id_text)
    except public_id.InvalidPublicId as error:
        raise exceptions.NotFound(f"No client with that ID: {error}") from None
    return selectors.patient_for(request.user, public_id_text)


class PatientRead(FhirView):
    @extend_schema(exclude=True)  # FHIR is documented in docs/interop.md, not in the API's schema
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = _record_for(request, public_id)
        audit_read(record=record, action=FHIR_READ.name, detail={"fhir": "Patient"})
        return Response(resources.patient(record.client))


class PatientEverything(FhirView):
    @extend_schema(exclude=True)
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = _record_for(request, public_id)
        bundle = resources.everything_bundle(
            selectors.everything_for(record),
            self_url=f"{resources.base_url()}/Patient/{record.client.public_id}/$everything",
            bundle_id=str(uuid.uuid4()),
            now=timezone.now(),
        )
        counts = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
        audit_read(
            record=record,
            action=FHIR_READ.name,
            detail={"fhir": "Patient/$everything", "resources": dict(sorted(counts.items()))},
        )
        return Response(bundle)


class Metadata(FhirView):
    """What this server does. Open to anyone, as FHIR clients expect: it says nothing of anyone's record."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(resources.capability_statement(timezone.localdate()))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A URL under /fhir/ that no route matches (a resource type Alongside does not serve, say)."""
    outcome = resources.operation_outcome(
        "not-found",
        "Alongside's FHIR server answers GET metadata, Patient/<client ID> and Patient/<client ID>/$everything"
        " only.",
    )
    return JsonResponse(outcome, status=404, content_type=FHIR_JSON)
