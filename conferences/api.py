"""API for case conferences: the same services, selectors and access rules as the pages.

Minutes are co-edited: GET gives the item's ETag ("agendaitem-7-v3"); PATCH needs If-Match (428 without),
and answers 412 with the current minutes if someone changed them since (coedit.api). Signed-off minutes
answer 400 with the way to amend.
"""

from functools import partial
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from circles import access as policy
from circles import public_id as public_ids
from circles.access import saved_by_label
from circles.models import CircleMember, Client
from coedit.api import ETAG, IF_MATCH, etag, versioned_response, versioned_update, versioned_update_responses
from conferences import access, selectors, services
from conferences.models import (
    AgendaItem,
    Attendance,
    Contribution,
    Decision,
    Invitation,
    Meeting,
    MeetingType,
    Panel,
)
from network.api_schema import IdInput, answers
from network.fields import CleanTextInput
from network.models import User
from sharing.models import Note


def me(request: Request) -> User:
    """The signed-in professional (the API's permission class lets no one else in)."""
    return cast(User, request.user)


class MeetingPanelOutput(serializers.ModelSerializer):
    class Meta:
        model = Panel
        fields = ["id", "name"]


class MeetingPanelInput(serializers.Serializer):
    name = CleanTextInput(max_length=200)


class AgendaItemOutput(serializers.ModelSerializer):
    client = serializers.CharField(source="client.public_id")
    client_name = serializers.CharField(source="client.display_name")
    etag = serializers.SerializerMethodField()
    next_review_on = serializers.DateField(allow_null=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "client",
            "client_name",
            "position",
            "reason",
            "slot_minutes",
            "basis",
            "status",
            "minutes",
            "version",
            "etag",
            "next_review_on",
            "close_case",
        ]

    def get_etag(self, item: AgendaItem) -> str:
        return etag(item)


class MeetingOutput(serializers.ModelSerializer):
    """A meeting; its chair and minute-taker named as the reader may know them (the policy's person_label):
    context["access"] (conferences.access.MeetingAccess) for one meeting, or context["names"]
    (selectors.names_for_meetings) for a list."""

    type = serializers.CharField(source="type.name")
    panel = serializers.CharField(source="panel.name", allow_null=True, default=None)
    chair = serializers.SerializerMethodField()
    current_item = serializers.IntegerField(source="current_item_id", allow_null=True)
    minutes_due_on = serializers.DateField(allow_null=True)
    minute_taker = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "type",
            "panel",
            "starts_at",
            "duration_minutes",
            "place",
            "video_link",
            "chair",
            "minute_taker",
            "status",
            "current_item",
            "minutes_status",
            "minutes_due_on",
        ]

    def _label(self, person: Any) -> str:
        if "names" in self.context:
            return policy.person_label(self.context["names"], person)
        return policy.person_label(cast(access.MeetingAccess, self.context["access"]).names, person)

    def get_chair(self, meeting: Meeting) -> str:
        return self._label(meeting.chair)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minute_taker(self, meeting: Meeting) -> str | None:
        return self._label(meeting.minute_taker) or None


class MeetingDetailOutput(MeetingOutput):
    """A meeting as one person may see it: names through the policy's person_label, need to know per item."""

    items = serializers.SerializerMethodField()

    class Meta(MeetingOutput.Meta):
        fields = [*MeetingOutput.Meta.fields, "items"]

    def get_items(self, meeting: Meeting) -> list[dict[str, Any]]:
        """Every item; who it is about, why, and its minutes only for those whose pack this person may read
        (need to know): another client's item shows its place on the agenda and its slot, nothing else."""
        readable = self.context["readable"]
        rows = list(AgendaItemOutput(self.context["agenda"], many=True).data)
        hidden = {"client": "", "client_name": "", "reason": "", "minutes": ""}
        return [row if row["id"] in readable else {**row, **hidden} for row in rows]


class _MeetingTypeField(serializers.SlugRelatedField):
    """A meeting type by name. A name with a NUL byte names no type (and PostgreSQL text cannot hold one)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class MeetingInput(serializers.Serializer):
    type = _MeetingTypeField(
        slug_field="name", queryset=MeetingType.objects.all(), help_text="The name of a meeting type"
    )
    title = CleanTextInput(max_length=200)
    starts_at = serializers.DateTimeField(help_text="In the future")
    panel = serializers.PrimaryKeyRelatedField(
        queryset=Panel.objects.all(),
        required=False,
        allow_null=True,
        help_text="A panel (id) you chair, or none",
    )
    duration_minutes = serializers.IntegerField(required=False, default=90, min_value=10, max_value=480)
    place = CleanTextInput(
        max_length=300,
        required=False,
        default="",
        allow_blank=True,
        help_text="Where the meeting is: needed unless there is a video link",
    )
    video_link = serializers.URLField(required=False, default="", allow_blank=True)


class AgendaInput(serializers.Serializer):
    client = serializers.CharField(help_text="The public ID of a client")
    reason = CleanTextInput(max_length=500)
    slot_minutes = serializers.IntegerField(required=False, default=20)
    without_consent_reason = CleanTextInput(required=False, default="", allow_blank=True)


class CurrentItemInput(serializers.Serializer):
    item = serializers.IntegerField()


class InvitationAnswerInput(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["attending", "apologies", "deputy"])
    deputy_name = CleanTextInput(required=False, default="", allow_blank=True, max_length=200)


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    answer = serializers.CharField()
    deputy_name = serializers.CharField()


class MeetingAttendanceInput(serializers.Serializer):
    invitation = serializers.IntegerField(help_text="An invitation (id) to this meeting")
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    for_family = serializers.BooleanField(required=False, default=False)


class AttendanceOutput(serializers.Serializer):
    invitation = serializers.IntegerField(help_text="An invitation (id) to this meeting")
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    for_family = serializers.BooleanField()


class PackReportInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[Contribution.Kind.AGENCY_REPORT, Contribution.Kind.ABSENT_REPORT])
    facts = CleanTextInput()
    opinion = CleanTextInput(required=False, default="", allow_blank=True)


class PackReportOutput(serializers.ModelSerializer):
    class Meta:
        model = Contribution
        fields = ["id", "kind", "author_name", "organisation_name", "facts", "opinion", "created_at"]


class MinutesPatch(serializers.Serializer):
    minutes = CleanTextInput(allow_blank=True)


class DissentEntryInput(serializers.Serializer):
    name = CleanTextInput(max_length=200)
    reason = CleanTextInput(required=False, default="", allow_blank=True)


class AgreedActionInput(serializers.Serializer):
    what = CleanTextInput(max_length=500)
    owner = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A member (id) of the client's circle"
    )
    owner_is_client = serializers.BooleanField(required=False, default=False)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class MeetingDecisionInput(serializers.Serializer):
    text = CleanTextInput()
    agreed_by = serializers.ListField(child=CleanTextInput(max_length=200), min_length=1)
    dissent = DissentEntryInput(many=True, required=False, default=list)
    actions = AgreedActionInput(many=True, required=False, default=list)


class MeetingDecisionOutput(serializers.ModelSerializer):
    action_ids = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "text", "agreed_by", "dissent", "recorded_at", "action_ids"]

    def get_action_ids(self, decision: Decision) -> list[int]:
        return [link.action_id for link in decision.plan_actions.all()]


class ItemCloseInput(serializers.Serializer):
    next_review_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When the client comes back to the panel: needed unless the decision is to close the case",
    )
    close_case = serializers.BooleanField(required=False, default=False)


class PanelListApi(APIView):
    @extend_schema(
        responses=answers({200: MeetingPanelOutput(many=True)}),
        summary="Panels I chair or sit on",
    )
    def get(self, request: Request) -> Response:
        panels = Panel.objects.filter(members__user=me(request), members__until=None).distinct()
        return Response(MeetingPanelOutput(panels, many=True).data)

    @extend_schema(
        request=MeetingPanelInput,
        responses=answers({201: MeetingPanelOutput}, 400, 409),
        summary="Set up a panel (panel chairs)",
    )
    def post(self, request: Request) -> Response:
        data = MeetingPanelInput(data=request.data)
        data.is_valid(raise_exception=True)
        panel = services.panel_create(actor=me(request), **data.validated_data)
        return Response(MeetingPanelOutput(panel).data, status=status.HTTP_201_CREATED)


class MeetingListApi(APIView):
    @extend_schema(
        responses=answers({200: MeetingOutput(many=True)}),
        summary="My meetings: chaired, minuted or invited to",
    )
    def get(self, request: Request) -> Response:
        mine = selectors.my_meetings(me(request))
        meetings = [*mine.in_progress, *mine.upcoming, *mine.to_sign_off, *mine.signed]
        names = selectors.names_for_meetings(me(request), meetings)
        return Response(MeetingOutput(meetings, many=True, context={"names": names}).data)

    @extend_schema(
        request=MeetingInput,
        responses=answers({201: MeetingOutput}, 400),
        summary="Arrange a meeting (panel chairs; not in the past)",
    )
    def post(self, request: Request) -> Response:
        data = MeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_create(actor=me(request), **data.validated_data)
        opened = access.MeetingAccess(user=me(request), meeting=meeting, invitation=None)  # for its names
        return Response(
            MeetingOutput(meeting, context={"access": opened}).data, status=status.HTTP_201_CREATED
        )


class MeetingDetailApi(APIView):
    @extend_schema(
        responses=answers({200: MeetingDetailOutput}, 404),
        summary="A meeting and its agenda",
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        agenda = selectors.agenda_for(meeting_access)
        readable = set(access.readable_items(meeting_access, {item.pk: item.client_id for item in agenda}))
        context = {"agenda": agenda, "readable": readable, "access": meeting_access}
        return Response(MeetingDetailOutput(meeting_access.meeting, context=context).data)


class AgendaApi(APIView):
    @extend_schema(
        request=AgendaInput,
        responses=answers({201: AgendaItemOutput}, 400, 404),
        summary="Put a client on the agenda (the chair, or the circle's lead): needs consent or a reason",
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        data = AgendaInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        meeting = _meeting_for_agenda(request, meeting_id, fields["client"])
        client = _client(fields.pop("client"))
        item = services.agenda_item_add(actor=me(request), meeting=meeting, client=client, **fields)
        return Response(AgendaItemOutput(item).data, status=status.HTTP_201_CREATED)


def _client(text: str) -> Client:
    try:
        client = Client.objects.filter(public_id=public_ids.normalise(text)).first()
    except public_ids.InvalidPublicId:
        client = None
    if client is None:
        raise ValidationError({"client": "No client has that ID."})
    return client


def _meeting_for_agenda(request: Request, meeting_id: int, client_text: str) -> Meeting:
    """The chair sees the meeting; a circle's lead may add their client to a meeting they were told of."""
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("type").first()
    if meeting is None:
        raise selectors.MeetingNotFound("No such meeting")
    client = _client(client_text)
    if not access.may_put_on_agenda(me(request), meeting, client):
        selectors.meeting_get_for_user(me(request), meeting_id)  # 404 to strangers
        raise PermissionDenied(
            "Only the chair, or the lead of the client's circle, puts a client on the agenda."
        )
    return meeting


class CurrentItemApi(APIView):
    @extend_schema(
        request=CurrentItemInput,
        responses=answers({200: MeetingOutput}, 400, 404, 409),
        summary="The chair moves the meeting to an item (everyone follows)",
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        data = CurrentItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not meeting_access.may_run:
            raise PermissionDenied("Only the meeting's chair can do that.")
        item = selectors.item_get_for(meeting_access, data.validated_data["item"])
        meeting = services.meeting_item_move(actor=me(request), meeting=meeting_access.meeting, item=item)
        return Response(MeetingOutput(meeting, context={"access": meeting_access}).data)


class AnswerApi(APIView):
    @extend_schema(
        request=InvitationAnswerInput,
        responses=answers({200: InvitationOutput}, 400, 404),
        summary="Answer my invitation (again, if need be: the history is kept)",
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        data = InvitationAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        if meeting_access.invitation is None:
            raise PermissionDenied("Only people invited answer.")
        invitation = services.invitation_answer(
            actor=me(request), invitation=meeting_access.invitation, **data.validated_data
        )
        return Response(_invitation(invitation))


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "name": invitation.name,  # the person's own invitation: their own name
        "kind": invitation.kind,
        "answer": invitation.answer,
        "deputy_name": invitation.deputy_name,
    }


class InvitationListApi(APIView):
    @extend_schema(
        responses=answers({200: InvitationOutput(many=True)}, 404),
        summary="Who is invited, and their answers (hidden members never appear)",
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        rows = selectors.invitations_for(meeting_access)
        return Response([_invitation(row["invitation"]) | {"name": row["name"]} for row in rows])


class AttendanceApi(APIView):
    @extend_schema(
        request=MeetingAttendanceInput,
        responses=answers({200: AttendanceOutput}, 400, 404),
        summary="Take attendance (chair, minute-taker)",
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        data = MeetingAttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = meeting_access.meeting.invitations.filter(pk=data.validated_data["invitation"]).first()
        if invitation is None:
            raise ValidationError({"invitation": "They were not invited to this meeting."})
        record = services.attendance_record(
            actor=me(request),
            meeting=meeting_access.meeting,
            invitation=invitation,
            status=data.validated_data["status"],
            for_family=data.validated_data["for_family"],
        )
        return Response(
            {"invitation": invitation.pk, "status": record.status, "for_family": record.for_family}
        )


class ContributionApi(APIView):
    @extend_schema(
        request=PackReportInput,
        responses=answers({201: PackReportOutput}, 400, 404),
        summary="A pre-meeting report (facts apart from opinion) or an absent contributor's report",
    )
    def post(self, request: Request, meeting_id: int, item_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        item = selectors.item_get_for(meeting_access, item_id)
        data = PackReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = services.contribution_add(actor=me(request), item=item, **data.validated_data)
        return Response(PackReportOutput(contribution).data, status=status.HTTP_201_CREATED)


class MinutesApi(APIView):
    @extend_schema(
        responses=answers({200: AgendaItemOutput}, 404),
        parameters=[ETAG],
        summary="An item's minutes (the ETag is in the ETag header)",
    )
    def get(self, request: Request, meeting_id: int, item_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        item = selectors.item_get_for(meeting_access, item_id)
        if not meeting_access.may_read_pack(item):
            raise selectors.MeetingNotFound("No such item")
        selectors.audit_minutes_read(meeting_access, [item])
        return versioned_response(item, AgendaItemOutput)

    @extend_schema(
        request=MinutesPatch,
        parameters=[IF_MATCH, ETAG],
        responses=answers(versioned_update_responses(AgendaItemOutput), 400, 404),
        summary="Co-edit an item's minutes (chair, minute-taker); 400 once signed off (amend instead)",
    )
    def patch(self, request: Request, meeting_id: int, item_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        item = selectors.item_get_for(meeting_access, item_id)
        if not meeting_access.may_minute:
            raise PermissionDenied("Only the chair and the minute-taker write the minutes.")
        data = MinutesPatch(data=request.data)
        data.is_valid(raise_exception=True)
        return versioned_update(
            request,
            item,
            save=lambda base: services.minutes_update(
                actor=me(request), item=item, minutes=data.validated_data["minutes"], base_version=base
            ),
            reread=lambda: AgendaItem.objects.select_related("client").get(pk=item.pk),
            output=AgendaItemOutput,
            # The chair and the minute-taker need not be in the client's circle: named as on the meeting.
            name_of=partial(saved_by_label, meeting_access),
        )


class DecisionApi(APIView):
    @extend_schema(
        request=MeetingDecisionInput,
        responses=answers({201: MeetingDecisionOutput}, 400, 404),
        summary="Record a decision: who agreed, dissent by name; agreed actions go on the plan",
    )
    def post(self, request: Request, meeting_id: int, item_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        item = selectors.item_get_for(meeting_access, item_id)
        data = MeetingDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        actions = []
        for entry in fields.pop("actions"):
            owner = entry.pop("owner")
            if owner is not None:
                owner = CircleMember.objects.filter(client=item.client, pk=owner, until=None).first()
                if owner is None:
                    raise ValidationError({"actions": "An action's owner must be in the client's circle."})
            actions.append({**entry, "owner": owner})
        decision = services.decision_record(actor=me(request), item=item, actions=actions, **fields)
        return Response(MeetingDecisionOutput(decision).data, status=status.HTTP_201_CREATED)


class ItemCloseApi(APIView):
    @extend_schema(
        request=ItemCloseInput,
        responses=answers({200: AgendaItemOutput}, 400, 404),
        summary="Close an item: a next review date, or a decision to close",
    )
    def post(self, request: Request, meeting_id: int, item_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        item = selectors.item_get_for(meeting_access, item_id)
        data = ItemCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            AgendaItemOutput(services.item_close(actor=me(request), item=item, **data.validated_data)).data
        )


class SignOffApi(APIView):
    @extend_schema(
        request=None,
        responses=answers({200: MeetingOutput}, 400, 404, 409),
        summary="The chair signs off the minutes (locked; attendees get a link)",
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        meeting = services.minutes_sign_off(
            actor=me(request), meeting=meeting_access.meeting, base_url=request.build_absolute_uri("/")[:-1]
        )
        return Response(MeetingOutput(meeting, context={"access": meeting_access}).data)


class PackNoteOutput(serializers.Serializer):
    """A note marked for the pack, as this reader may read it (the author through the policy's rule)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    author = serializers.CharField(source="author_shown")
    organisation = serializers.CharField(source="organisation_shown")


class PackNoteInput(serializers.Serializer):
    note = IdInput(help_text="One of this client's notes that you can read")


def _pack_note_output(note: Note, record: Any) -> dict[str, Any]:
    shown = selectors.label_note(record, note)
    return dict(PackNoteOutput(shown).data)


class PackNoteListApi(APIView):
    @extend_schema(
        responses=answers({200: PackNoteOutput(many=True)}, 404),
        summary="The notes marked for a client's pack that I may read (a pack read: audited)",
    )
    def get(self, request: Request, meeting_id: int, item_id: int) -> Response:
        meeting_access = selectors.meeting_get_for_user(me(request), meeting_id)
        item = selectors.item_get_for(meeting_access, item_id)
        notes = selectors.pack_notes_read(meeting_access, item)
        return Response(PackNoteOutput(notes, many=True).data)

    @extend_schema(
        request=PackNoteInput,
        responses=answers({201: PackNoteOutput}, 400, 404, 409),
        summary="Mark one of the client's notes for the pack (the client's circle, before the meeting ends)",
    )
    def post(self, request: Request, meeting_id: int, item_id: int) -> Response:
        circle_pack = selectors.item_for_circle(me(request), meeting_id, item_id)
        data = PackNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = _note(circle_pack, data.validated_data["note"])
        services.pack_note_add(actor=me(request), item=circle_pack.item, note=note)
        return Response(_pack_note_output(note, circle_pack.record), status=status.HTTP_201_CREATED)


class PackNoteApi(APIView):
    @extend_schema(
        request=None,
        responses=answers({204: None}, 404, 409),
        summary="Take a note out of the pack (the client's circle, before the meeting ends)",
    )
    def delete(self, request: Request, meeting_id: int, item_id: int, note_id: int) -> Response:
        circle_pack = selectors.item_for_circle(me(request), meeting_id, item_id)
        note = _note(circle_pack, note_id, missing=selectors.MeetingNotFound("No such note in the pack"))
        try:
            services.pack_note_remove(actor=me(request), item=circle_pack.item, note=note)
        except PermissionDenied:
            raise selectors.MeetingNotFound("No such note in the pack") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


def _note(circle_pack: "selectors.CirclePack", note_id: int, missing: Exception | None = None) -> Note:
    """One of the client's notes this member may read; otherwise a 400 on `note` (or `missing`)."""
    note = selectors.note_for_pack(circle_pack, note_id)
    if note is None:
        raise missing or ValidationError({"note": "Choose one of this client's notes that you can read."})
    return note
