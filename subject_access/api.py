"""Subject access exports in the API, under /api/v1/clients/<public_id>/subject-access-exports/.

The same selectors, services and rules as the pages: agency admins of an organisation that works with
the client (403 for anyone else, with the reason; 404 for an unknown client or export).
"""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from network.api_schema import answers
from network.http import AuthenticatedRequest
from subject_access import selectors, services
from subject_access.models import SubjectAccessExport


class ExportOutput(serializers.ModelSerializer):
    client = serializers.CharField(source="client.public_id")
    requested_by = serializers.CharField(source="requested_by.full_name")
    progress = serializers.IntegerField(source="percent", help_text="Per cent done, 0 to 100")
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True, help_text="When the file is deleted")
    downloadable = serializers.BooleanField(source="is_downloadable")

    class Meta:
        model = SubjectAccessExport
        fields = [
            "id",
            "client",
            "requested_by",
            "status",
            "steps_done",
            "steps_total",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "downloadable",
            "file_name",
            "file_size",
            "redaction_count",
            "error",
        ]


class ExportListApi(APIView):
    @extend_schema(
        summary="This organisation's subject access exports of the client",
        responses=answers({200: ExportOutput(many=True)}, 404),
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        client = selectors.client_for_export(request.user, public_id)
        return Response(ExportOutput(selectors.exports_for(request.user, client)[:50], many=True).data)

    @extend_schema(
        summary="Start a subject access export of the client (a background task)",
        description="Answers 201 with the new export, or 200 with the one already being put together for "
        "this client by your organisation. Follow it at its own URL; download it once `downloadable`.",
        request=None,
        responses=answers({201: ExportOutput, 200: ExportOutput}, 404),
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        client = selectors.client_for_export(request.user, public_id)
        export, new = services.export_start(actor=request.user, client=client)
        export = selectors.export_get_for(request.user, export.pk)
        return Response(
            ExportOutput(export).data, status=status.HTTP_201_CREATED if new else status.HTTP_200_OK
        )


class ExportDetailApi(APIView):
    @extend_schema(
        summary="A subject access export: its status and progress",
        responses=answers({200: ExportOutput}, 404),
    )
    def get(self, request: AuthenticatedRequest, public_id: str, export_id: int) -> Response:
        client = selectors.client_for_export(request.user, public_id)
        return Response(ExportOutput(selectors.export_get_for(request.user, export_id, client=client)).data)


class AnyAccept(BaseContentNegotiation):
    """The download is a ZIP whatever the Accept header asks; errors are JSON."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0]

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


# The ZIP is not JSON: its success is keyed by status and media type (answers() keys by status alone).
DOWNLOAD_ANSWERS: dict[Any, Any] = {
    (200, "application/zip"): OpenApiResponse(
        OpenApiTypes.BINARY, description="The ZIP. Each download is audited."
    ),
    **answers({}, 404, 409),
}


class ExportDownloadApi(APIView):
    content_negotiation_class = AnyAccept

    @extend_schema(
        summary="Download a subject access export (a ZIP: export.html, export.json, redactions.json)",
        responses=DOWNLOAD_ANSWERS,
    )
    def get(self, request: AuthenticatedRequest, public_id: str, export_id: int) -> HttpResponse:
        client = selectors.client_for_export(request.user, public_id)
        export = selectors.export_get_for(request.user, export_id, client=client, with_file=True)
        data = services.export_download(actor=request.user, export=export)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
        return response
