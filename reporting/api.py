"""The dashboard's figures as JSON, under /api/v1/reporting/: the same form, selectors, protection
(reporting.tables) and audit as the pages."""

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from network.api_schema import answers
from network.models import User
from reporting import selectors, services
from reporting.forms import PERIODS, FiltersForm
from reporting.selectors import Scope
from reporting.tables import FEWER


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "number"}, {"type": "string"}],
        "nullable": True,
        "description": f'A label, a figure, null (nothing to show) or "{FEWER}" (a partnership view '
        "hides counts under 5 and rounds the rest to the nearest 5).",
    }
)
class CellField(serializers.JSONField):
    pass


class TableOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    reading = serializers.CharField(help_text="The table in one line of words.")
    note = serializers.CharField(help_text="What the figures count.")
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=CellField()))


class NamedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DashboardOutput(serializers.Serializer):
    organisations = NamedOutput(many=True)
    team = NamedOutput(allow_null=True)
    partnership = NamedOutput(allow_null=True)
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    protected = serializers.BooleanField(
        help_text="A partnership view: counts under 5 hidden, the rest rounded to the nearest 5."
    )
    figures_as_at = serializers.DateTimeField(help_text="When these figures were worked out.")
    from_snapshot = serializers.BooleanField(
        help_text="The figures of a preset period (3, 6 or 12 months) come from a snapshot at most an hour "
        "old; two dates, and a partnership's figures, are worked out for the request."
    )
    tables = TableOutput(many=True)


FILTERS = [
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        enum=[value for value, _label in PERIODS],
        description="The last 3, 6 or 12 months (to today), or 'dates' with from and to. Default 3.",
    ),
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="The period's first day (on or before `to`, from 2000)."
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="The period's last day (today or earlier)."),
    OpenApiParameter("team", OpenApiTypes.INT, description="One of the organisation's teams, by id."),
]


def _answer(request: Request, scope: Scope) -> Response:
    form = FiltersForm(
        request.query_params,
        teams=list(scope.teams),
        organisations=list(scope.organisations) if scope.protect else None,
    )
    if not form.is_valid():
        return Response(form.errors, status=400)
    result = selectors.dashboard(scope, chosen=form.cleaned_data)
    services.snapshot_keep(result)
    selection, tables = result.selection, result.tables
    reader = cast(User, request.user)
    services.dashboard_viewed(actor=reader, selection=selection, partnership=scope.partnership)
    body: dict[str, Any] = {
        "organisations": [{"id": o.pk, "name": o.name} for o in selection.organisations],
        "team": {"id": selection.team.pk, "name": selection.team.name} if selection.team else None,
        "partnership": (
            {"id": scope.partnership.pk, "name": scope.partnership.name} if scope.partnership else None
        ),
        "period_from": selection.period.start,
        "period_to": selection.period.end,
        "protected": scope.protect,
        "figures_as_at": result.worked_out_at,
        "from_snapshot": result.from_snapshot,
        "tables": [table.as_json() for table in tables],
    }
    return Response(DashboardOutput(body).data)


class DashboardApi(APIView):
    @extend_schema(
        summary="Your organisation's dashboard figures (agency managers and admins)",
        parameters=FILTERS,
        responses=answers({200: DashboardOutput}, 400),
    )
    def get(self, request: Request) -> Response:
        return _answer(request, selectors.organisation_scope(cast(User, request.user)))


class PartnershipDashboardApi(APIView):
    @extend_schema(
        summary="A partnership's dashboard figures (its partnership leads)",
        parameters=[
            *FILTERS,
            OpenApiParameter(
                "organisation", OpenApiTypes.INT, description="One of the agreeing organisations, by id."
            ),
        ],
        responses=answers({200: DashboardOutput}, 400, 404),
    )
    def get(self, request: Request, partnership_id: int) -> Response:
        return _answer(request, selectors.partnership_scope(cast(User, request.user), partnership_id))
