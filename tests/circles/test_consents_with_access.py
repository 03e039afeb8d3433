"""The client page reads the consent records with the access check (record_access(with_consents=True)):
the same "shares across organisations" answer as the separate check, for every shape of consent."""

import datetime

import pytest
from django.utils import timezone

from circles import access
from circles.selectors import consents_for
from tests.factories import ConsentFactory, MemberFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def shapes(client, mine, other):
    """Consent rows (kwargs) that do or do not share with `mine`'s organisation."""
    yesterday, tomorrow = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)
    return {
        "none": [],
        "circle": [{"scope": "circle"}],
        "circle, withdrawn": [{"scope": "circle", "withdrawn_at": timezone.now()}],
        "circle, expired": [{"scope": "circle", "expires_on": yesterday}],
        "circle, ends today": [{"scope": "circle", "expires_on": TODAY}],
        "circle, ends tomorrow": [{"scope": "circle", "expires_on": tomorrow}],
        "my organisation": [{"scope": "organisation", "organisation": mine}],
        "another organisation": [{"scope": "organisation", "organisation": other}],
        "mine withdrawn, another's current": [
            {"scope": "organisation", "organisation": mine, "withdrawn_at": timezone.now()},
            {"scope": "organisation", "organisation": other},
        ],
    }


@pytest.mark.parametrize(
    "shape",
    [
        "none",
        "circle",
        "circle, withdrawn",
        "circle, expired",
        "circle, ends today",
        "circle, ends tomorrow",
        "my organisation",
        "another organisation",
        "mine withdrawn, another's current",
    ],
)
def test_shares_in_agrees_with_shares_with(grace, shape, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    mine, other = OrganisationFactory(), OrganisationFactory()
    for row in shapes(grace, mine, other)[shape]:
        ConsentFactory(client=grace, **row)
    member = UserFactory(organisation=mine)
    MemberFactory(client=grace, user=member)

    plain = access.record_access(member, grace)
    read = access.record_access(member, grace, with_consents=True)

    assert read.shares_across_organisations == plain.shares_across_organisations
    assert read.shares_across_organisations == access.shares_with(grace, mine.pk)
    assert consents_for(read) == consents_for(plain)
    assert access.shares_in(read.consents or (), None) is False


def test_consents_are_read_only_for_those_who_may_view(grace):
    ConsentFactory(client=grace)
    outsider = UserFactory()
    record = access.record_access(outsider, grace, with_consents=True)
    assert record.consents is None and consents_for(record) == []
