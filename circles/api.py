"""API for clients and their circles, under /api/v1/. Same selectors, services and access policy as pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_read, audit_search
from circles import access, selectors, services
from circles.forms import FAMILY_ROLE_CHOICES, PROFESSIONAL_ROLES
from circles.models import CircleMember, Client, Consent, EmergencyAccess, JoinRequest, StageChange
from network.fields import CleanTextInput
from network.models import Organisation, User


class LeadSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField(source="organisation.name", default=None)


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
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    pronouns = CleanTextInput(max_length=40, required=False, default="", allow_blank=True)
    language = CleanTextInput(max_length=60, required=False, default="", allow_blank=True)
    phone = CleanTextInput(max_length=40, required=False, default="", allow_blank=True)
    lead_role = serializers.ChoiceField(
        choices=PROFESSIONAL_ROLES, default=CircleMember.Role.LEAD_PROFESSIONAL
    )


class ClientListApi(APIView):
    @extend_schema(
        responses=CLIENT_OR_FOUND,
        summary="My clients (or search them with ?q=)",
        description="A search result outside your circles has only what the search page shows of it.",
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q")
        if query is not None:
            clients = selectors.client_search_for_user(request.user, query)
            if query.strip():
                audit_search(actor=request.user, query=query[:100], result_count=len(clients))
        else:
            clients = selectors.client_list_for_user(request.user)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(clients, request, view=self)
        return paginator.get_paginated_response([_client_row(client) for client in page])

    @extend_schema(
        request=ClientInput, responses={201: ClientOutput}, summary="Add a client; you become the lead"
    )
    def post(self, request: Request) -> Response:
        data = ClientInput(data=request.data)
        data.is_valid(raise_exception=True)
        client = services.client_create(actor=request.user, **data.validated_data)
        return Response(ClientOutput(client).data, status=status.HTTP_201_CREATED)


class MemberOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField(source="organisation.name", default=None)
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
        return MemberOutput(
            self.context["members"], many=True, context={"record": self.context["record"]}
        ).data


class ClientDetailApi(APIView):
    @extend_schema(
        responses=PolymorphicProxySerializer(
            component_name="ClientOrDiscovery",
            serializers=[ClientOutput, ClientDiscoveryOutput],
            resource_type_field_name=None,
        ),
        summary="One client",
        description="Outside the circle (discovery): only what the discovery page shows.",
    )
    def get(self, request: Request, public_id: str) -> Response:
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
    kind = serializers.ChoiceField(choices=CircleMember.Kind.choices)
    role = serializers.ChoiceField(choices=PROFESSIONAL_ROLES + FAMILY_ROLE_CHOICES)
    user_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    name = CleanTextInput(max_length=200, required=False, default="", allow_blank=True)
    relationship = CleanTextInput(max_length=100, required=False, default="", allow_blank=True)
    phone = CleanTextInput(max_length=40, required=False, default="", allow_blank=True)
    email = serializers.EmailField(required=False, default="", allow_blank=True)

    def validate_user_id(self, value: int | None) -> int | None:
        if value is not None and not User.objects.filter(pk=value, is_active=True).exists():
            raise serializers.ValidationError("No professional with that id.")
        return value


class MemberListApi(APIView):
    @extend_schema(
        responses=MemberOutput(many=True), summary="Who is in the circle (add ?past=1 for history)"
    )
    def get(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        audit_read(record=record, action="client.view" if record.may_view else "client.discover")
        members, past_members = selectors.circle_members(record)
        if request.query_params.get("past"):
            members += past_members
        return Response(MemberOutput(members, many=True, context={"record": record}).data)

    @extend_schema(request=MemberInput, responses={201: MemberOutput}, summary="Add someone (lead only)")
    def post(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        user_id = fields.pop("user_id")
        try:
            member = services.circle_member_add(
                actor=request.user,
                client=record.client,
                user=User.objects.get(pk=user_id) if user_id else None,
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
    @extend_schema(responses=MemberOutput, summary="One member of the circle")
    def get(self, request: Request, public_id: str, member_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        member = selectors.circle_member_get(record, member_id)
        audit_read(record=record, action="client.view" if record.may_view else "client.discover", obj=member)
        return Response(MemberOutput(member, context={"record": record}).data)

    @extend_schema(
        responses=MemberOutput, summary="Remove someone from the circle (lead only); history is kept"
    )
    def delete(self, request: Request, public_id: str, member_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        member = selectors.circle_member_get(record, member_id)
        member = services.circle_member_remove(actor=request.user, client=record.client, member=member)
        return Response(MemberOutput(member).data)


class JoinRequestOutput(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.full_name")
    organisation = serializers.CharField(source="organisation.name", default=None)

    class Meta:
        model = JoinRequest
        fields = ["id", "requester", "organisation", "role", "reason", "status", "created_at", "expires_at"]


class JoinRequestInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PROFESSIONAL_ROLES)
    reason = CleanTextInput(max_length=2000)


class DecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = CleanTextInput(max_length=500, required=False, default="", allow_blank=True)


class JoinRequestListApi(APIView):
    @extend_schema(responses=JoinRequestOutput(many=True), summary="Requests to join waiting (lead only)")
    def get(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        return Response(JoinRequestOutput(selectors.join_requests_open(record), many=True).data)

    @extend_schema(
        request=JoinRequestInput, responses={201: JoinRequestOutput}, summary="Ask to join the circle"
    )
    def post(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="discover")
        data = JoinRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        join_request = services.join_request_create(
            actor=request.user, client=record.client, **data.validated_data
        )
        return Response(JoinRequestOutput(join_request).data, status=status.HTTP_201_CREATED)


class JoinRequestDecisionApi(APIView):
    @extend_schema(
        request=DecisionInput, responses=JoinRequestOutput, summary="Approve or decline (lead only)"
    )
    def post(self, request: Request, public_id: str, request_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        join_request = selectors.join_request_get_for_lead(record, request_id)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.join_request_decide(
            actor=request.user, request=join_request, **data.validated_data
        )
        return Response(JoinRequestOutput(decided).data)


class ConsentOutput(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", default=None)
    family_member = serializers.CharField(source="family_member.name", default=None)
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
    scope = serializers.ChoiceField(choices=Consent.Scope.choices)
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    given_by = CleanTextInput(max_length=200)
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    organisation_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    family_member_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class WithdrawInput(serializers.Serializer):
    note = CleanTextInput(max_length=500, required=False, default="", allow_blank=True)


class ConsentListApi(APIView):
    @extend_schema(responses=ConsentOutput(many=True), summary="The client's consent records")
    def get(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id)
        audit_read(record=record, action="client.view")
        return Response(ConsentOutput(selectors.consents_for(record), many=True).data)

    @extend_schema(request=ConsentInput, responses={201: ConsentOutput}, summary="Record consent (lead only)")
    def post(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = ConsentInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation_id, family_member_id = fields.pop("organisation_id"), fields.pop("family_member_id")
        consent = services.consent_record(
            actor=request.user,
            client=record.client,
            organisation=Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None,
            family_member=record.client.members.filter(pk=family_member_id).first()
            if family_member_id
            else None,
            **fields,
        )
        return Response(ConsentOutput(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawApi(APIView):
    @extend_schema(
        request=WithdrawInput, responses=ConsentOutput, summary="Withdraw consent, at once (lead only)"
    )
    def post(self, request: Request, public_id: str, consent_id: int) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        consent = selectors.consent_get_for_lead(record, consent_id)
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        withdrawn = services.consent_withdraw(actor=request.user, consent=consent, **data.validated_data)
        return Response(ConsentOutput(withdrawn).data)


class EmergencyInput(serializers.Serializer):
    reason = CleanTextInput(max_length=2000)


class EmergencyOutput(serializers.ModelSerializer):
    class Meta:
        model = EmergencyAccess
        fields = ["id", "reason", "started_at", "expires_at"]


class EmergencyAccessApi(APIView):
    @extend_schema(
        request=EmergencyInput, responses={201: EmergencyOutput}, summary="Break the glass (audited)"
    )
    def post(self, request: Request, public_id: str) -> Response:
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


class StageInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Client.Stage.choices)
    reason = CleanTextInput(max_length=500)
    outcome = serializers.ChoiceField(choices=Client.Outcome.choices, required=False, default="")


class ReopenInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Client.Stage.choices, default=Client.Stage.ASSESSMENT)
    reason = CleanTextInput(max_length=500)


STAGE_ERRORS = {
    400: OpenApiResponse(
        description="A field is wrong (a missing reason, an outcome, a closed case); nothing changed"
    ),
    403: OpenApiResponse(description="Only the lead professional changes the stage"),
    404: OpenApiResponse(description="No such client, or not yours to see"),
}


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
        responses={200: StageOutput, 403: STAGE_ERRORS[403], 404: STAGE_ERRORS[404]},
        summary="The case's stage, since when, and how it has moved",
    )
    def get(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id)
        audit_read(record=record, action="client.stage_history")
        return Response(_stage(record))

    @extend_schema(
        request=StageInput,
        responses={200: StageOutput, **STAGE_ERRORS},
        summary="Move the case to another stage, with a reason; closing records an outcome (lead only)",
    )
    def post(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = StageInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.client_stage_change(actor=request.user, client=record.client, **data.validated_data)
        return Response(_stage(record))


class ReopenApi(APIView):
    @extend_schema(
        request=ReopenInput,
        responses={200: StageOutput, **STAGE_ERRORS},
        summary="Reopen a closed case, with a reason (lead only)",
    )
    def post(self, request: Request, public_id: str) -> Response:
        record = selectors.client_get_for_user(request.user, public_id, need="manage")
        data = ReopenInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.client_reopen(actor=request.user, client=record.client, **data.validated_data)
        return Response(_stage(record))
