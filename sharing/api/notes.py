"""API for notes, under /api/v1/clients/<public_id>/notes/. Same selectors, services and access policy as pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.models import Assessment
from audit.services import audit_read
from circles import access
from circles.api import PersonLabelField
from circles.selectors import client_get_for_user
from network.api import Pages
from network.api_schema import IdInput, answers
from network.fields import CleanTextInput
from network.http import AuthenticatedRequest
from network.models import User
from network.selectors import people_by_id
from sharing import selectors, services
from sharing.models import Note
from sharing.services import NOTE_MAX_LENGTH


class NoteOutput(serializers.ModelSerializer):
    author = PersonLabelField()
    organisation = serializers.SerializerMethodField()

    def get_organisation(self, note: Note) -> str | None:
        if note.organisation is None or access.hides(self.context["record"], note.author):
            return None  # a hidden member's organisation would point at them
        return note.organisation.name

    class Meta:
        model = Note
        fields = ["id", "kind", "text", "visibility", "author", "organisation", "created_at"]


class NoteInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Note.Kind.choices, default=Note.Kind.UPDATE)
    text = CleanTextInput(max_length=NOTE_MAX_LENGTH)
    visibility = serializers.ChoiceField(choices=Note.Visibility.choices, default=Note.Visibility.CIRCLE)
    named_people = serializers.ListField(
        child=IdInput(),
        required=False,
        default=list,
        help_text="Ids of people in the circle; at least one when visibility is `named`",
    )
    assessment = IdInput(
        required=False, allow_null=True, default=None, help_text="The id of an assessment the note is about"
    )


class NoteVisibilityInput(serializers.Serializer):
    visibility = serializers.ChoiceField(choices=Note.Visibility.choices)
    named_people = serializers.ListField(
        child=IdInput(),
        required=False,
        default=list,
        help_text="Ids of people in the circle; at least one when visibility is `named`",
    )


def _people(ids: list[int]) -> list[User]:
    """Users by id, for "named people only"; the service checks they are in the circle."""
    if not ids:
        return []
    found = people_by_id(ids)
    if len(found) != len(set(ids)):
        raise serializers.ValidationError({"named_people": ["Some of those people do not exist."]})
    return found


class NoteListApi(APIView):
    pagination_class = Pages

    @extend_schema(
        responses=answers({200: NoteOutput(many=True)}, 404),
        summary="The client's notes you may read, newest first",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.note_list_for(record), request, view=self)
        audit_read(record=record, action="note.list")
        return paginator.get_paginated_response(NoteOutput(page, many=True, context={"record": record}).data)

    @extend_schema(request=NoteInput, responses=answers({201: NoteOutput}, 400, 404), summary="Add a note")
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        named = _people(fields.pop("named_people"))
        assessment_id = fields.pop("assessment")
        assessment = Assessment.objects.filter(pk=assessment_id).first() if assessment_id else None
        if assessment_id and assessment is None:
            raise serializers.ValidationError(
                {"assessment": "Choose one of this client's assessments that you can see."}
            )
        note = services.note_create(
            actor=request.user, client=record.client, named_people=named, assessment=assessment, **fields
        )
        if note.organisation_id is not None and note.organisation_id == request.user.organisation_id:
            note.organisation = (
                request.user.organisation
            )  # already read with the user: no query for the reply
        return Response(NoteOutput(note, context={"record": record}).data, status=status.HTTP_201_CREATED)


class NoteDetailApi(APIView):
    @extend_schema(responses=answers({200: NoteOutput}, 404), summary="One note")
    def get(self, request: AuthenticatedRequest, public_id: str, note_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        note = selectors.note_get_for(record, note_id)
        audit_read(record=record, action="note.view", obj=note)
        return Response(NoteOutput(note, context={"record": record}).data)

    @extend_schema(
        request=NoteVisibilityInput,
        responses=answers({200: NoteOutput}, 400, 404),
        summary="Change who can see your note",
    )
    def patch(self, request: AuthenticatedRequest, public_id: str, note_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        note = selectors.note_get_for(record, note_id)
        data = NoteVisibilityInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_visibility_change(
            actor=request.user,
            note=note,
            visibility=data.validated_data["visibility"],
            named_people=_people(data.validated_data["named_people"]),
        )
        return Response(NoteOutput(note, context={"record": record}).data)
