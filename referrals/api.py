"""Referrals and handovers in the API, under /api/v1/. Same selectors, services and access rules as pages."""

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from circles import access
from circles import selectors as circle_selectors
from circles.api import PersonLabelField
from network.api_schema import IdInput, answers
from network.fields import CleanTextInput
from network.models import Organisation, User
from referrals import handovers, selectors, services
from referrals.access import STEPS
from referrals.models import Handover, Referral


def _me(request: Request) -> User:
    """The signed-in professional (the API's default permission, IsProfessional, has made sure)."""
    return cast(User, request.user)


def _reader(request: Request) -> dict[str, Any]:
    """What ReferralOutput needs to name people as the reader may know them (circles.access)."""
    return {"reader": _me(request), "names": {}}


class ReferralOutput(serializers.ModelSerializer):
    client = serializers.CharField(source="client.public_id")
    client_name = serializers.SerializerMethodField()
    from_organisation = serializers.CharField(source="from_organisation.name")
    to_organisation = serializers.CharField(source="to_organisation.name")
    referrer = serializers.SerializerMethodField()
    worker = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField()
    first_contact_on = serializers.DateField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "client",
            "client_name",
            "from_organisation",
            "to_organisation",
            "referrer",
            "service",
            "urgency",
            "status",
            "created_at",
            "answer_due_on",
            "is_overdue",
            "answered_at",
            "worker",
            "declined_reason",
            "suggestion",
            "first_contact_on",
            "outcome",
            "closed_at",
        ]

    def _names(self, referral: Referral) -> access.Names:
        # The policy's rule, as the reader (context["reader"]) may see people; worked out once per client.
        names: dict[int, access.Names] = self.context["names"]
        if referral.client_id not in names:
            names[referral.client_id] = access.names_for_person(self.context["reader"], referral.client_id)
        return names[referral.client_id]

    def get_referrer(self, referral: Referral) -> str:
        return access.person_label(self._names(referral), referral.referrer) or access.HIDDEN_LABEL

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_worker(self, referral: Referral) -> str | None:
        """Who took the referral on, if anyone: a hidden member of the circle is not named to the inbox."""
        if referral.worker is None:
            return None
        return access.person_label(self._names(referral), referral.worker)

    def get_client_name(self, referral: Referral) -> str:
        return f"{referral.client.given_name} {referral.client.family_name}"


class PackPersonOutput(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.CharField()


class PackOutput(serializers.Serializer):
    client_name = serializers.CharField()
    client_public_id = serializers.CharField()
    date_of_birth = serializers.CharField()
    people = PackPersonOutput(many=True)
    now = serializers.CharField()
    stage = serializers.CharField()
    contact = serializers.CharField()
    consent = serializers.CharField()
    referred_by = serializers.CharField()


class StepOutput(serializers.Serializer):
    kind = serializers.CharField()
    by = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    at = serializers.DateTimeField()


class ReferralDetailOutput(ReferralOutput):
    asked = serializers.CharField()
    reason = serializers.CharField()
    pack = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta(ReferralOutput.Meta):
        fields = [*ReferralOutput.Meta.fields, "asked", "reason", "pack", "steps"]

    @extend_schema_field(PackOutput)
    def get_pack(self, referral: Referral) -> dict:
        return PackOutput(selectors.referral_pack(self.context["who"])).data

    @extend_schema_field(StepOutput(many=True))
    def get_steps(self, referral: Referral) -> list:
        return [
            {
                "kind": step.kind,
                "by": by,
                "organisation": step.organisation.name if step.organisation else None,
                "text": step.text,
                "at": step.at,
            }
            for step, by in selectors.referral_steps(self.context["who"])
        ]


class ReferralInput(serializers.Serializer):
    client = serializers.CharField(help_text="The client's public ID")
    to_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        help_text="An organisation (id) other than yours, that the client has agreed to share information "
        "with (their consent, recorded in the circle); without that consent the answer names `consent`.",
    )
    service = CleanTextInput(max_length=200)
    asked = CleanTextInput()
    reason = CleanTextInput()
    urgency = serializers.ChoiceField(choices=Referral.Urgency.choices, default=Referral.Urgency.ROUTINE)
    shares = serializers.ListField(
        child=serializers.ChoiceField(choices=Referral.Share.choices),
        default=[Referral.Share.CIRCLE, Referral.Share.NOW],
    )
    now_summary = CleanTextInput(required=False, default="", allow_blank=True)


class StepInput(serializers.Serializer):
    worker = IdInput(required=False, help_text="accept: the worker (a user id), from your organisation")
    reason = CleanTextInput(required=False, default="", allow_blank=True, help_text="decline, withdraw")
    suggestion = CleanTextInput(required=False, default="", allow_blank=True, help_text="decline")
    question = CleanTextInput(required=False, default="", allow_blank=True, help_text="more-info")
    answer = CleanTextInput(required=False, default="", allow_blank=True, help_text="info")
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="first-contact: not in the future"
    )
    outcome = serializers.ChoiceField(choices=Referral.Outcome.choices, required=False, help_text="outcome")
    note = CleanTextInput(required=False, default="", allow_blank=True, help_text="outcome")


class ReferralListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "direction",
                enum=["sent", "received"],
                default="sent",
                description="Sent from your circles, or received by your organisation's referrals inbox",
            )
        ],
        responses=answers({200: ReferralOutput(many=True)}, 400),
        summary="Referrals, by direction",
    )
    def get(self, request: Request) -> Response:
        direction = request.query_params.get("direction", "sent")
        if direction not in ("sent", "received"):
            return Response({"direction": ["Choose sent or received."]}, status=status.HTTP_400_BAD_REQUEST)
        referrals = list(selectors.referral_list_for_user(_me(request), direction)[:200])
        return Response(ReferralOutput(referrals, many=True, context=_reader(request)).data)

    @extend_schema(
        request=ReferralInput,
        responses=answers({201: ReferralOutput}, 400, 404),
        summary="Refer a client to another organisation (needs the client's consent to share with it)",
    )
    def post(self, request: Request) -> Response:
        data = ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = circle_selectors.client_get_for_user(_me(request), values["client"])
        referral = services.referral_create(
            actor=_me(request),
            client=record.client,
            to_organisation=values["to_organisation"],
            service=values["service"],
            asked=values["asked"],
            reason=values["reason"],
            urgency=values["urgency"],
            shares=values["shares"],
            now_summary=values["now_summary"],
        )
        return Response(
            ReferralOutput(referral, context=_reader(request)).data, status=status.HTTP_201_CREATED
        )


class ReferralDetailApi(APIView):
    @extend_schema(
        responses=answers({200: ReferralDetailOutput}, 404),
        summary="A referral: the pack (who is involved, what is true now, the reason) and its steps. Audited.",
    )
    def get(self, request: Request, referral_id: int) -> Response:
        who = selectors.referral_get_for_user(_me(request), referral_id)
        return Response(ReferralDetailOutput(who.referral, context={"who": who, **_reader(request)}).data)


class ReferralStepApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("step", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(STEPS))],
        request=StepInput,
        responses=answers(
            {
                200: ReferralOutput,
                409: OpenApiResponse(
                    ReferralOutput,
                    description="The step does not fit where the referral stands (accepted twice, an outcome "
                    "before first contact…): nothing changed; the body is the referral as it is now, with "
                    "`detail`.",
                ),
            },
            400,
            404,
        ),
        summary="Take a step: accept, decline, more-info, info, first-contact, outcome, withdraw",
        operation_id="v1_referrals_step",
    )
    def post(self, request: Request, referral_id: int, step: str) -> Response:
        if step not in STEPS:
            return Response({"detail": "No such step."}, status=status.HTTP_404_NOT_FOUND)
        who = selectors.referral_get_for_user(_me(request), referral_id)
        if not who.may_take(step):
            raise PermissionDenied("That step is not yours to take on this referral.")
        data = StepInput(data=request.data)
        data.is_valid(raise_exception=True)
        values, referral, actor = data.validated_data, who.referral, _me(request)
        try:
            if step == "accept":
                worker = User.objects.filter(pk=values.get("worker") or 0).first()
                referral = services.referral_accept(actor=actor, referral=referral, worker=worker)
            elif step == "decline":
                referral = services.referral_decline(
                    actor=actor, referral=referral, reason=values["reason"], suggestion=values["suggestion"]
                )
            elif step == "more-info":
                referral = services.referral_info_request(
                    actor=actor, referral=referral, question=values["question"]
                )
            elif step == "info":
                referral = services.referral_info_give(
                    actor=actor, referral=referral, answer=values["answer"]
                )
            elif step == "first-contact":
                referral = services.referral_first_contact(actor=actor, referral=referral, on=values["on"])
            elif step == "outcome":
                referral = services.referral_outcome(
                    actor=actor, referral=referral, outcome=values.get("outcome", ""), note=values["note"]
                )
            else:
                referral = services.referral_withdraw(actor=actor, referral=referral, reason=values["reason"])
        except services.ReferralConflict as conflict:
            current = Referral.objects.select_related(
                "client", "from_organisation", "to_organisation", "referrer", "worker"
            ).get(pk=conflict.referral.pk)
            return Response(
                {
                    "detail": conflict.message,
                    **ReferralOutput(current, context=_reader(request)).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(ReferralOutput(referral, context=_reader(request)).data)


class HandoverOutput(serializers.ModelSerializer):
    client = serializers.CharField(source="client.public_id")
    from_user = PersonLabelField()  # needs context["record"]: the hidden-member rule
    to = PersonLabelField(source="to_member")
    decided_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = Handover
        fields = ["id", "client", "from_user", "to", "summary", "status", "created_at", "decided_at"]


class HandoverInput(serializers.Serializer):
    to_member = IdInput(
        help_text="The circle member (id) who is to become the lead: a professional in the circle now"
    )
    summary = CleanTextInput()


class HandoverListApi(APIView):
    @extend_schema(
        request=HandoverInput,
        responses=answers({201: HandoverOutput}, 400, 404, 409),
        summary="Offer the lead to another professional in the circle, with a handover summary",
    )
    def post(self, request: Request, public_id: str) -> Response:
        record = circle_selectors.client_get_for_user(_me(request), public_id, need="manage")
        data = HandoverInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = record.client.members.filter(pk=data.validated_data["to_member"]).first()
        if member is None:
            return Response(
                {"to_member": ["Choose a professional who is in the circle now."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        handover = handovers.handover_offer(
            actor=_me(request), client=record.client, to_member=member, summary=data.validated_data["summary"]
        )
        return Response(
            HandoverOutput(handover, context={"record": record}).data, status=status.HTTP_201_CREATED
        )


class HandoverDecisionApi(APIView):
    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter("decision", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["accept", "cancel"])
        ],
        responses=answers({200: HandoverOutput}, 404, 409),
        summary="Accept (as the new lead) or cancel (as the outgoing lead) a handover",
    )
    def post(self, request: Request, handover_id: int, decision: str) -> Response:
        handover, record = selectors.handover_get_for_user(_me(request), handover_id)
        if decision == "accept":
            handover = handovers.handover_accept(actor=_me(request), handover=handover)
        elif decision == "cancel":
            handover = handovers.handover_cancel(actor=_me(request), handover=handover)
        else:
            return Response({"detail": "No such decision."}, status=status.HTTP_404_NOT_FOUND)
        handover = Handover.objects.select_related("client", "from_user", "to_member__user").get(
            pk=handover.pk
        )
        return Response(HandoverOutput(handover, context={"record": record}).data)
