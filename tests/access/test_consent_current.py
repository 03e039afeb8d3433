"""One rule for "is this consent in force?": the queryset and the row in hand agree."""

import datetime

import pytest
from django.utils import timezone

from circles.models import Consent
from tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def test_current_consents_are_the_ones_that_say_they_are_current(alice, grace):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=60)
    in_force = {
        ConsentFactory(client=grace, recorded_by=alice).pk,  # no end date
        ConsentFactory(client=grace, recorded_by=alice, expires_on=today).pk,  # its last day
        ConsentFactory(client=grace, recorded_by=alice, expires_on=today + datetime.timedelta(days=1)).pk,
    }
    ConsentFactory(
        client=grace, recorded_by=alice, given_on=long_ago, expires_on=today - datetime.timedelta(days=1)
    )
    ConsentFactory(client=grace, recorded_by=alice, withdrawn_at=timezone.now())

    current = set(Consent.objects.current().values_list("pk", flat=True))

    assert current == {consent.pk for consent in Consent.objects.all() if consent.is_current}
    assert in_force <= current
    assert Consent.objects.exclude(pk__in=current).count() == 2
