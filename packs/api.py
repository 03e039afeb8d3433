"""API for configuration packs (agency admins): write out the agency's pack; preview and bring one in.

GET  /api/v1/packs/export/                               the pack (audited)
POST /api/v1/packs/preview/  {"pack": {…}}               what it would change; nothing changes
POST /api/v1/packs/apply/    {"pack": {…}, "preview": …} bring it in, all or nothing; with the preview's
                                                         digest, 409 if what it would change has moved
A bad pack is a 400 whose "pack" names each problem by its path in the pack ("meeting_types[0].name").
"""

from typing import NoReturn

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from network.api_schema import answers
from network.http import AuthenticatedRequest
from packs import selectors, services
from sharing.api.templates import TemplateGoalOutput


class PlanTemplateDefinition(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    goals = TemplateGoalOutput(many=True)


class MeetingTypeDefinition(serializers.Serializer):
    name = serializers.CharField()
    family_invited = serializers.BooleanField()
    minutes_due_working_days = serializers.IntegerField()
    standard_agenda = serializers.ListField(child=serializers.CharField())


class ConfigurationPackOutput(serializers.Serializer):
    format = serializers.ChoiceField(choices=[("alongside-pack", "alongside-pack")])
    version = serializers.IntegerField(help_text="The version of the pack format")
    organisation = serializers.CharField(help_text="The agency whose pack it is")
    exported_at = serializers.DateTimeField()
    scales = serializers.DictField(child=serializers.DictField(), help_text="As in an instrument pack")
    instruments = serializers.ListField(
        child=serializers.DictField(), help_text="As in an instrument pack, each naming one of the scales"
    )
    plan_templates = PlanTemplateDefinition(many=True)
    meeting_types = MeetingTypeDefinition(many=True)


class PackInput(serializers.Serializer):
    pack = serializers.DictField(
        help_text="A pack as GET /api/v1/packs/export/ writes it; checked in full (docs/packs.md)"
    )


class ApplyInput(PackInput):
    preview = serializers.RegexField(
        r"^[0-9a-f]{1,64}$",
        required=False,
        help_text="The preview's digest: if what the pack would change is no longer what the preview said, "
        "nothing is applied (409)",
    )


class ItemOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["instrument", "plan template", "meeting type"])
    name = serializers.CharField()
    change = serializers.ChoiceField(choices=["new", "changed", "unchanged"])
    words = serializers.CharField(help_text="What happens to it, in plain words")


class PreviewOutput(serializers.Serializer):
    preview = serializers.CharField(source="digest", help_text="Send it back to apply exactly this")
    items = ItemOutput(many=True)
    new = serializers.IntegerField(source="counts.new")
    changed = serializers.IntegerField(source="counts.changed")
    unchanged = serializers.IntegerField(source="counts.unchanged")


def _refuse(exc: ValidationError) -> NoReturn:
    """A bad pack: its problems under "pack", by path. A conflict with the state of things stays a 409."""
    codes = (
        [error.code for errors in exc.error_dict.values() for error in errors]
        if hasattr(exc, "error_dict")
        else []
    )
    if codes and all(code == "conflict" for code in codes):
        raise exc
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"pack": exc.messages}
    raise serializers.ValidationError({"pack": detail})


class PackExportApi(APIView):
    @extend_schema(
        responses=answers({200: ConfigurationPackOutput}),
        summary="My agency's configuration pack (agency admin)",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(services.pack_export(actor=request.user))


class PackPreviewApi(APIView):
    @extend_schema(
        request=PackInput,
        responses=answers({200: PreviewOutput}, 400),
        summary="What bringing in a pack would change; nothing changes (agency admin)",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        selectors.admin_organisation_id(request.user)  # agency admins only, before reading anything sent
        data = PackInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            preview = selectors.pack_preview(actor=request.user, pack=data.validated_data["pack"])
        except ValidationError as exc:
            _refuse(exc)
        return Response(PreviewOutput(preview).data)


class PackApplyApi(APIView):
    @extend_schema(
        request=ApplyInput,
        responses=answers({200: PreviewOutput}, 400, 409),
        summary="Bring in a pack, all of it or nothing (agency admin)",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        selectors.admin_organisation_id(request.user)
        data = ApplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            applied = services.pack_apply(
                actor=request.user,
                pack=data.validated_data["pack"],
                preview=data.validated_data.get("preview"),
            )
        except ValidationError as exc:
            _refuse(exc)
        return Response(PreviewOutput(applied).data)
