"""API for "since I last looked": for one client, and for every client on My clients."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from circles.selectors import client_get_for_user
from network.api_schema import answers
from network.models import User
from overview import selectors


def _user(request: Request) -> User:
    """The signed-in professional (DRF's permission classes have let only them in)."""
    assert isinstance(request.user, User)
    return request.user


class SinceItemOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    type = serializers.CharField(help_text="The change's name in the catalogue, e.g. board.card_add")
    means = serializers.CharField(help_text="What it is, in words")
    at = serializers.DateTimeField()
    card_id = serializers.IntegerField(allow_null=True)
    note_id = serializers.IntegerField(allow_null=True)


class SinceOutput(serializers.Serializer):
    first_visit = serializers.BooleanField()
    last_visit = serializers.DateTimeField(allow_null=True)
    count = serializers.IntegerField()
    more = serializers.BooleanField(help_text="More changes than were read (1,000)")
    groups = serializers.ListField(child=serializers.CharField())
    items = SinceItemOutput(many=True)


class NewCountOutput(serializers.Serializer):
    public_id = serializers.CharField()
    name = serializers.CharField(source="display_name")
    new = serializers.IntegerField(source="new_count")


class SinceApi(APIView):
    @extend_schema(
        responses=answers({200: SinceOutput}, 404),
        summary="What changed on this client since I last opened their page (newest first)",
    )
    def get(self, request: Request, public_id: str) -> Response:
        record = client_get_for_user(_user(request), public_id)
        return Response(SinceOutput(selectors.since_last_looked(record, selectors.last_visit(record))).data)


class MyClientsNewApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("sort", str, enum=["new"], description="new: most new for me first")],
        responses=answers({200: NewCountOutput(many=True)}),
        summary="My clients, with how many things are new for me on each",
    )
    def get(self, request: Request) -> Response:
        sort = "new" if request.query_params.get("sort") == "new" else ""
        return Response(NewCountOutput(selectors.my_clients(_user(request), sort=sort), many=True).data)
