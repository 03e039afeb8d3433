"""Reads for moving clients in and out, each checking that the reader is an agency admin."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from circles import access
from circles.models import CircleMember, Client
from importing.models import ImportJob
from network.models import User
from network.roles import is_agency_admin


def admin_only(user: User) -> int:
    """The admin's organisation's id, or PermissionDenied for anyone who is not an agency admin."""
    if not is_agency_admin(user) or user.organisation_id is None:
        raise PermissionDenied("Only agency admins move clients in and out of Alongside.")
    return user.organisation_id


def jobs_for(user: User) -> QuerySet[ImportJob]:
    """The imports of the admin's organisation, newest first."""
    return (
        ImportJob.objects.filter(organisation_id=admin_only(user))
        .select_related("created_by")
        .defer("content")
    )


def job_get(user: User, job_id: int | str) -> ImportJob:
    """One import of the admin's organisation; another organisation's looks like no import at all."""
    admin_only(user)
    try:
        return jobs_for(user).get(pk=int(job_id))
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import") from None


def clients_by_name_and_birth(user: User) -> dict[tuple[str, str, datetime.date], list[str]]:
    """The clients the admin's organisation works with now, by (first name, last name, date of birth),
    folded for comparison: their public IDs. For spotting likely duplicates in a file."""
    admin_only(user)
    found: dict[tuple[str, str, datetime.date], list[str]] = defaultdict(list)
    rows = (
        Client.objects.filter(access.caseload_filter(user), date_of_birth__isnull=False)
        .distinct()
        .values_list("given_name", "family_name", "date_of_birth", "public_id")
    )
    for given, family, born, public_id in rows.iterator(chunk_size=5000):
        if born is not None:  # as filtered; said again for the type checker
            found[(given.casefold(), family.casefold(), born)].append(public_id)
    return found


def clients_for_export(user: User) -> QuerySet[Client]:
    """The clients the admin's organisation works with now (someone from it in the circle), by name.
    Their circles come a chunk at a time from `professionals_of` (Django's prefetch_related under
    .iterator() keeps every chunk's rows alive to the end: memory would grow with the clients)."""
    admin_only(user)
    return (
        Client.objects.filter(access.caseload_filter(user))
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


def professionals_of(user: User, client_ids: list[int]) -> dict[int, list[CircleMember]]:
    """The current professionals in these clients' circles who are not hidden, the lead first: hidden
    members never leave Alongside in a file (imported back, they would no longer be hidden)."""
    admin_only(user)
    found: dict[int, list[CircleMember]] = defaultdict(list)
    members = (
        CircleMember.objects.filter(
            client_id__in=client_ids, until=None, kind=CircleMember.Kind.PROFESSIONAL, is_hidden=False
        )
        .select_related("user")
        .order_by("-is_lead", "since", "pk")
    )
    for member in members:
        found[member.client_id].append(member)
    return found
