"""Reminder preferences in the API, under /api/v1/reminders/preferences/ (professionals; clients and
family choose on their page, /reminders/preferences/)."""

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from network.api_schema import answers
from network.models import User
from reminders import selectors, services
from reminders.models import ReminderPreference
from reminders.registry import registry


class PreferenceOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="The reminder kind's name, e.g. action.due")
    label = serializers.CharField()  # type: ignore[assignment]  # a field called label
    delivery = serializers.ChoiceField(choices=ReminderPreference.Delivery.choices)


def professional_kinds() -> list[tuple[str, str]]:
    """The kinds of reminder a professional chooses among (clients and family choose in the portal)."""
    return [(kind.name, kind.label) for kind in registry if not kind.for_portal]


class PreferenceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    delivery = serializers.ChoiceField(choices=ReminderPreference.Delivery.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The kinds are registered as the apps load, after this module is read.
        self.fields["kind"].choices = professional_kinds()  # type: ignore[attr-defined]


def _rows(user) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        {"kind": c.kind.name, "label": c.kind.label, "delivery": c.delivery}
        for c in selectors.preferences_for(user)
    ]


class PreferencesApi(APIView):
    @extend_schema(
        responses=answers({200: PreferenceOutput(many=True)}), summary="How you get each kind of reminder"
    )
    def get(self, request: Request) -> Response:
        return Response(_rows(request.user))

    @extend_schema(
        request=PreferenceInput,
        responses=answers({200: PreferenceOutput(many=True)}, 400),
        summary="Choose at once, daily digest, or not at all, for one kind",
    )
    def put(self, request: Request) -> Response:
        data = PreferenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.preference_set(actor=cast(User, request.user), **data.validated_data)
        return Response(_rows(request.user))
