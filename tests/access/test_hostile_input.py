"""Hostile input: oversized text, control characters, markup and script in notes, reasons and names, wrong
and foreign IDs. Never a 500, never a leak, and markup always shown as the text it is."""

from urllib.parse import quote

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from circles import services
from circles.models import Client, EmergencyAccess, JoinRequest
from network.text import clean_line, clean_text
from sharing.models import Note
from sharing.services import note_create
from tests.access.conftest import element_text
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, ConsentFactory, FamilyMemberFactory, MemberFactory, UserFactory

# Each would create an element with id="injected" if it reached a page unescaped.
INJECTIONS = [
    '<b id="injected">bold</b>',
    '"><b id="injected">',
    "'><b id=injected>",
    '</textarea></p></div><b id="injected">',
    '<script id="injected">alert(1)</script>',
    '<img id="injected" src=x onerror=alert(1)>',
    '{{ 7|add:7 }}{% csrf_token %}<b id="injected">',
]

no_surrogates = st.characters(exclude_categories=("Cs",))
markup = st.builds(
    lambda before, injection, after: before + injection + after,
    st.text(no_surrogates, max_size=10),
    st.sampled_from(INJECTIONS),
    st.text(no_surrogates, max_size=10),
)
controls = st.text(st.characters(max_codepoint=0x9F, exclude_categories=("Cs",)), max_size=60)
oversized = st.builds(
    lambda piece, times: piece * times, st.sampled_from(["x", "é", " ", "<b>"]), st.integers(1990, 2010)
)
hostile = st.one_of(markup, controls, st.text(no_surrogates, max_size=80), oversized)

FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def assert_shown_as_text(html: str | bytes, typed: str, cleaned: str) -> None:
    """No injected element; and whatever markup was typed is on the page, escaped."""
    if isinstance(html, bytes):
        html = html.decode()
    assert element_text(html, "injected") is None
    for injection in INJECTIONS:
        if injection in cleaned:
            assert escape(injection) in html


# Notes.


@FUZZ
@given(text=hostile)
@example(text=INJECTIONS[0])
@example(text="\x00" + INJECTIONS[4])
@example(text="x" * 20_001)
def test_note_text(alice, as_alice, carol, grace, text):
    response = as_alice.post(
        f"/clients/{grace.public_id}/notes/new/", {"kind": "update", "text": text, "visibility": "circle"}
    )

    assert response.status_code in (302, 400)
    assert_shown_as_text(response.content, text, "")
    if response.status_code == 302:
        note = Note.objects.filter(client=grace).latest("id")
        assert note.text == clean_text(text)
        for reader in (as_alice, signed_in(carol)):
            assert_shown_as_text(reader.get(f"/clients/{grace.public_id}/").content, text, note.text)
        assert_shown_as_text(
            as_alice.get(f"/clients/{grace.public_id}/notes/{note.pk}/").content, text, note.text
        )


# Reasons.


@FUZZ
@given(reason=hostile)
@example(reason="I need to join: " + INJECTIONS[1])
@example(reason="y" * 2001)
def test_join_request_reason(alice, grace, police, reason):
    asker = UserFactory(organisation=police)

    response = api_as(asker).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": "police_officer", "reason": reason}
    )

    assert response.status_code in (201, 400)
    if response.status_code == 201:
        assert JoinRequest.objects.get(requester=asker).reason == clean_text(reason)
        as_alice = signed_in(alice)
        assert_shown_as_text(as_alice.get(f"/clients/{grace.public_id}/").content, reason, clean_text(reason))
        assert_shown_as_text(
            as_alice.get(f"/clients/{grace.public_id}/join-requests/").content, reason, clean_text(reason)
        )
    else:
        assert not JoinRequest.objects.filter(requester=asker).exists()


@FUZZ
@given(reason=hostile)
@example(reason="Emergency now: " + INJECTIONS[5])
def test_emergency_reason(alice, grace, police, reason):
    practitioner = UserFactory(organisation=police)

    response = signed_in(practitioner).post(f"/clients/{grace.public_id}/emergency/", {"reason": reason})

    assert response.status_code in (200, 302)
    assert_shown_as_text(response.content, reason, "")
    if response.status_code == 302:
        cleaned = clean_text(reason)
        assert EmergencyAccess.objects.get(user=practitioner).reason == cleaned
        as_alice = signed_in(alice)
        assert_shown_as_text(as_alice.get(f"/clients/{grace.public_id}/").content, reason, cleaned)
        # The notification quotes the first 200 characters of the reason.
        assert_shown_as_text(as_alice.get("/notifications/").content, reason, cleaned[:200])
    else:
        assert not EmergencyAccess.objects.filter(user=practitioner).exists()


# Names.


@FUZZ
@given(given_name=hostile, family_name=hostile)
@example(given_name=INJECTIONS[0], family_name=INJECTIONS[3])
@example(given_name="z" * 101, family_name="Okafor")
def test_client_names(alice, charlie, given_name, family_name):
    before = Client.objects.count()

    response = signed_in(alice).post(
        "/clients/new/",
        {
            "given_name": given_name,
            "family_name": family_name,
            "dob_day": "2",
            "dob_month": "1",
            "dob_year": "2010",
            "lead_role": "key_worker",
        },
    )

    assert response.status_code in (200, 302)
    assert_shown_as_text(response.content, given_name + family_name, "")
    if response.status_code == 302:
        client = Client.objects.latest("id")
        assert (client.given_name, client.family_name) == (clean_line(given_name), clean_line(family_name))
        shown = client.given_name + " " + client.family_name
        assert_shown_as_text(signed_in(alice).get(f"/clients/{client.public_id}/").content, "", shown)
        assert_shown_as_text(signed_in(alice).get("/clients/").content, "", shown)
        found = signed_in(charlie).get("/clients/search/", {"q": client.public_id})
        assert_shown_as_text(found.content, "", shown)
        assert_shown_as_text(signed_in(charlie).get(f"/clients/{client.public_id}/").content, "", shown)
    else:
        assert Client.objects.count() == before


@FUZZ
@given(full_name=hostile)
@example(full_name=INJECTIONS[6])
def test_names_of_people(eh_admin, alice, grace, full_name):
    response = signed_in(eh_admin).post(
        "/organisation/people/new/",
        {"full_name": full_name, "email": f"p{abs(hash(full_name))}@example.org", "org_role": "practitioner"},
    )

    assert response.status_code in (200, 302)
    assert_shown_as_text(response.content, full_name, "")
    created = response.status_code == 302
    people = signed_in(eh_admin).get("/organisation/people/").content
    assert_shown_as_text(people, full_name, clean_line(full_name) if created else "")
    if created:
        from network.models import User

        person = User.objects.latest("id")
        services.join_request_create(actor=person, client=grace, reason="To help", role="key_worker")
        assert_shown_as_text(
            signed_in(alice).get(f"/clients/{grace.public_id}/").content, "", person.full_name
        )
        assert_shown_as_text(signed_in(alice).get("/notifications/").content, "", person.full_name)


def test_organisation_and_family_names(alice, grace):
    from network.services import organisation_create

    sly = organisation_create(actor=None, name=INJECTIONS[2], kind="other")
    member = MemberFactory(client=grace, user=UserFactory(full_name=INJECTIONS[0], organisation=sly))
    FamilyMemberFactory(client=grace, name=INJECTIONS[1], relationship=INJECTIONS[4])
    note_create(actor=member.user, client=grace, text="Hello")

    html = signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()
    assert_shown_as_text(html, "", INJECTIONS[0] + INJECTIONS[1] + INJECTIONS[2] + INJECTIONS[4])


# Wrong IDs.

id_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=40
)


@FUZZ
@given(text=id_text)
@example(text="0000-0000")
@example(text="../../admin")
@example(text="%00")
@example(text="7KM3-QXP" + "\u0664")  # an Arabic-Indic digit four
def test_wrong_public_ids(as_alice, grace, text):
    segment = quote(text, safe="")
    for path in (
        f"/clients/{segment}/",
        f"/clients/{segment}/circle/",
        f"/clients/{segment}/audit.csv",
        f"/api/v1/clients/{segment}/",
        f"/api/v1/clients/{segment}/notes/",
        f"/api/v1/clients/{segment}/members/",
    ):
        response = as_alice.get(path)
        assert response.status_code in (200, 301, 302, 403, 404), (path, response.status_code)
        if response.status_code == 200:
            # Only when the text is Grace's own ID, typed another way.
            assert grace.public_id in response.content.decode()


@FUZZ
@given(
    number=st.one_of(
        # Never a real id: the fixtures' rows have small ids, which would rightly answer 200.
        st.just(0),
        st.integers(min_value=10**6, max_value=2**31),
        st.integers(min_value=2**63 - 2, max_value=2**80),
    )
)
@example(number=2**63)
@example(number=10**30)
def test_wrong_numbers(as_alice, alice, grace, number):
    api = api_as(alice)
    for response in (
        as_alice.get(f"/clients/{grace.public_id}/notes/{number}/"),
        as_alice.get(f"/clients/{grace.public_id}/notes/{number}/visibility/"),
        as_alice.post(f"/clients/{grace.public_id}/circle/{number}/remove/"),
        as_alice.post(f"/clients/{grace.public_id}/join-requests/{number}/approve/"),
        as_alice.post(f"/clients/{grace.public_id}/consent/{number}/withdraw/"),
        api.get(f"/api/v1/clients/{grace.public_id}/members/{number}/"),
        api.get(f"/api/v1/clients/{grace.public_id}/notes/{number}/"),
        api.post(
            f"/api/v1/clients/{grace.public_id}/join-requests/{number}/decision/",
            {"approve": True},
            format="json",
        ),
        api.post(f"/api/v1/clients/{grace.public_id}/consents/{number}/withdraw/"),
    ):
        assert response.status_code in (302, 404), response.status_code


# Other clients' IDs.


@pytest.fixture
def elsewhere(police, charlie):
    """Zed's circle, led by Charlie (Police): Alice is not in it and knows nothing of it but his name."""
    zed = ClientFactory(given_name="Zed", family_name="Elsewhere")
    MemberFactory(client=zed, user=charlie, is_lead=True, role="lead_professional")
    hidden = MemberFactory(client=zed, user=UserFactory(organisation=police), is_hidden=True)
    ConsentFactory(client=zed, recorded_by=charlie)
    note = note_create(actor=charlie, client=zed, text="ZED-SECRET-NOTE")
    asker = UserFactory(full_name="Asker Elsewhere")
    join_request = services.join_request_create(
        actor=asker, client=zed, reason="ZED-SECRET-REASON", role="key_worker"
    )
    return {
        "client": zed,
        "note": note.pk,
        "member": hidden.pk,
        "lead_member": zed.members.get(is_lead=True).pk,
        "join_request": join_request.pk,
        "consent": zed.consents.get().pk,
    }


def test_other_clients_ids_reach_nothing_through_this_client(alice, as_alice, grace, elsewhere):
    """Alice leads Grace's circle; every id of Zed's, put in Grace's addresses, is simply not found."""
    api = api_as(alice)
    g = grace.public_id
    responses = [
        as_alice.get(f"/clients/{g}/notes/{elsewhere['note']}/"),
        as_alice.get(f"/clients/{g}/notes/{elsewhere['note']}/visibility/"),
        as_alice.post(f"/clients/{g}/notes/{elsewhere['note']}/visibility/", {"visibility": "client"}),
        as_alice.get(f"/clients/{g}/circle/{elsewhere['member']}/remove/"),
        as_alice.post(f"/clients/{g}/circle/{elsewhere['lead_member']}/remove/"),
        as_alice.post(f"/clients/{g}/circle/{elsewhere['member']}/make-lead/"),
        as_alice.post(f"/clients/{g}/join-requests/{elsewhere['join_request']}/approve/"),
        as_alice.get(f"/clients/{g}/consent/{elsewhere['consent']}/withdraw/"),
        as_alice.post(f"/clients/{g}/consent/{elsewhere['consent']}/withdraw/"),
        api.get(f"/api/v1/clients/{g}/notes/{elsewhere['note']}/"),
        api.patch(f"/api/v1/clients/{g}/notes/{elsewhere['note']}/", {"visibility": "client"}, format="json"),
        api.get(f"/api/v1/clients/{g}/members/{elsewhere['member']}/"),
        api.delete(f"/api/v1/clients/{g}/members/{elsewhere['member']}/"),
        api.post(
            f"/api/v1/clients/{g}/join-requests/{elsewhere['join_request']}/decision/",
            {"approve": True},
            format="json",
        ),
        api.post(f"/api/v1/clients/{g}/consents/{elsewhere['consent']}/withdraw/"),
    ]
    for response in responses:
        assert response.status_code == 404, (response.request["PATH_INFO"], response.status_code)
        assert b"ZED-SECRET" not in response.content

    zed = elsewhere["client"]
    assert Note.objects.get(pk=elsewhere["note"]).visibility == "circle"
    assert zed.members.filter(until=None).count() == 2
    assert JoinRequest.objects.get(pk=elsewhere["join_request"]).status == "pending"
    assert zed.consents.get().withdrawn_at is None


def test_other_clients_own_addresses_show_no_content(alice, as_alice, elsewhere):
    """Through Zed's own addresses Alice may see who is involved (discovery), never what is written."""
    api = api_as(alice)
    z = elsewhere["client"].public_id
    assert as_alice.get(f"/clients/{z}/").status_code == 200
    for response in (
        as_alice.get(f"/clients/{z}/notes/{elsewhere['note']}/"),
        as_alice.get(f"/clients/{z}/circle/"),
        as_alice.get(f"/clients/{z}/join-requests/"),
        as_alice.post(f"/clients/{z}/notes/new/", {"kind": "update", "text": "Hi", "visibility": "circle"}),
        api.get(f"/api/v1/clients/{z}/notes/"),
        api.get(f"/api/v1/clients/{z}/notes/{elsewhere['note']}/"),
        api.get(f"/api/v1/clients/{z}/members/{elsewhere['member']}/"),
        api.get(f"/api/v1/clients/{z}/consents/"),
    ):
        assert response.status_code == 404, (response.request["PATH_INFO"], response.status_code)
    for response in (
        as_alice.post(f"/clients/{z}/join-requests/{elsewhere['join_request']}/approve/"),
        as_alice.post(f"/clients/{z}/consent/{elsewhere['consent']}/withdraw/"),
        api.get(f"/api/v1/clients/{z}/join-requests/"),
    ):
        assert response.status_code in (403, 404)
        assert b"ZED-SECRET" not in response.content
    assert b"ZED-SECRET" not in as_alice.get(f"/clients/{z}/").content
    assert not Note.objects.filter(client=elsewhere["client"], author=alice).exists()
