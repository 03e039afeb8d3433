"""Search: by name prefix, date of birth or public ID, only ever among the searcher's own clients."""

import datetime

import pytest

from audit.models import AuditEvent
from circles import public_id, services
from circles.models import CircleMember
from network.models import User
from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory, OrganisationFactory, UserFactory

URL = "/clients/search/"


def make_id(payload: str) -> str:
    """A valid public ID with this 7-symbol payload."""
    return public_id.display(payload + public_id.check_symbol(payload))


# An ID with digits in it, so every test here reads it the same way whatever the generator draws.
GRACE_ID = make_id("7KM3QXP")


@pytest.fixture
def grace(grace):
    grace.public_id = GRACE_ID
    grace.date_of_birth = datetime.date(1992, 3, 14)
    grace.save(update_fields=["public_id", "date_of_birth"])
    return grace


def found(browser, query: str) -> list[str]:
    response = browser.get(URL, {"q": query})
    assert response.status_code == 200
    return [client.public_id for client in response.context["results"]]


def found_with_flags(browser, query: str) -> list[tuple[str, bool]]:
    response = browser.get(URL, {"q": query})
    assert response.status_code == 200
    return [(client.public_id, client.in_my_circles) for client in response.context["results"]]


def test_it_works(as_alice, grace):
    response = as_alice.get(URL, {"q": "grace"})

    assert [c.public_id for c in response.context["results"]] == [GRACE_ID]
    html = response.content.decode()
    assert "1 result for ‘grace’" in html
    assert f'href="/clients/{GRACE_ID}/"' in html
    assert "Born 14 March 1992" in html
    assert "Lead: Alice Lead" in html
    assert "Not in your circles" not in html


@pytest.fixture
def twin(db):
    """A client with Grace's name and birthday whose circle Alice is not in."""
    client = ClientFactory(
        public_id=make_id("8QRT2MN"),
        given_name="Grace",
        family_name="Okafor",
        date_of_birth=datetime.date(1992, 3, 14),
    )
    MemberFactory(client=client, user=UserFactory(), is_lead=True)
    return client


def test_it_checks_access(client, alice, as_charlie, early_help, grace, twin):
    as_alice = signed_in(alice)

    # A loose search (a name, a date) looks only in Alice's own circles…
    assert found(as_alice, "Grace") == [GRACE_ID]
    assert found(as_alice, "Okafor") == [GRACE_ID]
    assert found(as_alice, "14/03/1992") == [GRACE_ID]
    assert found(as_charlie, "Grace") == []
    # …while a precise one (an ID, or a name with a date of birth) also finds clients elsewhere, so a
    # practitioner can see who is involved and ask to join. Those are marked as not in their circles.
    assert found_with_flags(as_alice, twin.public_id) == [(twin.public_id, False)]
    assert sorted(found_with_flags(as_alice, "Grace Okafor 14/03/1992")) == sorted(
        [(GRACE_ID, True), (twin.public_id, False)]
    )
    assert found_with_flags(as_charlie, GRACE_ID) == [(GRACE_ID, False)]
    assert "Not in your circles" in as_charlie.get(URL, {"q": GRACE_ID}).content.decode()
    # Someone who may not look clients up (a panel chair) finds nobody outside their own circles.
    chair = signed_in(UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR))
    assert found(chair, GRACE_ID) == []
    assert found(chair, "Grace Okafor 14/03/1992") == []

    response = client.get(URL, {"q": "Grace"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_search_is_recorded(alice, as_alice, grace, twin):
    as_alice.get(URL, {"q": "Grace Okafor 14/03/1992"})
    row = AuditEvent.objects.get(action="client.search")
    assert (row.actor, row.after) == (alice, {"query": "Grace Okafor 14/03/1992", "results": 2})


def test_after_leaving_a_circle_a_loose_search_no_longer_finds_the_client(alice, bob, grace):
    services.circle_member_remove(
        actor=alice, client=grace, member=CircleMember.objects.get(client=grace, user=bob)
    )
    assert found(signed_in(bob), "Grace") == []
    assert found_with_flags(signed_in(bob), GRACE_ID) == [(GRACE_ID, False)]


@pytest.mark.parametrize(
    "query",
    [
        "Gra",
        "gRaCe",
        "Oka",
        "okafor",
        "  grace   okafor ",
        "Grace Oka",
    ],
)
def test_it_finds_by_name_prefix(as_alice, grace, query):
    assert found(as_alice, query) == [GRACE_ID]


@pytest.mark.parametrize("query", ["race", "Grace Smith", "Okafors", "Graham"])
def test_it_does_not_find_by_other_names(as_alice, grace, query):
    assert found(as_alice, query) == []


def test_it_finds_by_preferred_name(alice, as_alice):
    client = ClientFactory(given_name="Margaret", family_name="Example", preferred_name="Peggy")
    MemberFactory(client=client, user=alice, is_lead=True)
    assert found(as_alice, "Peg") == [client.public_id]


@pytest.mark.parametrize(
    "query",
    [
        "14/03/1992",
        "14.3.1992",
        "1992-03-14",
        "14-03-1992",
    ],
)
def test_it_finds_by_date_of_birth(alice, as_alice, grace, query):
    other = ClientFactory(given_name="Grace", date_of_birth=datetime.date(1992, 3, 15))
    MemberFactory(client=other, user=alice, is_lead=True)
    assert found(as_alice, query) == [GRACE_ID]


def test_it_finds_by_name_and_date_together(alice, as_alice, grace):
    namesake = ClientFactory(
        given_name="Grace", family_name="Adeyemi", date_of_birth=datetime.date(2001, 1, 1)
    )
    MemberFactory(client=namesake, user=alice, is_lead=True)
    assert sorted(found(as_alice, "Grace")) == sorted([GRACE_ID, namesake.public_id])
    assert found(as_alice, "Grace 14/03/1992") == [GRACE_ID]


@pytest.mark.parametrize(
    "typed",
    [
        GRACE_ID,
        GRACE_ID.lower(),
        GRACE_ID.replace("-", ""),
        GRACE_ID.lower().replace("-", ""),
        f" {GRACE_ID[:4]} {GRACE_ID[5:]} ",
    ],
)
def test_it_finds_by_public_id(alice, as_alice, grace, typed):
    MemberFactory(client=ClientFactory(), user=alice, is_lead=True)  # someone else Alice could find
    assert found(as_alice, typed) == [GRACE_ID]


def test_a_mistyped_public_id_finds_nobody(alice, as_alice, grace):
    # Alice has plenty of other clients; a typo must not land on any of them.
    for _ in range(10):
        MemberFactory(client=ClientFactory(), user=alice, is_lead=True)
    compact = GRACE_ID.replace("-", "")
    for position in range(len(compact)):
        wrong = "Z" if compact[position] != "Z" else "Y"
        typo = compact[:position] + wrong + compact[position + 1 :]
        assert found(as_alice, typo) == [], typo
        assert found(as_alice, public_id.display(typo).lower()) == [], typo


def test_a_swapped_pair_of_symbols_finds_nobody(as_alice, grace):
    assert found(as_alice, "K7M3-QXP" + GRACE_ID[-1]) == []


def test_it_finds_an_id_made_only_of_letters(alice, as_alice):
    payload = next(
        p
        for p in ("ABCDEFG", "HJKMNPQ", "RSTVWXY", "ZABCDEF", "BCDEFGH")
        if public_id.check_symbol(p).isalpha()
    )
    client = ClientFactory(public_id=make_id(payload))
    assert client.public_id.replace("-", "").isalpha()
    MemberFactory(client=client, user=alice, is_lead=True)
    assert found(as_alice, client.public_id) == [client.public_id]


@pytest.mark.parametrize(
    "given,family,query",
    [
        ("Isabella", "Example", "Isabella"),
        ("Tom", "Robinson", "Robinson"),
        ("Lily", "Cole", "Lily Cole"),
        # "Michelle" even reads as a valid ID (M1CH-E11E), and must still find Michelle.
        ("Michelle", "Example", "Michelle"),
    ],
)
def test_it_finds_eight_letter_names(alice, as_alice, given, family, query):
    client = ClientFactory(given_name=given, family_name=family)
    MemberFactory(client=client, user=alice, is_lead=True)
    assert found(as_alice, query) == [client.public_id]


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_finds_nothing(as_alice, grace, query):
    response = as_alice.get(URL, {"q": query})
    assert response.status_code == 200
    assert list(response.context["results"]) == []


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "%", "_", "\\", "' OR 1=1 --", "x" * 5000])
def test_odd_input_is_harmless(as_alice, grace, query):
    response = as_alice.get(URL, {"q": query})
    assert response.status_code == 200
    assert list(response.context["results"]) == []
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("clients", [1, 20])
def test_query_count_stays_flat(alice, django_assert_num_queries, clients):
    for _ in range(clients):
        client = ClientFactory(given_name="Grace")
        MemberFactory(client=client, user=alice)
        MemberFactory(client=client, user=UserFactory(organisation=OrganisationFactory()), is_lead=True)
    browser = signed_in(alice)
    browser.get("/clients/")  # the first request after signing in also pushes the session's end back

    # 1. the session, 2. the signed-in user with their organisation (one join; does it require two-factor?),
    # 3. the matching clients, each marked "in my circles" or not, 4. their current leads with user
    # and organisation (one prefetch), 5. INSERT the client.search audit row, 6. unread notifications
    # (page header).
    with django_assert_num_queries(6):
        response = browser.get(URL, {"q": "Grace"})

    assert len(response.context["results"]) == clients
