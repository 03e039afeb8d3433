"""API for plan templates: which ones a professional may start from; the lead starts a plan from one."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from circles.selectors import client_get_for_user
from network.api_schema import IdInput, answers
from network.http import AuthenticatedRequest
from sharing import selectors, services
from sharing.api.plans import PlanOutput
from sharing.models import PlanTemplate


class TemplateActionOutput(serializers.Serializer):
    what = serializers.CharField()
    due_in_days = serializers.IntegerField(allow_null=True, help_text="Due this many days after the start")
    owner = serializers.ChoiceField(
        choices=[("client", "The client")], allow_null=True, help_text='"client", or null: the lead chooses'
    )
    shared_with_client = serializers.BooleanField()


class TemplateGoalOutput(serializers.Serializer):
    in_own_words = serializers.CharField()
    success_looks_like = serializers.CharField(allow_blank=True)
    review_in_days = serializers.IntegerField(allow_null=True)
    shared_with_client = serializers.BooleanField()
    actions = TemplateActionOutput(many=True)


class PlanTemplateOutput(serializers.ModelSerializer):
    kept_by = serializers.SerializerMethodField(
        help_text="The agency that keeps it; null if it ships with Alongside"
    )
    goals = TemplateGoalOutput(many=True)

    class Meta:
        model = PlanTemplate
        fields = ["id", "name", "description", "kept_by", "goals"]

    def get_kept_by(self, template: PlanTemplate) -> str | None:
        return template.organisation.name if template.organisation else None


class FromTemplateInput(serializers.Serializer):
    template_id = IdInput(help_text="One of the templates GET /api/v1/plan-templates/ lists")


class PlanTemplateListApi(APIView):
    @extend_schema(
        responses=answers({200: PlanTemplateOutput(many=True)}),
        summary="Plan templates I may start a plan from: Alongside's and my agency's",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        templates = selectors.plan_templates_for(request.user)
        return Response(PlanTemplateOutput(templates, many=True).data)


class PlanFromTemplateApi(APIView):
    @extend_schema(
        request=FromTemplateInput,
        responses=answers({201: PlanOutput}, 400, 404),
        summary="Add a template's goals and actions to the plan, after any it has (lead)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id, need="manage")
        data = FromTemplateInput(data=request.data)
        data.is_valid(raise_exception=True)
        template = _template(request, data.validated_data["template_id"])
        services.plan_from_template(actor=request.user, client=record.client, template=template)
        return Response(
            PlanOutput(selectors.plan_for(record), context={"record": record}).data,
            status=status.HTTP_201_CREATED,
        )


def _template(request: Any, template_id: int) -> PlanTemplate:
    try:
        return selectors.plan_template_get_for(request.user, template_id)
    except Http404:
        raise serializers.ValidationError(
            {"template_id": ["No such template, or one kept by another agency."]}
        ) from None
