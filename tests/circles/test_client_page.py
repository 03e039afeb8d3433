"""The client page: who is in the circle, the notes newest first, and a record of every look."""

import datetime
import re

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from circles import services
from circles.models import CircleMember, EmergencyAccess, JoinRequest
from network.models import Organisation, User
from referrals.models import Referral
from tests.conftest import signed_in
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    FamilyMemberFactory,
    MemberFactory,
    NoteFactory,
    OrganisationFactory,
    UserFactory,
    assessment_done,
)


def url(client) -> str:
    return f"/clients/{client.public_id}/"


def member_block(html: str, member: CircleMember) -> str:
    match = re.search(rf'<li class="app-circle__member" id="member-{member.pk}".*?</li>', html, re.S)
    assert match, f"member {member.pk} is not on the page"
    return match.group(0)


def past_block(html: str) -> str:
    match = re.search(r"<details[^>]*>(?:(?!</details>).)*?Who was involved before.*?</details>", html, re.S)
    return match.group(0) if match else ""


def test_it_works(as_alice, grace):
    response = as_alice.get(url(grace))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<span class="app-public-id" id="public-id">{grace.public_id}</span>' in html
    assert re.search(r"<h1[^>]*>Grace Okafor</h1>", html)
    assert "No notes yet." in html


def test_it_checks_access(client, as_bob, as_carol, grace, early_help):
    assert as_bob.get(url(grace)).status_code == 200
    assert as_carol.get(url(grace)).status_code == 200
    # Someone with no way to look clients up (a panel chair) is told nothing, even via the redirect.
    chair = signed_in(UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR))
    assert chair.get(url(grace)).status_code == 404
    assert chair.get(url(grace).lower()).status_code == 404
    # Clients and family use the portal, never these pages.
    assert signed_in(UserFactory(organisation=None, kind=User.Kind.CLIENT)).get(url(grace)).status_code == 403

    response = client.get(url(grace))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(grace)}"


def test_an_outsider_sees_who_is_involved_but_not_the_record(alice, as_charlie, grace, mary):
    note = NoteFactory(client=grace, author=alice, text="Grace told me something private.")

    response = as_charlie.get(url(grace))

    # Charlie is a practitioner elsewhere: he may look Grace up to see who to call, and ask to join.
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "circles/client_discover.html"
    html = response.content.decode()
    assert "You are not in Grace's circle" in html
    assert "Alice Lead" in html and "Ask to join" in html
    assert note.text not in html and f'id="note-{note.pk}"' not in html
    # Family contacts are named, but how to reach them is not shown outside the circle.
    assert "Mary Okafor" in html
    assert mary.phone not in html and mary.email not in html
    assert not AuditEvent.objects.filter(action="client.view").exists()
    assert AuditEvent.objects.get(action="client.discover").actor.email == "charlie@example.org"


def test_it_shows_the_circle(early_help, alice, bob, carol, grace, mary):
    early_help.phone = "020 7946 0000"
    early_help.save()
    carol.phone = "01632 960 111"
    carol.save()
    members = {m.user_id or m.name: m for m in CircleMember.objects.filter(client=grace)}

    html = signed_in(bob).get(url(grace)).content.decode()

    lead = member_block(html, members[alice.pk])
    assert "Alice Lead" in lead
    assert "Lead professional, Early Help" in lead
    assert ">Lead</strong>" in lead  # the Lead tag
    assert "alice@example.org" in lead
    # Alice has no phone of her own, so her organisation's is shown.
    assert 'href="tel:02079460000"' in lead

    same_org = member_block(html, members[bob.pk])
    assert "Bob Same-Org" in same_org and "Key worker, Early Help" in same_org
    assert ">Lead<" not in same_org and ">Family<" not in same_org

    other_org = member_block(html, members[carol.pk])
    assert "Carol Other-Org" in other_org and "Health visitor, Community Health" in other_org
    assert "01632 960 111" in other_org and "carol@example.org" in other_org

    family = member_block(html, members["Mary Okafor"])
    assert ">Family</strong>" in family  # the Family tag
    assert "Mother" in family
    assert "07700 900123" in family and "mary@example.net" in family
    assert ">Lead<" not in family

    # The lead first, professionals before family.
    order = [
        html.index(f'id="member-{members[key].pk}"') for key in (alice.pk, bob.pk, carol.pk, "Mary Okafor")
    ]
    assert order == sorted(order)


def test_only_the_lead_sees_the_controls_to_manage_the_circle(as_alice, as_bob, grace):
    assert "Add someone to the circle" in as_alice.get(url(grace)).content.decode()
    assert "/remove/" in as_alice.get(url(grace)).content.decode()
    bobs_view = as_bob.get(url(grace)).content.decode()
    assert "Add someone to the circle" not in bobs_view
    assert "/remove/" not in bobs_view and "/make-lead/" not in bobs_view


def test_it_shows_who_was_involved_before(alice, as_alice, bob, grace):
    services.circle_member_remove(
        actor=alice, client=grace, member=CircleMember.objects.get(client=grace, user=bob)
    )
    html = as_alice.get(url(grace)).content.decode()
    past = past_block(html)
    assert "Who was involved before (1)" in past
    assert "Bob Same-Org, Key worker, Early Help" in past
    current = html[html.index('id="circle-members"') : html.index("</ul>", html.index('id="circle-members"'))]
    assert "Bob Same-Org" not in current


def test_it_shows_notes_newest_first(alice, bob, as_carol, grace):
    now = timezone.now()
    middle = NoteFactory(
        client=grace, author=bob, text="Second visit", created_at=now - datetime.timedelta(days=2)
    )
    newest = NoteFactory(
        client=grace, author=alice, text="Third visit", created_at=now - datetime.timedelta(hours=1)
    )
    oldest = NoteFactory(
        client=grace, author=alice, text="First visit", created_at=now - datetime.timedelta(days=9)
    )

    html = as_carol.get(url(grace)).content.decode()

    positions = [html.index(f'id="note-{note.pk}"') for note in (newest, middle, oldest)]
    assert positions == sorted(positions)
    assert "No notes yet." not in html
    assert "by Bob Same-Org, Early Help" in html


def test_it_pages_long_histories(alice, as_alice, grace):
    notes = [NoteFactory(client=grace, author=alice) for _ in range(26)]
    first = as_alice.get(url(grace)).content.decode()
    assert f'id="note-{notes[-1].pk}"' in first and f'id="note-{notes[0].pk}"' not in first
    assert "Older notes" in first
    second = as_alice.get(url(grace), {"page": 2}).content.decode()
    assert f'id="note-{notes[0].pk}"' in second


def test_it_records_each_view(alice, as_alice, carol, as_carol, grace):
    as_alice.get(url(grace))
    as_carol.get(url(grace))

    views = AuditEvent.objects.filter(action="client.view", client=grace).order_by("id")
    assert [(event.actor, event.via) for event in views] == [(alice, "web"), (carol, "web")]
    assert views[0].ip_address == "127.0.0.1"


def test_a_refused_look_is_not_recorded_as_a_view(early_help, grace):
    chair = UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR)
    signed_in(chair).get(url(grace))
    assert not AuditEvent.objects.filter(client=grace).exists()


@pytest.mark.parametrize("typed", ["lower", "no-hyphen", "spaced"])
def test_a_non_canonical_id_redirects_to_the_canonical_one(as_alice, grace, typed):
    text = {
        "lower": grace.public_id.lower(),
        "no-hyphen": grace.public_id.replace("-", ""),
        "spaced": grace.public_id.replace("-", "%20"),
    }[typed]
    response = as_alice.get(f"/clients/{text}/")
    assert response.status_code == 302
    assert response["Location"] == url(grace)
    # The redirect itself is not a view of the record; the page it leads to is.
    assert not AuditEvent.objects.filter(action="client.view").exists()


@pytest.mark.parametrize("text", ["ABCD", "7KM3-QXP4-EXTRA", "%3Cscript%3E", "not-an-id"])
def test_a_malformed_id_is_not_found(as_alice, grace, text):
    assert as_alice.get(f"/clients/{text}/").status_code == 404


def test_a_mistyped_id_is_not_found(as_alice, grace):
    compact = grace.public_id.replace("-", "")
    wrong = "Z" if compact[0] != "Z" else "Y"
    assert as_alice.get(f"/clients/{wrong}{compact[1:]}/").status_code == 404


def test_names_and_contacts_are_escaped(alice):
    client = ClientFactory(given_name="<b>Grace</b>", family_name="O'Kafor")
    MemberFactory(client=client, user=alice, is_lead=True)
    FamilyMemberFactory(client=client, name="<img src=x onerror=alert(1)>")
    html = signed_in(alice).get(url(client)).content.decode()
    assert "<b>Grace</b>" not in html and "&lt;b&gt;Grace&lt;/b&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("rows", [1, 20])
def test_query_count_stays_flat(alice, grace, django_assert_num_queries, rows):
    soon = timezone.now() + datetime.timedelta(days=1)
    for n in range(rows):
        # Each row from someone new, in an organisation of its own, so nothing can come from a cache.
        organisation = OrganisationFactory(kind=Organisation.Kind.HEALTH, phone=f"0{n}")
        author = UserFactory(organisation=organisation)
        MemberFactory(client=grace, user=author)
        NoteFactory(client=grace, author=author, visibility="circle")
        NoteFactory(client=grace, author=author, visibility="organisation")  # hidden from Alice: other org
        FamilyMemberFactory(client=grace)
        MemberFactory(client=grace, user=UserFactory(), until=timezone.now())
        consent = ConsentFactory(
            client=grace, scope="organisation", organisation=organisation, recorded_by=alice
        )
        Referral.objects.create(
            client=grace,
            from_organisation=alice.organisation,
            to_organisation=organisation,
            referrer=alice,
            service="s",
            asked="a",
            reason="r",
            consent=consent,
            answer_due_on=soon.date(),
        )
        asker = UserFactory()
        JoinRequest.objects.create(
            client=grace,
            requester=asker,
            organisation=asker.organisation,
            role="gp",
            reason="r",
            expires_at=soon,
        )
        EmergencyAccess.objects.create(
            client=grace, user=UserFactory(), reason="Urgent check", expires_at=soon
        )
        AuditEvent.objects.create(actor=author, action="client.view", client=grace)
        # Two assessments a row: one the circle sees, one (another organisation's only) Alice does not.
        assessment_done(author=author, client=grace, code="phq-9", scores=[n % 4] * 9)
        assessment_done(author=author, client=grace, code="gad-7", scores=[1] * 7, visibility="organisation")
    browser = signed_in(alice)

    browser.get(url(grace))  # the first request after signing in also pushes the session's end back

    # 1. the session, 2. the signed-in user with their organisation (one join; does it require two-factor?),
    # 3. the client by public ID, 4. Alice's membership, 5. the client's consent records (for the consent
    # panel, and with them whether the client shares across organisations: access.record_access with
    # with_consents), 6. the members, current and past, with user and organisation, 7. Alice's last visit
    # (no read of the outbox: nothing has happened since), 8. what the record has (one query: any scales,
    # any meeting with Grace on its agenda, any open referral, handover or new lead needed, and for the
    # lead any request to join waiting or emergency access lately: reads that would find nothing are left out), what is true now: 9. the plan's goals, each with its actions
    # counted and its next action due (one query: the plan's figures, the next action due, the next review,
    # the "refers to this goal" filter), 10. the open worries and what is working well (no scales and no
    # meeting here: not read), 11. the page of notes (one more than it shows: no count) with author and
    # organisation, each saying whether it refers to a goal (none does here, so no read of goals),
    # 12. INSERT the client.view audit row, 13. UPDATE Alice's last visit, 14. open join requests with
    # requester, 15. recent emergency accesses with user, 16. who has read the record (one aggregate),
    # 17. the assessments Alice may see, with their instrument and version (one query, for the summary and
    # what is true now), 18. open referrals with the receiving organisation and referrer (no handovers and
    # no lead needed here: not read), 19. unread notifications (page header). No session write: see
    # network.middleware.IdleTimeoutMiddleware.
    with django_assert_num_queries(19):
        response = browser.get(url(grace))

    assert response.status_code == 200
    assert len(response.context["notes"]) == rows
    assert len(response.context["members"]) == 3 + 2 * rows
    assert len(response.context["past_members"]) == rows
    assert len(response.context["consents"]) == 1 + rows
    assert len(response.context["join_requests"]) == rows
    assert len(response.context["referrals"]["open_referrals"]) == rows
    assert len(response.context["readers"]) == min(rows + 1, 20)  # and Alice, just now; the panel shows 20
    assert len(response.context["emergencies"]) == rows
    assert len(response.context["assessments"].series[0].points) == rows
