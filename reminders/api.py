"""Reminder preferences in the API, under /api/v1/reminders/preferences/ (professionals; clients and
family choose on their page, /reminders/preferences/)."""

from typing import cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from network.models import User
from reminders import selectors, services
from reminders.models import ReminderPreference


class PreferenceOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="The reminder kind's name, e.g. action.due")
    label = serializers.CharField()  # type: ignore[assignment]  # a field called label
    delivery = serializers.ChoiceField(choices=ReminderPreference.Delivery.choices)


class PreferenceInput(serializers.Serializer):
    kind = serializers.CharField()
    delivery = serializers.ChoiceField(choices=ReminderPreference.Delivery.choices)


def _rows(user) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        {"kind": c.kind.name, "label": c.kind.label, "delivery": c.delivery}
        for c in selectors.preferences_for(user)
    ]


class PreferencesApi(APIView):
    @extend_schema(responses={200: PreferenceOutput(many=True)}, summary="How you get each kind of reminder")
    def get(self, request: Request) -> Response:
        return Response(_rows(request.user))

    @extend_schema(
        request=PreferenceInput,
        responses={
            200: PreferenceOutput(many=True),
            400: OpenApiResponse(
                description="An unknown kind, or a delivery that is not at_once, digest or off."
            ),
        },
        summary="Choose at once, daily digest, or not at all, for one kind",
    )
    def put(self, request: Request) -> Response:
        data = PreferenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.preference_set(actor=cast(User, request.user), **data.validated_data)
        return Response(_rows(request.user))
