"""API for a client's plan. Co-edited items carry an ETag; a change must say which version it started from.

GET   …/plan/goals/7/           ETag: "goal-7-v3"
PATCH …/plan/goals/7/           If-Match: "goal-7-v3"   {"in_own_words": "…"}
    200 + new ETag              saved
    412 + current values        someone changed the same field since v3: look, then choose
    428                         no If-Match: say which version you are changing

(The ETag, If-Match, 412 and 428 are the co-editing engine's: `coedit.api`.)
"""

from functools import partial
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_read
from circles import access
from circles.api import PersonLabelField
from circles.selectors import circle_member_by_id, circle_members_by_id, client_get_for_user
from coedit.api import ETAG, IF_MATCH, etag, versioned_response, versioned_update, versioned_update_responses
from network.api_schema import IdInput, NonEmptyPatch, answers
from network.fields import CleanTextInput
from network.http import AuthenticatedRequest
from sharing import selectors, services
from sharing.models import Action, Goal, PlanAgreement, PlanChange


class OwnerOutput(serializers.Serializer):
    member_id = serializers.IntegerField(allow_null=True, help_text="None when the client owns the action")
    name = serializers.CharField()


class ActionOutput(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    etag = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "version",
            "etag",
            "what",
            "owner",
            "owner_is_client",
            "due_on",
            "status",
            "dropped_reason",
            "shared_with_client",
        ]

    @extend_schema_field(OwnerOutput(allow_null=True))
    def get_owner(self, action: Action) -> dict | None:
        if action.owner_is_client:
            return {"member_id": None, "name": "The client"}
        if action.owner is None:
            return None
        record = self.context["record"]
        if access.hides(record, action.owner):
            return {"member_id": None, "name": access.HIDDEN_LABEL}  # not even which membership
        return {
            "member_id": action.owner_id,
            "name": access.person_label(record, action.owner),
        }

    def get_etag(self, action: Action) -> str:
        return etag(action)


class GoalOutput(serializers.ModelSerializer):
    actions = ActionOutput(many=True, source="current_actions", read_only=True)
    etag = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "version",
            "etag",
            "position",
            "in_own_words",
            "success_looks_like",
            "review_on",
            "shared_with_client",
            "actions",
        ]

    def get_etag(self, goal: Goal) -> str:
        return etag(goal)


class GoalInput(serializers.Serializer):
    in_own_words = CleanTextInput(max_length=500)
    success_looks_like = CleanTextInput(max_length=5000, required=False, allow_blank=True)
    review_on = serializers.DateField(
        required=False, allow_null=True, help_text="Within 20 years of today (PLAN_DATE_YEARS)."
    )
    shared_with_client = serializers.BooleanField(required=False)


class GoalPatch(NonEmptyPatch, GoalInput):
    in_own_words = CleanTextInput(max_length=500, required=False)


class ActionInput(serializers.Serializer):
    what = CleanTextInput(max_length=500)
    owner_member_id = IdInput(required=False, allow_null=True)
    owner_is_client = serializers.BooleanField(required=False)
    due_on = serializers.DateField(
        required=False, allow_null=True, help_text="Within 20 years of today (PLAN_DATE_YEARS)."
    )
    status = serializers.ChoiceField(choices=Action.Status.choices, required=False)
    dropped_reason = CleanTextInput(max_length=500, required=False, allow_blank=True)
    shared_with_client = serializers.BooleanField(required=False)


class ActionPatch(NonEmptyPatch, ActionInput):
    what = CleanTextInput(max_length=500, required=False)


class ChangeOutput(serializers.ModelSerializer):
    actor = PersonLabelField()

    class Meta:
        model = PlanChange
        fields = ["field", "old_value", "new_value", "version", "actor", "at"]


class AgreementOutput(serializers.ModelSerializer):
    agreed_by = PersonLabelField()
    participants = serializers.SerializerMethodField()
    snapshot = serializers.SerializerMethodField()

    class Meta:
        model = PlanAgreement
        fields = ["id", "agreed_by", "agreed_at", "participants", "note", "snapshot"]

    def get_participants(self, agreement: PlanAgreement) -> list[str]:
        return [access.person_label(self.context["record"], name) for name in agreement.participants]

    def get_snapshot(self, agreement: PlanAgreement) -> dict:
        return selectors.snapshot_for(self.context["record"], agreement.snapshot)


class AgreementInput(serializers.Serializer):
    participant_member_ids = serializers.ListField(child=IdInput(), min_length=1)
    note = CleanTextInput(max_length=500, required=False, default="", allow_blank=True)


class PlanOutput(serializers.Serializer):
    version = serializers.IntegerField()
    goals = GoalOutput(many=True)
    done = serializers.IntegerField(source="done_count")
    total = serializers.SerializerMethodField()

    def get_total(self, view: Any) -> int:
        return len(view.actions)


def _owner(record, data: dict[str, Any]) -> dict[str, Any]:
    """Turn owner_member_id / owner_is_client into the service's `owner` value."""
    changes = dict(data)
    member_id = changes.pop("owner_member_id", None)
    is_client = changes.pop("owner_is_client", None)
    if is_client:
        changes["owner"] = "client"
    elif "owner_member_id" in data:
        member = circle_member_by_id(record, member_id) if member_id else None
        if member_id and member is None:
            raise serializers.ValidationError({"owner_member_id": ["Nobody with that id is in this circle."]})
        changes["owner"] = member
    return changes


def _item_get(record, kind: str, item_id: int) -> Goal | Action:
    """A goal or an action of this record ("goal" / "action"), as the selectors give it."""
    return (selectors.goal_get_for if kind == "goal" else selectors.action_get_for)(record, item_id)


class PlanApi(APIView):
    @extend_schema(
        responses=answers({200: PlanOutput}, 404), summary="The plan: goals in order, each with its actions"
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        audit_read(record=record, action="plan.view")
        return Response(PlanOutput(selectors.plan_for(record), context={"record": record}).data)


class GoalListApi(APIView):
    @extend_schema(
        request=GoalInput,
        responses=answers({201: GoalOutput}, 400, 404),
        parameters=[ETAG],
        summary="Add a goal",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        data = GoalInput(data=request.data)
        data.is_valid(raise_exception=True)
        goal = services.goal_add(actor=request.user, client=record.client, **data.validated_data)
        return versioned_response(
            _item_get(record, "goal", goal.pk),
            GoalOutput,
            context={"record": record},
            status=status.HTTP_201_CREATED,
        )


class _ItemDetailApi(APIView):
    # One goal or one action: read it (its ETag in the ETag header), change it from the version If-Match
    # names, or take it off the plan (its history stays). A comment, not a docstring: drf-spectacular
    # would publish a docstring as every operation's description.

    kind: str  # "goal" or "action"; the URL names the item `<kind>_id`
    output: type[serializers.Serializer]
    patch_input: type[serializers.Serializer]

    def get(self, request: AuthenticatedRequest, public_id: str, **ids: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        item = _item_get(record, self.kind, ids[f"{self.kind}_id"])
        audit_read(record=record, action="plan.view", obj=item)
        return versioned_response(item, self.output, context={"record": record})

    def patch(self, request: AuthenticatedRequest, public_id: str, **ids: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        item = _item_get(record, self.kind, ids[f"{self.kind}_id"])
        data = self.patch_input(data=request.data)
        data.is_valid(raise_exception=True)
        changes = self.changes(record, data.validated_data)

        def save(version: int) -> Goal | Action:
            if isinstance(item, Goal):
                return services.goal_update(
                    actor=request.user, goal=item, changes=changes, base_version=version
                )
            return services.action_update(
                actor=request.user, action=item, changes=changes, base_version=version
            )

        return versioned_update(
            request,
            item,
            save=save,
            reread=lambda: _item_get(record, self.kind, item.pk),
            output=self.output,
            context={"record": record},
            name_of=partial(access.saved_by_label, record),
        )

    def delete(self, request: AuthenticatedRequest, public_id: str, **ids: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        item = _item_get(record, self.kind, ids[f"{self.kind}_id"])
        if isinstance(item, Goal):
            services.goal_remove(actor=request.user, goal=item)
        else:
            services.action_remove(actor=request.user, action=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def changes(self, record, data: dict[str, Any]) -> dict[str, Any]:
        return data


@extend_schema_view(
    get=extend_schema(
        responses=answers({200: GoalOutput}, 404),
        parameters=[ETAG],
        summary="One goal (its ETag is in the ETag header)",
    ),
    patch=extend_schema(
        request=GoalPatch,
        responses=answers(versioned_update_responses(GoalOutput), 400, 404),
        parameters=[IF_MATCH, ETAG],
        summary="Change a goal",
    ),
    delete=extend_schema(
        responses=answers({204: None}, 404, 409), summary="Take a goal off the plan (its history stays)"
    ),
)
class GoalDetailApi(_ItemDetailApi):
    kind = "goal"
    output = GoalOutput
    patch_input = GoalPatch


class ActionListApi(APIView):
    @extend_schema(
        request=ActionInput,
        responses=answers({201: ActionOutput}, 400, 404),
        parameters=[ETAG],
        summary="Add an action under a goal",
    )
    def post(self, request: AuthenticatedRequest, public_id: str, goal_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        goal = selectors.goal_get_for(record, goal_id)
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = _owner(record, data.validated_data)
        owner = fields.pop("owner", None)
        fields.pop("status", None)
        fields.pop("dropped_reason", None)
        action = services.action_add(
            actor=request.user,
            goal=goal,
            owner=None if owner == "client" else owner,
            owner_is_client=owner == "client",
            **fields,
        )
        return versioned_response(
            _item_get(record, "action", action.pk),
            ActionOutput,
            context={"record": record},
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    get=extend_schema(
        responses=answers({200: ActionOutput}, 404),
        parameters=[ETAG],
        summary="One action (its ETag is in the ETag header)",
    ),
    patch=extend_schema(
        request=ActionPatch,
        responses=answers(versioned_update_responses(ActionOutput), 400, 404),
        parameters=[IF_MATCH, ETAG],
        summary="Change an action",
    ),
    delete=extend_schema(
        responses=answers({204: None}, 404, 409), summary="Take an action off the plan (its history stays)"
    ),
)
class ActionDetailApi(_ItemDetailApi):
    kind = "action"
    output = ActionOutput
    patch_input = ActionPatch

    def changes(self, record, data: dict[str, Any]) -> dict[str, Any]:
        return _owner(record, data)


class HistoryApi(APIView):
    @extend_schema(
        responses=answers({200: ChangeOutput(many=True)}, 404),
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=["goals", "actions"])],
        summary="Every change to a goal or an action, oldest first",
    )
    def get(self, request: AuthenticatedRequest, public_id: str, kind: str, item_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        if kind not in ("goals", "actions"):
            raise Http404("Goals or actions")
        item = _item_get(record, "goal" if kind == "goals" else "action", item_id)
        audit_read(record=record, action="plan.history", obj=item)
        return Response(
            ChangeOutput(selectors.item_history(record, item), many=True, context={"record": record}).data
        )


class AgreementListApi(APIView):
    @extend_schema(
        responses=answers({200: AgreementOutput(many=True)}, 404),
        summary="Agreed versions of the plan, newest first",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id)
        return Response(
            AgreementOutput(selectors.agreements_for(record), many=True, context={"record": record}).data
        )

    @extend_schema(
        request=AgreementInput,
        responses=answers({201: AgreementOutput}, 400, 404),
        summary="Mark the plan agreed (lead)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = client_get_for_user(request.user, public_id, need="manage")
        data = AgreementInput(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["participant_member_ids"]
        participants = circle_members_by_id(record, ids)
        if len(participants) != len(set(ids)):
            raise serializers.ValidationError(
                {"participant_member_ids": ["Some of those people are not in this circle."]}
            )
        agreement = services.plan_agree(
            actor=request.user,
            client=record.client,
            participants=participants,
            note=data.validated_data["note"],
        )
        return Response(
            AgreementOutput(agreement, context={"record": record}).data, status=status.HTTP_201_CREATED
        )


class DifferenceOutput(serializers.Serializer):
    kind = serializers.CharField()
    goal = serializers.CharField()
    action = serializers.CharField(required=False)
    field = serializers.CharField(required=False)
    old = serializers.JSONField(required=False)
    new = serializers.JSONField(required=False)


class AgreementCompareOutput(AgreementOutput):
    differences = DifferenceOutput(many=True)

    class Meta(AgreementOutput.Meta):
        fields = [*AgreementOutput.Meta.fields, "differences"]


class MyActionOutput(ActionOutput):
    goal = serializers.CharField(source="goal.in_own_words")
    client = serializers.CharField(source="goal.plan.client.public_id")
    overdue = serializers.BooleanField(source="is_overdue")

    class Meta(ActionOutput.Meta):
        fields = [*ActionOutput.Meta.fields, "goal", "client", "overdue"]

    def get_owner(self, action: Action) -> dict | None:
        # The reader's own actions, in circles they are in: the owner is the reader.
        return {"member_id": action.owner_id, "name": action.owner.display_name} if action.owner else None


class AgreementDetailApi(APIView):
    @extend_schema(
        responses=answers({200: AgreementCompareOutput}, 404),
        summary="An agreed version, and how today's plan differs from it",
    )
    def get(self, request: AuthenticatedRequest, public_id: str, agreement_id: int) -> Response:
        record = client_get_for_user(request.user, public_id)
        agreement = selectors.agreement_get_for(record, agreement_id)
        return Response(
            AgreementOutput(agreement, context={"record": record}).data
            | {"differences": selectors.agreement_differences(record, agreement)}
        )


class MyActionsApi(APIView):
    @extend_schema(
        responses=answers({200: MyActionOutput(many=True)}),
        summary="My actions across my clients, overdue first",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(MyActionOutput(selectors.actions_owned_by(request.user), many=True).data)
