"""Imports of clients in the API, under /api/v1/imports/: upload a file (the dry run), see an import's
progress and result, start it. Agency admins only, as the pages."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from importing import checking, selectors, services
from importing.models import ImportJob
from network.api_schema import FIELD_ERRORS, ErrorOutput, answers
from network.http import AuthenticatedRequest


class ProblemOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The file's row (the column names are row 1)")
    field = serializers.CharField(help_text="The column, in words; empty for the row or the file")
    message = serializers.CharField()
    text = serializers.CharField(help_text="All of it in one line: “Row 14, date of birth: …”")


class DuplicateOutput(serializers.Serializer):
    row = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField()
    same_as_rows = serializers.ListField(child=serializers.IntegerField())
    existing = serializers.ListField(
        child=serializers.CharField(), help_text="Public IDs of existing clients"
    )
    text = serializers.CharField()


class ImportOutput(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    created_by = serializers.CharField(source="created_by.full_name")
    percent = serializers.IntegerField(
        help_text="How far along, 0–100 (checking the rows: 0–10, then saving them: 10–100)"
    )
    duplicates = DuplicateOutput(
        many=True, help_text="Likely duplicates found by the dry run (the first 500)"
    )
    problems = ProblemOutput(many=True, help_text="Why it was not imported, when it failed (the first 500)")
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "file_name",
            "status",
            "status_label",
            "created_at",
            "created_by",
            "row_count",
            "member_count",
            "rows_checked",
            "rows_saved",
            "percent",
            "created_count",
            "duplicate_count",
            "duplicates",
            "problem_count",
            "problems",
            "started_at",
            "finished_at",
        ]


class UploadInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="A CSV file of clients in UTF-8 (docs/importing.md has its columns); "
        f"at most {checking.MAX_BYTES // (1024 * 1024)} MB and {checking.MAX_ROWS:,} rows."
    )


PROBLEMS = OpenApiResponse(
    FIELD_ERRORS,
    description="The file has problems, and nothing was kept: every one (the first 500, then how many "
    "more) under `file`, each naming its row and column, e.g. “Row 14, date of birth: …”.",
)


NOT_MULTIPART = OpenApiResponse(ErrorOutput, description="The file comes as multipart/form-data.")


def _problems(checked: checking.Checked) -> dict[str, list[str]]:
    texts = [problem.text for problem in checked.problems]
    if checked.problem_count > len(texts):
        texts.append(f"… and {checked.problem_count - len(texts):,} more.")
    return {"file": texts}


class ImportListApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=answers({200: ImportOutput(many=True)}), summary="Your organisation's imports")
    def get(self, request: AuthenticatedRequest) -> Response:
        jobs = selectors.jobs_for(request.user)[:50]
        return Response(ImportOutput(jobs, many=True).data)

    @extend_schema(
        request={"multipart/form-data": UploadInput},
        responses=answers({201: ImportOutput, 400: PROBLEMS, 415: NOT_MULTIPART}),
        summary="Upload a file of clients: the dry run",
        description="Every row is checked. A file with problems is refused (400) and not kept; a clean one "
        "becomes an import that is ready to start, with any likely duplicates listed.",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        selectors.admin_only(request.user)
        data = UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > checking.MAX_BYTES:
            return Response(
                {"file": [f"The file is over {checking.MAX_BYTES // (1024 * 1024)} MB."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            job, _checked = services.import_check(
                actor=request.user, file_name=upload.name, content=upload.read()
            )
        except services.FileHasProblems as exc:
            return Response(_problems(exc.checked), status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportOutput(job).data, status=status.HTTP_201_CREATED)


class ImportDetailApi(APIView):
    @extend_schema(
        responses=answers({200: ImportOutput}, 404),
        summary="An import: the dry run's result, its progress, then its result",
    )
    def get(self, request: AuthenticatedRequest, import_id: int) -> Response:
        return Response(ImportOutput(selectors.job_get(request.user, import_id)).data)


class ImportStartApi(APIView):
    @extend_schema(
        request=None,
        responses=answers({202: ImportOutput}, 404, 409),
        summary="Start a checked import; it runs in the background (watch its progress)",
    )
    def post(self, request: AuthenticatedRequest, import_id: int) -> Response:
        job = services.import_start(actor=request.user, job=selectors.job_get(request.user, import_id))
        return Response(ImportOutput(job).data, status=status.HTTP_202_ACCEPTED)
