"""API for notes, under /api/v1/clients/<public_id>/notes/. Same selectors, services and access policy as pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_read
from circles.selectors import client_get_for_user
from sharing import selectors, services
from sharing.models import Note
from sharing.services import NOTE_MAX_LENGTH


class NoteOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name")
    organisation = serializers.CharField(source="organisation.name", default=None)

    class Meta:
        model = Note
        fields = ["id", "kind", "text", "visibility", "author", "organisation", "created_at"]


class NoteInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Note.Kind.choices, default=Note.Kind.UPDATE)
    text = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    visibility = serializers.ChoiceField(choices=Note.Visibility.choices, default=Note.Visibility.CIRCLE)


class NoteListApi(APIView):
    @extend_schema(responses=NoteOutput(many=True), summary="The client's notes you may read, newest first")
    def get(self, request: Request, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(selectors.note_list_for(record), request, view=self)
        audit_read(actor=request.user, action="note.list", client=record.client)
        return paginator.get_paginated_response(NoteOutput(page, many=True).data)

    @extend_schema(request=NoteInput, responses={201: NoteOutput}, summary="Add a note")
    def post(self, request: Request, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_create(actor=request.user, client=record.client, **data.validated_data)
        return Response(NoteOutput(note).data, status=status.HTTP_201_CREATED)


class NoteDetailApi(APIView):
    @extend_schema(responses=NoteOutput, summary="One note")
    def get(self, request: Request, public_id: str, note_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        note = selectors.note_get_for(record, note_id)
        audit_read(actor=request.user, action="note.view", client=record.client, obj=note)
        return Response(NoteOutput(note).data)
