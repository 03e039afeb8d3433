"""API for the client's timeline, under /api/v1/clients/<public_id>/timeline/: what happened, newest first,
as the page shows it (notes, the plan, the circle, consent, stages, assessments, and every source
registered with `sharing.timeline`: the board's cards and scales). Same selector, access rules and audit."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_read
from circles.selectors import client_get_for_user
from network.api_schema import answers
from network.http import AuthenticatedRequest
from sharing.selectors.timeline import LIMIT, timeline_for


class MomentOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField(
        help_text="What it is about: note, plan, agreement, circle, consent, stage, assessment, board, "
        "scale (more kinds may come as apps add to the timeline)"
    )
    title = serializers.CharField(help_text="What happened, in words")
    detail = serializers.CharField(allow_blank=True, help_text="More of it: a note's words, old → new…")
    by = serializers.CharField(
        allow_blank=True, help_text="Who did it, as you may know them (a hidden member is not named)"
    )


class TimelineApi(APIView):
    @extend_schema(
        responses=answers({200: MomentOutput(many=True)}, 404),
        summary=f"What has happened with this client, newest first (the latest {LIMIT})",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        audit_read(record=record, action="client.timeline")
        return Response(MomentOutput(timeline_for(record), many=True).data)
