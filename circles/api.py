"""API for clients and their circles, under /api/v1/. Same selectors, services and access policy as pages."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_read, audit_search
from circles import access, selectors, services
from circles.forms import FAMILY_ROLE_CHOICES, PROFESSIONAL_ROLES
from circles.models import CircleMember, Client, Consent, EmergencyAccess, JoinRequest, StageChange
from network.api import Pages
from network.api_schema import IdInput, answers
from network.fields import CleanTextInput
from network.http import AuthenticatedRequest
from network.selectors import organisation_by_id, person_in_directory


@extend_schema_field(OpenApiTypes.STR)
class PersonLabelField(serializers.Field):
    """A person (account, membership or name as written) as the reader may see them: through the
    hidden-member rule (circles.access.person_label). Needs the reader's RecordAccess in context["record"]."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, person: Any) -> str:
        return access.person_label(self.context["record"], person)


class LeadSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField(source="organisation.name", default=None, allow_null=True)


class ClientOutput(serializers.ModelSerializer):
    stage = serializers.CharField(source="get_stage_display")
    lead = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = [
            "public_id",
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "pronouns",
            "language",
            "stage",
            "lead",
            "last_activity_at",
        ]

    @extend_schema_field(LeadSerializer(allow_null=True))
    def get_lead(self, client: Client) -> dict | None:
        leads = getattr(client, "current_leads", None)
        if leads is None:
            leads = client.members.filter(until=None, is_lead=True).select_related("user", "organisation")
            if not self.context.get("in_circle", True):
                leads = leads.filter(is_hidden=False)  # a hidden lead is not named to outsiders
            leads = list(leads)
        return LeadSerializer(leads[0]).data if leads else None


class ClientFoundOutput(ClientOutput):
    """A search result outside one's circles: what the search page shows of it, no more."""

    class Meta:
        model = Client
        fields = ["public_id", "given_name", "family_name", "preferred_name", "date_of_birth", "lead"]


CLIENT_OR_FOUND = PolymorphicProxySerializer(
    component_name="ClientOrFound",
    serializers=[ClientOutput, ClientFoundOutput],
    resource_type_field_name=None,
    many=True,
)


def _client_row(client: Client) -> dict:
    if getattr(client, "in_my_circles", True):
        return ClientOutput(client).data
    return ClientFoundOutput(client, context={"in_circle": False}).data


class ClientInput(serializers.Serializer):
    given_name = CleanTextInput(max_length=100)
    family_name = CleanTextInput(max_length=100)
    preferred_name = CleanTextInput(max_length=100, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today or in the past"
    )
    pronouns = CleanTextInput(max_length=40, required=False, default="", allow_blank=True)
    language = CleanTextInput(max_length=60, required=False, default="", allow_blank=True)
    phone = CleanTextInput(max_length=40, required=False, default="", allow_blank=True)
    lead_role = serializers.ChoiceField(
        choices=PROFESSIONAL_ROLES, default=CircleMember.Role.LEAD_PROFESSIONAL
    )


class ClientListApi(APIView):
    pagination_class = Pages

    @extend_schema(
        responses=answers({200: CLIENT_OR_FOUND}),
        parameters=[
            OpenApiParameter(
                "q", str, description="Search by ID, or by name and date of birth, as the search page does"
            )
        ],
        summary="My clients (or search them with ?q=)",
        description="A search result outside your circles has only what the search page shows of it.",
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        query = request.query_params.get("q")
        clients: list[Client] | QuerySet[Client]
        if query is not None:
            clients = selectors.client_search_for_user(request.user, query)
            if query.strip():
                audit_search(actor=request.user, query=query[:100], result_count=len(clients))
        else:
            clients = selectors.client_list_for_user(request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(clients, request, view=self)
        assert page is not None  # PAGE_SIZE is set, so LimitOffsetPagination always pages
        return paginator.get_paginated_response([_client_row(client) for client in page])

    @extend_schema(
        request=ClientInput,
        responses=answers({201: ClientOutput}, 400),
        summary="Add a client; you become the lead",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = ClientInput(data=request.data)
        data.is_valid(raise_exception=True)
        client = services.client_create(actor=request.user, **data.validated_data)
        return Response(ClientOutput(client).data, status=status.HTTP_201_CREATED)


class MemberOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField(source="organisation.name", default=None, allow_null=True)
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    class Meta:
        model = CircleMember
        fields = [
            "id",
            "kind",
            "user_id",
            "name",
            "organisation",
            "role",
            "role_label",
            "is_lead",
            "is_hidden",
            "hidden_reason",
            "relationship",
            "phone",
            "email",
            "since",
            "until",
        ]

    def _shows_contact(self, member: CircleMember) -> bool:
        record = self.context.get("record")
        return record is None or access.shows_contact_details(record, member)

    def get_phone(self, member: CircleMember) -> str:
        return member.contact_phone if self._shows_contact(member) else ""

    def get_email(self, member: CircleMember) -> str:
        return member.contact_email if self._shows_contact(member) else ""


class ClientDiscoveryOutput(ClientOutput):
    """A client outside one's circle: exactly what the discovery page shows (name, date of birth, ID, and
    who is involved: the lead and the members, without hidden ones or family contact details)."""

    members = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = [
            "public_id",
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "lead",
            "members",
        ]

    @extend_schema_field(MemberOutput(many=True))
    def get_members(self, client: Client) -> list:
        # The stubs type a serializer made with many=True as itself (data: ReturnDict); it is a ListSerializer.
        return MemberOutput(  # type: ignore[return-value]
            self.context["members"], many=True, context={"record": self.context["record"]}
        ).data


class ClientDetailApi(APIView):
    @extend_schema(
        responses=answers(
            {
                200: PolymorphicProxySerializer(
                    component_name="ClientOrDiscovery",
                    serializers=[ClientOutput, ClientDiscoveryOutput],
                    resource_type_field_name=None,
                )
            },
            404,
        ),
        summary="One client",
        description="Outside the circle (discovery): only what the discovery page shows.",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        audit_read(record=record, action="client.view" if record.may_view else "client.discover")
        if not record.may_view:
            members, _past = selectors.circle_members(record)
            return Response(
                ClientDiscoveryOutput(
                    record.client, context={"members": members, "record": record, "in_circle": False}
                ).data
            )
        return Response(
            ClientOutput(record.client, context={"in_circle": record.membership is not None}).data
        )


class MemberInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=CircleMember.Kind.choices,
        help_text="A professional needs `user_id` (someone in the directory) and a professional role "
        "other than lead (hand the lead over afterwards); a family member needs `name` and the role "
        "family member, carer or friend.",
    )
    role = serializers.ChoiceField(choices=PROFESSIONAL_ROLES + FAMILY_ROLE_CHOICES)
    user_id = IdInput(required=False, allow_null=True, default=None)
    name = CleanTextInput(max_length=200, required=False, default="", allow_blank=True)
    relationship = CleanTextInput(max_length=100, required=False, default="", allow_blank=True)
    phone = CleanTextInput(max_length=40, required=False, default="", allow_blank=True)
    email = serializers.EmailField(required=False, default="", allow_blank=True)

    def validate_user_id(self, value: int | None) -> int | None:
        if value is not None and person_in_directory(value) is None:
            raise serializers.ValidationError("No professional with that id.")
        return value


class MemberListApi(APIView):
    @extend_schema(
        responses=answers({200: MemberOutput(many=True)}, 404),
        parameters=[OpenApiParameter("past", str, description="Any value: include people who have left")],
        summary="Who is in the circle (add ?past=1 for history)",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        audit_read(record=record, action="client.view" if record.may_view else "client.discover")
        members, past_members = selectors.circle_members(record)
        if request.query_params.get("past"):
            members += past_members
        return Response(MemberOutput(members, many=True, context={"record": record}).data)

    @extend_schema(
        request=MemberInput,
        responses=answers({201: MemberOutput}, 400, 404),
        summary="Add someone (lead only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        user_id = fields.pop("user_id")
        try:
            member = services.circle_member_add(
                actor=request.user,
                client=record.client,
                user=person_in_directory(user_id) if user_id else None,
                **fields,
            )
        except DjangoValidationError as exc:
            # The service speaks of `user`; this API's field is `user_id`.
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise serializers.ValidationError(
                {("user_id" if k == "user" else k): v for k, v in errors.items()}
            ) from None
        return Response(MemberOutput(member).data, status=status.HTTP_201_CREATED)


class MemberDetailApi(APIView):
    @extend_schema(responses=answers({200: MemberOutput}, 404), summary="One member of the circle")
    def get(self, request: AuthenticatedRequest, public_id: str, member_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        member = selectors.circle_member_get(record, member_id)
        audit_read(record=record, action="client.view" if record.may_view else "client.discover", obj=member)
        return Response(MemberOutput(member, context={"record": record}).data)

    @extend_schema(
        responses=answers({200: MemberOutput}, 400, 404, 409),
        summary="Remove someone from the circle (lead only); history is kept",
    )
    def delete(self, request: AuthenticatedRequest, public_id: str, member_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        member = selectors.circle_member_get(record, member_id)
        member = services.circle_member_remove(actor=request.user, client=record.client, member=member)
        return Response(MemberOutput(member).data)


class MemberHideInput(serializers.Serializer):
    hidden = serializers.BooleanField()
    reason = CleanTextInput(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text="Why they are hidden (the circle sees it): needed to hide someone",
    )


class MemberHideApi(APIView):
    @extend_schema(
        request=MemberHideInput,
        responses=answers({200: MemberOutput}, 400, 404, 409),
        summary="Hide a member from everyone outside the circle, with a reason, or stop (lead only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str, member_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        member = selectors.circle_member_get(record, member_id)
        data = MemberHideInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.circle_member_hide(
            actor=request.user, client=record.client, member=member, **data.validated_data
        )
        return Response(MemberOutput(member, context={"record": record}).data)


class JoinRequestOutput(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.full_name")
    organisation = serializers.CharField(source="organisation.name", default=None, allow_null=True)

    class Meta:
        model = JoinRequest
        fields = ["id", "requester", "organisation", "role", "reason", "status", "created_at", "expires_at"]


# Someone asking to join takes a role in the circle; the lead is handed over, never asked for.
JOINING_ROLES = [
    (value, label) for value, label in PROFESSIONAL_ROLES if value != CircleMember.Role.LEAD_PROFESSIONAL
]


class JoinRequestInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=JOINING_ROLES)
    reason = CleanTextInput(max_length=2000)


class DecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = CleanTextInput(max_length=500, required=False, default="", allow_blank=True)


class JoinRequestListApi(APIView):
    @extend_schema(
        responses=answers({200: JoinRequestOutput(many=True)}, 404),
        summary="Requests to join waiting (lead only)",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        return Response(JoinRequestOutput(selectors.join_requests_open(record), many=True).data)

    @extend_schema(
        request=JoinRequestInput,
        responses=answers({201: JoinRequestOutput}, 400, 404, 409),
        summary="Ask to join the circle",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        data = JoinRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        join_request = services.join_request_create(
            actor=request.user, client=record.client, **data.validated_data
        )
        return Response(JoinRequestOutput(join_request).data, status=status.HTTP_201_CREATED)


class JoinRequestDecisionApi(APIView):
    @extend_schema(
        request=DecisionInput,
        responses=answers({200: JoinRequestOutput}, 400, 404, 409),
        summary="Approve or decline (lead only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str, request_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        join_request = selectors.join_request_get_for_lead(record, request_id)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.join_request_decide(
            actor=request.user, request=join_request, **data.validated_data
        )
        return Response(JoinRequestOutput(decided).data)


class ConsentOutput(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", default=None, allow_null=True)
    family_member = PersonLabelField(default=None, allow_null=True)
    is_current = serializers.BooleanField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "scope",
            "organisation",
            "family_member",
            "method",
            "given_by",
            "given_on",
            "expires_on",
            "recorded_at",
            "withdrawn_at",
            "withdrawal_note",
            "is_current",
        ]


class ConsentInput(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=Consent.Scope.choices,
        help_text="`organisation` needs `organisation_id`; `family_portal` needs `family_member_id` (a "
        "family member in the circle). `given_on` is not in the future; `expires_on` is after it.",
    )
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    given_by = CleanTextInput(max_length=200)
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    organisation_id = IdInput(required=False, allow_null=True, default=None)
    family_member_id = IdInput(required=False, allow_null=True, default=None)


class WithdrawInput(serializers.Serializer):
    note = CleanTextInput(max_length=500, required=False, default="", allow_blank=True)


class ConsentListApi(APIView):
    @extend_schema(
        responses=answers({200: ConsentOutput(many=True)}, 404), summary="The client's consent records"
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id)
        audit_read(record=record, action="client.view")
        return Response(
            ConsentOutput(selectors.consents_for(record), many=True, context={"record": record}).data
        )

    @extend_schema(
        request=ConsentInput,
        responses=answers({201: ConsentOutput}, 400, 404),
        summary="Record consent (lead only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = ConsentInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation_id, family_member_id = fields.pop("organisation_id"), fields.pop("family_member_id")
        consent = services.consent_record(
            actor=request.user,
            client=record.client,
            organisation=organisation_by_id(organisation_id) if organisation_id else None,
            family_member=selectors.circle_member_by_id(record, family_member_id)
            if family_member_id
            else None,
            **fields,
        )
        return Response(
            ConsentOutput(consent, context={"record": record}).data, status=status.HTTP_201_CREATED
        )


class ConsentWithdrawApi(APIView):
    @extend_schema(
        request=WithdrawInput,
        responses=answers({200: ConsentOutput}, 400, 404, 409),
        summary="Withdraw consent, at once (lead only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str, consent_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        consent = selectors.consent_get_for_lead(record, consent_id)
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        withdrawn = services.consent_withdraw(actor=request.user, consent=consent, **data.validated_data)
        return Response(ConsentOutput(withdrawn, context={"record": record}).data)


class EmergencyInput(serializers.Serializer):
    reason = CleanTextInput(max_length=2000, cleaned_min_length=10)


class EmergencyOutput(serializers.ModelSerializer):
    class Meta:
        model = EmergencyAccess
        fields = ["id", "reason", "started_at", "expires_at"]


class EmergencyAccessApi(APIView):
    @extend_schema(
        request=EmergencyInput,
        responses=answers({201: EmergencyOutput}, 400, 404, 409),
        summary="Break the glass (audited)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        data = EmergencyInput(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.emergency_access_start(
            actor=request.user, client=record.client, **data.validated_data
        )
        return Response(EmergencyOutput(grant).data, status=status.HTTP_201_CREATED)


class StageChangeOutput(serializers.ModelSerializer):
    by = serializers.CharField(source="by.full_name", allow_null=True, default=None)

    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "reason", "outcome", "is_reopening", "by", "at"]


class StageOutput(serializers.Serializer):
    stage = serializers.CharField()
    since = serializers.DateTimeField()
    outcome = serializers.CharField(allow_blank=True)
    history = StageChangeOutput(many=True)


# How a case may end (not "unknown", which only cases brought in from elsewhere have), and the stages a
# closed case reopens at: exactly what the services accept.
CLOSING_OUTCOMES = [
    (value, label) for value, label in Client.Outcome.choices if value in services.CLOSING_OUTCOMES
]
REOPENING_STAGES = [(value, label) for value, label in Client.Stage.choices if value != Client.Stage.CLOSED]


class StageInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Client.Stage.choices)
    reason = CleanTextInput(max_length=services.STAGE_REASON_MAX)
    outcome = serializers.ChoiceField(
        choices=CLOSING_OUTCOMES,
        required=False,
        default="",
        help_text="How the case ended: needed when the stage is closed, and ignored otherwise.",
    )


class ReopenInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=REOPENING_STAGES, default=Client.Stage.ASSESSMENT)
    reason = CleanTextInput(max_length=services.STAGE_REASON_MAX)


def _stage(record: access.RecordAccess) -> dict:
    client = record.client
    return StageOutput(
        {
            "stage": client.stage,
            "since": client.stage_since,
            "outcome": client.outcome,
            "history": selectors.stage_history(record),
        }
    ).data


class StageApi(APIView):
    @extend_schema(
        responses=answers({200: StageOutput}, 404),
        summary="The case's stage, since when, and how it has moved",
    )
    def get(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id)
        audit_read(record=record, action="client.stage_history")
        return Response(_stage(record))

    @extend_schema(
        request=StageInput,
        responses=answers({200: StageOutput}, 400, 404, 409),
        description="409: the case is closed (reopen it first). Only the lead professional changes the stage.",
        summary="Move the case to another stage, with a reason; closing records an outcome (lead only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = StageInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.client_stage_change(actor=request.user, client=record.client, **data.validated_data)
        return Response(_stage(record))


class ReopenApi(APIView):
    @extend_schema(
        request=ReopenInput,
        responses=answers({200: StageOutput}, 400, 404, 409),
        description="409: the case is open already. Only the lead professional reopens a case.",
        summary="Reopen a closed case, with a reason (lead only)",
    )
    def post(self, request: AuthenticatedRequest, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = ReopenInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.client_reopen(actor=request.user, client=record.client, **data.validated_data)
        return Response(_stage(record))
