"""The access policy: the one place that answers "may this person see or do this?".

Pages, the API, websocket subscriptions and selectors all ask here; nothing else decides access.

Who sees a client's record
    - Current members of the circle (professionals) see the record. Anyone else sees nothing of it,
      except through discovery or emergency access, below.
    - Discovery: a practitioner, agency manager or agency admin who is not in the circle may see *who*
      is in it (never hidden members) and ask to join. Panel chairs and site administrators may not.
    - Emergency access ("break the glass"): a practitioner outside the circle who gives a reason sees
      the record's shared content for a limited time; the lead is told and the audit marks it.
    - Only the lead professional changes the circle, records consent and decides join requests.

The plan
    The plan is the circle's shared agreement: every current member sees and edits it (emergency
    access sees it), and nobody else does.

Hidden members (person_label, event_for)
    A hidden member's identity (name, account, membership) reaches only the circle's current
    professional members. Everyone else who sees something they did or own (emergency access, the
    client and family in the portal, another organisation's audit export, a declined requester) reads
    "A member of the circle", and events about them never reach those people at all.

What a member sees of what others wrote in notes
    Information crosses from one organisation to another only with the client's consent: a current
    "share with the circle" consent, or a "share with a named organisation" consent naming the viewer's
    organisation. Without it, each organisation sees what its own people wrote. On top of that:
    "my organisation only" notes never leave their organisation, and "named people only" notes reach
    only the named people. Authors always see their own notes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from changes.catalogue import catalogue
from circles.models import CircleMember, Client, Consent, EmergencyAccess, PortalAccess, Visibility
from network.models import User
from network.roles import is_agency_admin, is_agency_manager, is_professional  # noqa: F401 (part of the policy)

DISCOVERY_ROLES = frozenset({User.OrgRole.PRACTITIONER, User.OrgRole.MANAGER, User.OrgRole.ADMIN})
PORTAL_KINDS = frozenset({User.Kind.CLIENT, User.Kind.FAMILY})


def changes_access(event_type: str) -> bool:
    """After an event of this kind every open socket on the client re-checks what its person may see.

    The catalogue of changes says which kinds those are. An unknown name (an outbox row older than the
    catalogue) changes nothing.
    """
    return event_type in catalogue and catalogue.get(event_type).changes_access


def is_practitioner(user: "User | Any") -> bool:
    """A professional in an organisation whose role lets them look people up (not a panel chair)."""
    return is_professional(user) and bool(user.organisation_id) and user.org_role in DISCOVERY_ROLES


def is_frontline(user: "User | Any") -> bool:
    """A practitioner proper: the only role that may break the glass (not managers, admins or chairs)."""
    return is_practitioner(user) and user.org_role == User.OrgRole.PRACTITIONER


def current_membership(user: "User", client: Client) -> CircleMember | None:
    if not is_professional(user):
        return None
    return CircleMember.objects.filter(client=client, user=user, until=None).first()


def active_emergency(user: "User", client: Client) -> EmergencyAccess | None:
    if not is_frontline(user):
        return None
    return EmergencyAccess.objects.filter(client=client, user=user, expires_at__gt=timezone.now()).first()


def shares_with(client: Client, organisation_id: int | None) -> bool:
    """Has the client consented to information reaching this organisation from the others?"""
    if organisation_id is None:
        return False
    return (
        Consent.objects.current()
        .filter(client=client)
        .filter(
            Q(scope=Consent.Scope.CIRCLE)
            | Q(scope=Consent.Scope.ORGANISATION, organisation_id=organisation_id)
        )
        .exists()
    )


HIDDEN_LABEL = "A member of the circle"


@dataclass(frozen=True)
class Names:
    """How people are named to one onlooker of one client's record: the hidden-member rule's input.

    `sees_hidden` is true only for the circle's current professional members. For everyone else the
    hidden people are listed three ways: their accounts, their membership rows, and their names as they
    were written down (agreed versions and event payloads keep names as text).
    """

    sees_hidden: bool
    hidden_user_ids: frozenset[int] = frozenset()
    hidden_member_ids: frozenset[int] = frozenset()
    hidden_names: frozenset[str] = frozenset()


EVERYONE_NAMED = Names(sees_hidden=True)


def names_for(client: Client | int, *, sees_hidden: bool, except_organisation_id: int | None = None) -> Names:
    """Who is hidden from an onlooker of this client who does (not) see hidden members (one or two queries).

    A person is hidden if their latest membership of this circle (the current one, else the last) is
    hidden; a family member's portal account is hidden with their membership. `except_organisation_id`
    leaves out an organisation's own people (an agency admin's export names their own staff).
    """
    if sees_hidden:
        return EVERYONE_NAMED
    return _hidden_in(CircleMember.objects.filter(client=client), except_organisation_id)


def names_for_person(user: "User", client: Client | int) -> Names:
    """How people are named to `user` in something about `client` away from its record (a referral, a
    handover, a notification, an email): the same rule as the record's (two or three queries)."""
    return names_for_person_in(user, [client])


def names_for_person_in(user: "User", clients: "Iterable[Client | int]") -> Names:
    """How people are named to `user` in something about several clients at once (a meeting with several
    on its agenda): hidden if hidden in the circle of any of them that `user` is not a current professional
    member of. Two or three queries however many clients."""
    ids = {client if isinstance(client, int) else client.pk for client in clients}
    mine: set[int] = set()
    if is_professional(user) and ids:
        mine = set(
            CircleMember.objects.filter(client_id__in=ids, user=user, until=None).values_list(
                "client_id", flat=True
            )
        )
    others = ids - mine
    if not others:
        return EVERYONE_NAMED
    return _hidden_in(CircleMember.objects.filter(client_id__in=others), None)


def _hidden_in(members: "QuerySet[CircleMember]", except_organisation_id: int | None) -> Names:
    rows = members.select_related("user").order_by("since", "pk")
    latest: dict[tuple[int, int | str], CircleMember] = {}
    by_person: dict[tuple[int, int | str], list[CircleMember]] = {}
    for member in rows:
        person = (member.client_id, member.user_id if member.user_id else f"m{member.pk}")
        by_person.setdefault(person, []).append(member)
        if person not in latest or latest[person].until is not None:
            latest[person] = member
    hidden = {
        person: member
        for person, member in latest.items()
        if member.is_hidden
        and not (except_organisation_id and member.organisation_id == except_organisation_id)
    }
    if not hidden:
        return Names(sees_hidden=False)
    member_ids = {row.pk for person in hidden for row in by_person[person]}
    user_ids = {member.user_id for member in hidden.values() if member.user_id}
    family = [member.pk for member in hidden.values() if not member.user_id]
    if family:
        user_ids |= set(PortalAccess.objects.filter(member_id__in=family).values_list("user_id", flat=True))
    return Names(
        sees_hidden=False,
        hidden_user_ids=frozenset(user_ids),
        hidden_member_ids=frozenset(member_ids),
        hidden_names=frozenset(member.display_name for member in hidden.values()),
    )


class Onlooker(Protocol):
    """Anyone looking at a client's record: a RecordAccess, a socket's Viewer, the portal's view."""

    @property
    def names(self) -> Names: ...


def person_label(onlooker: "Onlooker | Names", person: "User | CircleMember | str | None") -> str:
    """What `person` is called to `onlooker`: their name, or "A member of the circle" if they are a hidden
    member and the onlooker is not one of the circle's current professional members.

    The one rule for every page, serializer, export, email and event: nothing else decides it.
    `person` is an account, a membership, or a name as it was written down at the time.
    """
    if person is None or person == "":
        return ""
    if hides(onlooker, person):
        return HIDDEN_LABEL
    if isinstance(person, str):
        return person
    return person.display_name if isinstance(person, CircleMember) else person.full_name


class Asker(Onlooker, Protocol):
    """An onlooker who is one person asking: a RecordAccess, a conference's MeetingAccess."""

    @property
    def user(self) -> "User": ...


YOU = "You"


def saved_by_label(asker: Asker, person: "User | None") -> str:
    """Who saved a change that clashes with the asker's (co-editing's `name_of`): "You" when it was the
    asker themself (an earlier save of theirs, say in another tab), otherwise `person_label`. The same
    words on the page ("You saved this at ...") and in the API's 412 ("by": "You")."""
    if person is not None and person == asker.user:
        return YOU
    return person_label(asker, person)


def hides(onlooker: "Onlooker | Names", person: "User | CircleMember | str | None") -> bool:
    """Is `person` a hidden member whom `onlooker` may not know (so nor their organisation, nor contact)?"""
    names = onlooker if isinstance(onlooker, Names) else onlooker.names
    if names.sees_hidden or person is None:
        return False
    if isinstance(person, str):
        return person in names.hidden_names
    if isinstance(person, CircleMember):
        return person.pk in names.hidden_member_ids
    return person.pk in names.hidden_user_ids


# Payload fields that identify a person by account or membership: an event about a hidden member never
# reaches anyone outside the circle. Fields that name someone in words are relabelled instead.
IDENTIFYING_FIELDS = {"member_id": "hidden_member_ids", "user_id": "hidden_user_ids"}
NAMING_FIELDS = ("by",)


def event_for(viewer: "Viewer", payload: dict[str, Any]) -> dict[str, Any] | None:
    """An event's payload as this socket's person may receive it: unchanged for the circle; for anyone
    else, None if it is about a hidden member, or with hidden people's names replaced (person_label)."""
    names = viewer.names
    if names.sees_hidden:
        return payload
    for key, hidden in IDENTIFYING_FIELDS.items():
        if payload.get(key) is not None and payload[key] in getattr(names, hidden):
            return None
    return {
        key: person_label(names, value) if key in NAMING_FIELDS and isinstance(value, str) else value
        for key, value in payload.items()
    }


@dataclass(frozen=True)
class RecordAccess:
    """What one person may do with one client's record, right now."""

    user: "User"
    client: Client
    membership: CircleMember | None
    emergency: EmergencyAccess | None
    shares_across_organisations: bool
    # The client's consent records, read with the access check when the caller asked for them
    # (record_access(with_consents=True), for a page that shows them): None when not read.
    consents: tuple[Consent, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def may_view(self) -> bool:
        return self.membership is not None or self.emergency is not None

    @property
    def may_discover(self) -> bool:
        return self.may_view or is_practitioner(self.user)

    @property
    def may_manage_circle(self) -> bool:
        return self.membership is not None and self.membership.is_lead

    @property
    def may_add_note(self) -> bool:
        return self.membership is not None

    @property
    def may_edit_plan(self) -> bool:
        """The plan belongs to the whole circle: every current member may change it; nobody else can."""
        return self.membership is not None

    @property
    def may_ask_to_join(self) -> bool:
        return self.membership is None and is_practitioner(self.user)

    @property
    def may_break_glass(self) -> bool:
        return self.membership is None and self.emergency is None and is_frontline(self.user)

    @property
    def is_emergency(self) -> bool:
        return self.membership is None and self.emergency is not None

    @property
    def organisation_id(self) -> int | None:
        return self.user.organisation_id

    @property
    def sees_hidden_members(self) -> bool:
        """Only the circle's current professional members know who its hidden members are."""
        return self.membership is not None

    @cached_property
    def names(self) -> Names:
        return names_for(self.client, sees_hidden=self.sees_hidden_members)

    def viewer(self) -> "Viewer":
        return Viewer(
            user_id=self.user.pk,
            organisation_id=self.organisation_id,
            shares_across_organisations=self.shares_across_organisations,
            in_circle=self.membership is not None,
            is_hidden=bool(self.membership and self.membership.is_hidden),
            expires_at=self.emergency.expires_at.timestamp()
            if self.membership is None and self.emergency
            else None,
            names=self.names,
        )


def record_access(user: "User", client: Client, *, with_consents: bool = False) -> RecordAccess:
    """Work out what `user` may do with `client`'s record (two or three small queries).

    with_consents: for a page that shows the consent records anyway (the client page), they are read in
    place of the "does the client share across organisations" check and kept on the RecordAccess, and the
    same rule (shares_in, as shares_with) is applied to them: one query instead of two.
    """
    membership = current_membership(user, client)
    emergency = None if membership else active_emergency(user, client)
    shares = False
    consents = None
    if membership or emergency:
        if with_consents:
            consents = tuple(consents_of(client))
            shares = emergency is not None or shares_in(consents, user.organisation_id)
        else:
            shares = emergency is not None or shares_with(client, user.organisation_id)
    return RecordAccess(
        user=user,
        client=client,
        membership=membership,
        emergency=emergency,
        shares_across_organisations=shares,
        consents=consents,
    )


def consents_of(client: Client) -> QuerySet[Consent]:
    """All the client's consent records (current or not), with who they name and who recorded them."""
    return Consent.objects.filter(client=client).select_related(
        "organisation", "family_member", "recorded_by"
    )


def shares_in(consents: Iterable[Consent], organisation_id: int | None) -> bool:
    """shares_with's rule over consent records already in hand (all of one client's)."""
    if organisation_id is None:
        return False
    return any(
        consent.is_current
        and (
            consent.scope == Consent.Scope.CIRCLE
            or (consent.scope == Consent.Scope.ORGANISATION and consent.organisation_id == organisation_id)
        )
        for consent in consents
    )


def may_view_client(user: "User", client: Client) -> bool:
    return record_access(user, client).may_view


def in_circle_now(user: "User") -> Exists:
    """For a query on clients: is `user` in this client's circle now?"""
    return Exists(CircleMember.objects.filter(client=OuterRef("pk"), user=user, until=None))


def clients_in_circles_of(user: "User") -> QuerySet[Client]:
    """Clients whose circles `user` is in now."""
    if not is_professional(user):
        return Client.objects.none()
    return Client.objects.filter(in_circle_now(user))


def clients_visible_to(user: "User") -> QuerySet[Client]:
    """Clients whose records `user` may open: their circles, and any emergency access still running."""
    if not is_professional(user):
        return Client.objects.none()
    member = CircleMember.objects.filter(client=OuterRef("pk"), user=user, until=None)
    emergency = EmergencyAccess.objects.filter(
        client=OuterRef("pk"), user=user, expires_at__gt=timezone.now()
    )
    return Client.objects.filter(Exists(member) | Exists(emergency))


def clients_discoverable_by(user: "User") -> QuerySet[Client]:
    """Clients `user` may look up (to see who is involved), given a precise enough search."""
    if not is_practitioner(user):
        return clients_visible_to(user)
    return Client.objects.all()


# What the circle writes (notes, assessments): one rule for who may read it, whatever it is.


def shared_visible_filter(access: RecordAccess, *, named_through: type[Model], named_field: str) -> Q:
    """Which of the client's written things (notes, assessments) this person may read.

    The things carry `author`, `organisation` (the author's when they wrote) and `visibility` (a
    `circles.models.Visibility`); `named_through` is their "named people" many-to-many table, whose
    column `<named_field>_id` points at the thing. Combine with a filter on the client.
    """
    if not access.may_view:
        return Q(pk__in=[])
    user = access.user
    mine = Q(author_id=user.pk)
    own_organisation = Q(organisation_id=access.organisation_id) if access.organisation_id else Q(pk__in=[])
    circle_wide = Q(visibility__in=[Visibility.CIRCLE, Visibility.CLIENT])
    named_me = Q(visibility=Visibility.NAMED) & Q(
        Exists(
            named_through.objects.filter(**{f"{named_field}_id": OuterRef("pk")}, user_id=user.pk)  # type: ignore[attr-defined]
        )
    )
    if access.shares_across_organisations:
        return mine | (own_organisation & Q(visibility=Visibility.ORGANISATION)) | circle_wide | named_me
    return mine | (own_organisation & (Q(visibility=Visibility.ORGANISATION) | circle_wide | named_me))


def shared_audience(
    *, organisation_id: int | None, visibility: str, author_id: int, named: list[int]
) -> dict:
    """What a socket needs to know to decide, without a query, who may hear about a written thing.

    The same rule as shared_visible_filter, read by may_receive.
    """
    audience: dict[str, Any] = {
        "organisation": organisation_id,
        "visibility": visibility,
        "author": author_id,
        "client_visible": visibility == Visibility.CLIENT,
    }
    if visibility == Visibility.NAMED:
        audience["named"] = sorted(named)
    return audience


def circle_members_visible_filter(access: RecordAccess) -> Q:
    """Members this person may see listed: all, with history, if they are in the circle; otherwise only
    the current ones who are not hidden (emergency access included: hidden means hidden from outsiders)."""
    if access.membership is not None:
        return Q()
    return Q(is_hidden=False, until=None)


def shows_contact_details(access: RecordAccess, member: CircleMember) -> bool:
    """Family members' phone numbers and emails are for the circle; professionals' are for anyone looking."""
    return access.membership is not None or member.kind == CircleMember.Kind.PROFESSIONAL


def caseload_filter(user: "User") -> Q:
    """For agency managers: clients with someone from their organisation in the circle now."""
    if not is_agency_manager(user):
        return Q(pk__in=[])
    return Q(members__organisation_id=user.organisation_id, members__until=None)


@dataclass(frozen=True)
class Viewer:
    """What a live socket remembers about its person, to filter events without a query each time."""

    user_id: int
    organisation_id: int | None
    shares_across_organisations: bool
    in_circle: bool = True  # False under emergency access: hidden members stay hidden from them
    is_hidden: bool = False  # this person is a hidden member: only the circle sees them here
    expires_at: float | None = None  # when emergency access ends (a Unix time), if that is how they are here
    portal: bool = False  # the client or a family member, in the portal: only what is shared with the client
    # Who is hidden from this person (see person_label). Unnamed-by-default for anyone not in the circle.
    names: Names = field(default=Names(sees_hidden=False))

    def same_access(self, other: "Viewer") -> bool:
        """Equal but for the hidden people: a change only to those is not told to the page (a reload would
        give away that someone hidden came or went)."""
        return replace(self, names=other.names) == other

    def has_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now().timestamp()


def may_receive(viewer: Viewer, audience: dict) -> bool:
    """May a subscribed person receive an event with this audience? The same rule as shared_visible_filter.

    Portal viewers (the client, family with consent) receive only events marked `client_visible`:
    anything not shared with the client never reaches the portal, not even as a doorbell.
    """
    if viewer.portal:
        return audience.get("client_visible") is True
    if "visibility" not in audience:
        return True  # not a note: everyone who may follow the record hears of it
    if audience.get("author") == viewer.user_id:
        return True
    visibility = audience.get("visibility", "circle")
    same_organisation = (
        viewer.organisation_id is not None and audience.get("organisation") == viewer.organisation_id
    )
    if visibility == "organisation":
        return same_organisation
    if visibility == "named" and viewer.user_id not in audience.get("named", []):
        return False
    return same_organisation or viewer.shares_across_organisations


# The portal: clients and family members see their own client's shared things, nothing else.


def portal_access(user: "User | Any", client: Client) -> Any:
    """The person's current portal access to this client, or None.

    The client has it while their access stands. A family member or carer also needs the client's current
    "family portal" consent naming them, and to be in the circle still: withdrawing either ends it at once.
    """
    if not (user and user.is_authenticated and user.is_active and user.kind in PORTAL_KINDS):
        return None
    grant = PortalAccess.objects.filter(user=user, client=client, until=None).select_related("member").first()
    if grant is None or (grant.member_id is None) != (user.kind == User.Kind.CLIENT):
        return None
    if grant.member is not None:
        consented = (
            Consent.objects.current()
            .filter(client=client, scope=Consent.Scope.FAMILY_PORTAL, family_member_id=grant.member_id)
            .exists()
        )
        if not consented or grant.member.until is not None:
            return None
    return grant


def portal_accesses_now() -> QuerySet[PortalAccess]:
    """Every portal access that stands now, by portal_access's rule, for reading many at once (the
    reminder scan): the client's own; a family member's while they are in the circle and the client's
    current "family portal" consent names them."""
    consented = Consent.objects.current().filter(
        client_id=OuterRef("client_id"),
        scope=Consent.Scope.FAMILY_PORTAL,
        family_member_id=OuterRef("member_id"),
    )
    return PortalAccess.objects.filter(until=None, user__is_active=True).filter(
        Q(member=None, user__kind=User.Kind.CLIENT)
        | Q(member__until=None, user__kind=User.Kind.FAMILY) & Exists(consented)
    )


def viewer_for(user: "User | Any", client: Client) -> "Viewer | None":
    """What a live socket may show this person about this client now (professional or portal), or None."""
    if user is not None and getattr(user, "kind", None) in PORTAL_KINDS:
        if portal_access(user, client) is None:
            return None
        names = names_for(client, sees_hidden=False)
        return Viewer(
            user_id=user.pk,
            organisation_id=None,
            shares_across_organisations=False,
            in_circle=False,
            # A hidden family member or carer in the portal is not shown as present to the client or the
            # rest of the family (nor to anyone else outside the circle).
            is_hidden=hides(names, user),
            portal=True,
            names=names,
        )
    record = record_access(user, client)
    return record.viewer() if record.may_view else None


def portal_clients(user: "User | Any") -> list[Client]:
    """The clients whose portal this person may open now."""
    if not (user and user.is_authenticated and user.kind in PORTAL_KINDS):
        return []
    grants = PortalAccess.objects.filter(user=user, until=None).select_related("client")
    return [grant.client for grant in grants if portal_access(user, grant.client) is not None]


# The audit trail.


def may_export_audit(user: "User | Any", client: Client) -> bool:
    """Agency admins export the audit of clients their organisation works (or worked) with."""
    if not is_agency_admin(user) or user.organisation_id is None:
        return False
    return CircleMember.objects.filter(client=client, organisation_id=user.organisation_id).exists()
