"""API for instruments and assessments, under /api/v1/. Same selectors, services and access policy as pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors, services
from assessments.models import Assessment, Instrument, InstrumentVersion
from audit.services import audit_read
from circles.api import PersonLabelField
from circles.models import Visibility
from circles.selectors import client_get_for_user
from network.api import Pages
from network.api_schema import IdInput, answers
from network.http import AuthenticatedRequest
from network.models import User
from network.text import whole_number


class InstrumentOutput(serializers.ModelSerializer):
    version = serializers.IntegerField(source="current_version")
    shipped = serializers.BooleanField(source="is_shipped")

    class Meta:
        model = Instrument
        fields = ["code", "name", "version", "shipped", "is_active"]


class InstrumentVersionOutput(serializers.ModelSerializer):
    code = serializers.CharField(source="instrument.code")

    class Meta:
        model = InstrumentVersion
        fields = ["code", "number", "definition", "created_at"]


class AssessmentOutput(serializers.ModelSerializer):
    instrument = serializers.CharField(source="instrument.code")
    version = serializers.IntegerField(source="version.number")
    author = PersonLabelField()  # needs context["record"]: the hidden-member rule
    total = serializers.IntegerField(allow_null=True)
    result = serializers.JSONField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    amends = serializers.IntegerField(source="amends_id", allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "instrument",
            "version",
            "status",
            "completed_by",
            "visibility",
            "author",
            "answers",
            "result",
            "total",
            "band",
            "flagged",
            "completed_at",
            "amends",
            "amendment_reason",
        ]


class AnswersInput(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.DictField(), help_text='{"question code": {"score": 2, "narrative": "why"}}'
    )


class StartInput(serializers.Serializer):
    instrument = serializers.SlugField(
        help_text="The code of an instrument in use (GET /api/v1/instruments/)"
    )
    completed_by = serializers.ChoiceField(
        choices=[Assessment.By.PRACTITIONER, Assessment.By.TOGETHER], default=Assessment.By.PRACTITIONER
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.CIRCLE)
    named_people = serializers.ListField(
        child=IdInput(),
        required=False,
        default=list,
        help_text="For named people only: people (user ids) in the circle, at least one.",
    )


class AmendInput(AnswersInput):
    reason = serializers.CharField(max_length=500)


class SeriesPointOutput(serializers.Serializer):
    assessment_id = serializers.IntegerField()
    at = serializers.DateTimeField()
    version = serializers.IntegerField()
    values = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class ScoreChangeOutput(serializers.Serializer):
    area = serializers.CharField(source="label", help_text="The total, or the item (area) it is about")
    baseline = serializers.IntegerField()
    latest = serializers.IntegerField()
    delta = serializers.IntegerField()
    is_meaningful = serializers.BooleanField()
    direction = serializers.CharField()


class SeriesOutput(serializers.Serializer):
    instrument = serializers.CharField()
    by_client = serializers.BooleanField()
    lines = serializers.ListField(child=serializers.CharField())
    range = serializers.ListField(child=serializers.IntegerField())
    points = SeriesPointOutput(many=True)
    changes = ScoreChangeOutput(many=True)
    summary = serializers.CharField(allow_null=True)


def _instrument(code: str) -> Instrument:
    try:
        return Instrument.objects.get(code=code)
    except Instrument.DoesNotExist:
        raise NotFound("No such instrument") from None


class InstrumentListApi(APIView):
    @extend_schema(responses=answers({200: InstrumentOutput(many=True)}, 403), summary="Instruments in use")
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(InstrumentOutput(selectors.instruments_in_use(), many=True).data)


class InstrumentDetailApi(APIView):
    @extend_schema(
        responses=answers({200: InstrumentVersionOutput}, 403, 404),
        summary="One instrument's definition: its current version, or ?version=N",
    )
    def get(self, request: AuthenticatedRequest, code: str) -> Response:
        instrument = _instrument(code)
        number = whole_number(request.query_params.get("version", str(instrument.current_version)))
        if number is None:
            raise NotFound("No such version")
        version = instrument.versions.filter(number=number).select_related("instrument").first()
        if version is None:
            raise NotFound("No such version")
        return Response(InstrumentVersionOutput(version).data)


class AssessmentListApi(APIView):
    pagination_class = Pages

    @extend_schema(
        responses=answers({200: AssessmentOutput(many=True)}, 403, 404),
        summary="The client's assessments you may read (your drafts too), newest first",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.assessment_list_for(record), request, view=self)
        audit_read(record=record, action="assessment.list")
        return paginator.get_paginated_response(
            AssessmentOutput(page, many=True, context={"record": record}).data
        )

    @extend_schema(
        request=StartInput,
        responses=answers({201: AssessmentOutput}, 400, 403, 404),
        summary="Start an assessment (a draft, yours only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        data = StartInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        instrument = Instrument.objects.filter(code=fields.pop("instrument")).first()
        if instrument is None:
            raise serializers.ValidationError({"instrument": "No instrument has that code."})
        ids = fields.pop("named_people")
        named = list(User.objects.filter(pk__in=ids))
        if len(named) != len(set(ids)):
            raise serializers.ValidationError({"named_people": "Some of those people do not exist."})
        assessment = services.assessment_start(
            actor=request.user, client=record.client, instrument=instrument, named_people=named, **fields
        )
        return Response(
            AssessmentOutput(assessment, context={"record": record}).data, status=status.HTTP_201_CREATED
        )


class AssessmentDetailApi(APIView):
    @extend_schema(responses=answers({200: AssessmentOutput}, 403, 404), summary="One assessment")
    def get(self, request: AuthenticatedRequest, public_id: str, assessment_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        assessment = selectors.assessment_get_for(record, assessment_id)
        audit_read(record=record, action="assessment.view", obj=assessment)
        return Response(AssessmentOutput(assessment, context={"record": record}).data)

    @extend_schema(
        request=AnswersInput,
        responses=answers({200: AssessmentOutput}, 400, 403, 404),
        summary="Save answers to your draft (the questions you send; the others stay as they were)",
    )
    def patch(self, request: AuthenticatedRequest, public_id: str, assessment_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        assessment = selectors.assessment_get_for(record, assessment_id)
        data = AnswersInput(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = services.assessment_draft_save(
            actor=request.user, assessment=assessment, answers=data.validated_data["answers"]
        )
        return Response(AssessmentOutput(assessment, context={"record": record}).data)

    @extend_schema(
        request=None,
        responses=answers({204: None}, 403, 404, 409),
        summary="Discard your draft (its answers go; a completed assessment is amended, never discarded)",
    )
    def delete(self, request: AuthenticatedRequest, public_id: str, assessment_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        assessment = selectors.assessment_get_for(record, assessment_id)
        services.assessment_discard(actor=request.user, assessment=assessment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssessmentCompleteApi(APIView):
    @extend_schema(
        request=AnswersInput,
        responses=answers({200: AssessmentOutput}, 400, 403, 404),
        summary="Complete your draft: scored on the server; every question must be answered",
    )
    def post(self, request: AuthenticatedRequest, public_id: str, assessment_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        assessment = selectors.assessment_get_for(record, assessment_id)
        data = AnswersInput(data={"answers": {}, **(request.data if isinstance(request.data, dict) else {})})
        data.is_valid(raise_exception=True)
        assessment = services.assessment_complete(
            actor=request.user, assessment=assessment, answers=data.validated_data["answers"]
        )
        return Response(AssessmentOutput(assessment, context={"record": record}).data)


class AssessmentAmendApi(APIView):
    @extend_schema(
        request=AmendInput,
        responses=answers({201: AssessmentOutput}, 400, 403, 404, 409),
        summary="Amend a completed assessment, with a reason: a new assessment; the original is kept",
    )
    def post(self, request: AuthenticatedRequest, public_id: str, assessment_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        assessment = selectors.assessment_get_for(record, assessment_id)
        data = AmendInput(data=request.data)
        data.is_valid(raise_exception=True)
        amendment = services.assessment_amend(
            actor=request.user,
            assessment=assessment,
            answers=data.validated_data["answers"],
            reason=data.validated_data["reason"],
        )
        return Response(
            AssessmentOutput(amendment, context={"record": record}).data, status=status.HTTP_201_CREATED
        )


class SeriesApi(APIView):
    @extend_schema(
        responses=answers({200: SeriesOutput}, 403, 404),
        summary="The figures behind an instrument's chart for the client (?by=client for their own ratings)",
    )
    def get(self, request: AuthenticatedRequest, public_id: str, code: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        instrument = _instrument(code)
        by_client = request.query_params.get("by") == "client"
        series = selectors.series_for(record, instrument, by_client=by_client)
        audit_read(record=record, action="assessment.list", detail={"instrument": code})
        lines = series.lines if series.points else []
        return Response(
            SeriesOutput(
                {
                    "instrument": code,
                    "by_client": by_client,
                    "lines": [label for label, _values in lines],
                    "range": list(series.value_range) if series.points else [],
                    "points": [
                        {
                            "assessment_id": p.assessment_id,
                            "at": p.at,
                            "version": p.version,
                            "values": [values[i] for _label, values in lines],
                        }
                        for i, p in enumerate(series.points)
                    ],
                    "changes": series.changes if len(series.points) > 1 else [],
                    "summary": series.summary if series.points else None,
                }
            ).data
        )
