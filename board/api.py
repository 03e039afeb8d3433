"""API for the board, under /api/v1/clients/<public_id>/board/. Same selectors, services and access policy
as the pages. Cards are co-edited: each carries an ETag, and a change must say which version it started
from (If-Match), as the plan's goals do (`coedit.api`).

GET   …/board/cards/7/          ETag: "card-7-v3"
PATCH …/board/cards/7/          If-Match: "card-7-v3"   {"text": "…"}
    200 + new ETag              saved
    412 + current values        someone changed the same field since v3: look, then choose
    428                         no If-Match: say which version you are changing
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_read
from board import selectors, services
from board.models import Card, CardChange, Column, Scale, Visibility, WorryKind
from board.services import CARD_MAX_LENGTH, REASON_MAX_LENGTH, WHY_MAX_LENGTH
from circles.access import RecordAccess, saved_by_label
from circles.selectors import client_get_for_user, client_lock_for_user
from coedit.api import (
    ETAG,
    IF_MATCH,
    etag,
    versioned_response,
    versioned_update_checked,
    versioned_update_responses,
)
from network.api_schema import NonEmptyPatch, answers
from network.fields import CleanTextInput
from network.models import User
from sharing import selectors as sharing_selectors


def _user(request: Request) -> User:
    """The signed-in professional (DRF's permission classes have let only them in)."""
    assert isinstance(request.user, User)
    return request.user


class CardOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="author_shown")
    organisation = serializers.SerializerMethodField()
    etag = serializers.SerializerMethodField()
    goal_id = serializers.IntegerField(allow_null=True)
    action_id = serializers.IntegerField(allow_null=True)
    addressed_by_goal_id = serializers.IntegerField(source="addressed_by_id", allow_null=True)
    evidence_count = serializers.IntegerField()

    class Meta:
        model = Card
        fields = [
            "id",
            "version",
            "etag",
            "column",
            "kind",
            "text",
            "visibility",
            "author",
            "organisation",
            "by_client",
            "position",
            "created_at",
            "updated_at",
            "closed_at",
            "closed_reason",
            "goal_id",
            "action_id",
            "addressed_by_goal_id",
            "evidence_count",
        ]
        extra_kwargs = {"closed_at": {"allow_null": True}}

    def get_organisation(self, card: Card) -> str | None:
        # Part of `author` already when it may be shown; never on its own (a hidden member's agency).
        organisation = card.organisation
        if organisation is None or not card.author_shown.endswith(f", {organisation.name}"):
            return None
        return organisation.name

    def get_etag(self, card: Card) -> str:
        return etag(card)


class CardInput(serializers.Serializer):
    column = serializers.ChoiceField(choices=Column.choices)
    text = CleanTextInput(max_length=CARD_MAX_LENGTH)
    kind = serializers.ChoiceField(
        choices=WorryKind.choices,
        required=False,
        default="",
        allow_blank=True,
        help_text="A worry's kind: needed for a worry, and only for a worry.",
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.CIRCLE)


class CardPatch(NonEmptyPatch):
    text = CleanTextInput(max_length=CARD_MAX_LENGTH, required=False)
    kind = serializers.ChoiceField(choices=WorryKind.choices, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class MoveInput(serializers.Serializer):
    """A column to move to, or a direction to move in: one of the two."""

    column = serializers.ChoiceField(
        choices=Column.choices,
        required=False,
        allow_null=True,
        default=None,
        error_messages={
            "invalid_choice": "There is no such column. Choose worries, what's working well or what needs to happen."
        },
        help_text="The column to move the card to (to its end); or give a direction",
    )
    direction = serializers.ChoiceField(
        choices=["up", "down"],
        required=False,
        allow_null=True,
        default=None,
        help_text="One place up or down in its column; or give a column",
    )
    kind = serializers.ChoiceField(
        choices=WorryKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="A worry's kind, when the card moves to the worries",
    )


class CloseInput(serializers.Serializer):
    reason = CleanTextInput(max_length=REASON_MAX_LENGTH)


class LinkInput(serializers.Serializer):
    addressed_by_goal_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    evidence_note_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class ToPlanInput(serializers.Serializer):
    goal_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Make it an action under this goal; else a goal",
    )


class ToPlanOutput(serializers.Serializer):
    goal_id = serializers.IntegerField(allow_null=True)
    action_id = serializers.IntegerField(allow_null=True)
    card = CardOutput()


class CardChangeOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_shown")

    class Meta:
        model = CardChange
        fields = ["field", "old_value", "new_value", "version", "actor", "at"]
        extra_kwargs = {"old_value": {"allow_null": True}, "new_value": {"allow_null": True}}


class ScaleOutput(serializers.ModelSerializer):
    class Meta:
        model = Scale
        fields = ["id", "score", "why", "at", "by_client"]


class ScaleLineOutput(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    latest = ScaleOutput()
    scales = ScaleOutput(many=True)


class ScaleInput(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=10)
    why = CleanTextInput(max_length=WHY_MAX_LENGTH, required=False, default="", allow_blank=True)


class CardListApi(APIView):
    @extend_schema(
        responses=answers({200: CardOutput(many=True)}, 404),
        summary="The board's cards you may see (open ones; ?closed=1 for closed ones too)",
    )
    def get(self, request: Request, public_id: str) -> Response:
        record = client_get_for_user(_user(request), public_id)
        audit_read(record=record, action="board.view")
        cards = selectors.cards_for(record)
        if request.query_params.get("closed") != "1":
            cards = cards.filter(closed_at=None)
        return Response(CardOutput(selectors.name_cards(list(cards), record), many=True).data)

    @extend_schema(
        request=CardInput,
        responses=answers({201: CardOutput}, 400, 404),
        parameters=[ETAG],
        summary="Add a card",
    )
    def post(self, request: Request, public_id: str) -> Response:
        record = client_get_for_user(_user(request), public_id)
        data = CardInput(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.card_add(actor=_user(request), client=record.client, **data.validated_data)
        return versioned_response(
            selectors.card_get_for(record, card.pk), CardOutput, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    get=extend_schema(
        responses=answers({200: CardOutput}, 404),
        parameters=[ETAG],
        summary="One card (its ETag is in the ETag header)",
    ),
    patch=extend_schema(
        request=CardPatch,
        responses=answers(versioned_update_responses(CardOutput), 400, 404, 409),
        parameters=[IF_MATCH, ETAG],
        summary="Change a card, from the version If-Match names",
    ),
)
class CardDetailApi(APIView):
    def get(self, request: Request, public_id: str, card_id: int) -> Response:
        record = client_get_for_user(_user(request), public_id)
        card = selectors.card_get_for(record, card_id)
        audit_read(record=record, action="board.view", obj=card)
        return versioned_response(card, CardOutput)

    def patch(self, request: Request, public_id: str, card_id: int) -> Response:
        user = _user(request)
        data = CardPatch(data=request.data)
        data.is_valid()  # its errors are told after the access check: an outsider hears 404 whatever they sent
        checked: list[RecordAccess] = []

        def lock() -> Card:
            # Access is checked once, under the client's lock (then the card's, if they may see it): what
            # they may do cannot change before the write commits. 404 for outsiders before anything else.
            checked.append(client_lock_for_user(user, public_id))
            card = selectors.card_for_change(checked[0], card_id, lock=True)
            if data.errors:
                raise serializers.ValidationError(data.errors)
            return card

        return versioned_update_checked(
            request,
            lock=lock,
            save=lambda card, version: services.card_update(
                actor=user,
                card=card,
                changes=dict(data.validated_data),
                base_version=version,
                checked=checked[0],
            ),
            reread=lambda card: selectors.card_get_for(checked[0], card.pk),
            answer=lambda saved: selectors.card_as_saved(checked[0], saved),
            output=CardOutput,
            name_of=lambda person: saved_by_label(checked[0], person),
        )


class CardMoveApi(APIView):
    @extend_schema(
        request=MoveInput,
        responses=answers({200: CardOutput}, 400, 404, 409),
        parameters=[ETAG],
        summary="Move a card to another column (column), or up or down in its own (direction)",
    )
    def post(self, request: Request, public_id: str, card_id: int) -> Response:
        record = client_get_for_user(_user(request), public_id)
        card = selectors.card_get_for(record, card_id)
        data = MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.card_move(actor=_user(request), card=card, **data.validated_data)
        return versioned_response(selectors.card_get_for(record, card.pk), CardOutput)


class CardCloseApi(APIView):
    @extend_schema(
        request=CloseInput,
        responses=answers({200: CardOutput}, 400, 404, 409),
        parameters=[ETAG],
        summary="Close a card, saying why",
    )
    def post(self, request: Request, public_id: str, card_id: int) -> Response:
        record = client_get_for_user(_user(request), public_id)
        card = selectors.card_get_for(record, card_id)
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.card_close(actor=_user(request), card=card, reason=data.validated_data["reason"])
        return versioned_response(selectors.card_get_for(record, card.pk), CardOutput)


class CardLinkApi(APIView):
    @extend_schema(
        request=LinkInput,
        responses=answers({200: CardOutput}, 400, 404, 409),
        parameters=[ETAG],
        summary="Link a worry to the goal that addresses it and the notes that evidence it",
    )
    def post(self, request: Request, public_id: str, card_id: int) -> Response:
        record = client_get_for_user(_user(request), public_id)
        card = selectors.card_get_for(record, card_id)
        data = LinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal_id = data.validated_data["addressed_by_goal_id"]
        goal = sharing_selectors.goal_get_for(record, goal_id) if goal_id else None
        notes = list(
            sharing_selectors.note_list_for(record).filter(pk__in=data.validated_data["evidence_note_ids"])
        )
        if len(notes) != len(set(data.validated_data["evidence_note_ids"])):
            raise serializers.ValidationError(
                {"evidence_note_ids": "Choose notes about this client you can read."}
            )
        services.card_link(actor=_user(request), card=card, addressed_by=goal, evidence=notes)
        return versioned_response(selectors.card_get_for(record, card.pk), CardOutput)


class CardToPlanApi(APIView):
    @extend_schema(
        request=ToPlanInput,
        responses=answers({201: ToPlanOutput}, 400, 404, 409),
        summary="A “What needs to happen” card becomes a goal, or an action under a goal, in one step",
    )
    def post(self, request: Request, public_id: str, card_id: int) -> Response:
        record = client_get_for_user(_user(request), public_id)
        card = selectors.card_get_for(record, card_id)
        data = ToPlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal_id, action_id = None, None
        if data.validated_data["goal_id"]:
            goal = sharing_selectors.goal_get_for(record, data.validated_data["goal_id"])
            action_id = services.card_make_action(actor=_user(request), card=card, goal=goal).pk
        else:
            goal_id = services.card_make_goal(actor=_user(request), card=card).pk
        card = selectors.card_get_for(record, card.pk)
        return Response(
            {"goal_id": goal_id, "action_id": action_id, "card": CardOutput(card).data},
            status=status.HTTP_201_CREATED,
        )


class CardHistoryApi(APIView):
    @extend_schema(
        responses=answers({200: CardChangeOutput(many=True)}, 404),
        summary="Every change to a card, oldest first",
    )
    def get(self, request: Request, public_id: str, card_id: int) -> Response:
        record = client_get_for_user(_user(request), public_id)
        card = selectors.card_get_for(record, card_id)
        audit_read(record=record, action="board.view", obj=card)
        return Response(CardChangeOutput(selectors.card_history(record, card), many=True).data)


class ScaleListApi(APIView):
    @extend_schema(
        responses=answers({200: ScaleLineOutput(many=True)}, 404),
        summary="Everyone's scales over time, people ordered by their latest score (the spread)",
    )
    def get(self, request: Request, public_id: str) -> Response:
        record = client_get_for_user(_user(request), public_id)
        audit_read(record=record, action="board.view", detail={"part": "scales"})
        return Response(ScaleLineOutput(selectors.scales_for(record), many=True).data)

    @extend_schema(
        request=ScaleInput,
        responses=answers({201: ScaleOutput}, 400, 404),
        summary="Give your scale, 0 to 10",
    )
    def post(self, request: Request, public_id: str) -> Response:
        record = client_get_for_user(_user(request), public_id)
        data = ScaleInput(data=request.data)
        data.is_valid(raise_exception=True)
        scale = services.scale_add(actor=_user(request), client=record.client, **data.validated_data)
        return Response(ScaleOutput(scale).data, status=status.HTTP_201_CREATED)
