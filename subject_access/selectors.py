"""Reads of subject access exports: each checks access (subject_access/access.py) as it fetches."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from circles import access, public_id
from circles.models import Client
from subject_access.access import ADMINS_ONLY, NOT_OURS, may_export
from subject_access.models import SubjectAccessExport

# Everything but the file itself, for lists and the progress page.
LIGHT = ("file",)


def client_for_export(user: Any, public_id_text: str) -> Client:
    """The client an agency admin may export: 403 for anyone who is not an agency admin (asked before the
    client is looked up), 404 for an unknown or mistyped ID, 403 (NOT_OURS) for a client of others."""
    if not access.is_agency_admin(user):
        raise PermissionDenied(ADMINS_ONLY)
    try:
        canonical = public_id.normalise(public_id_text)
    except public_id.InvalidPublicId:
        raise Http404("No client with that ID") from None
    client = Client.objects.filter(public_id=canonical).first()
    if client is None:
        raise Http404("No client with that ID")
    if not may_export(user, client):
        raise PermissionDenied(NOT_OURS)
    return client


def exports_for(user: Any, client: Client | None = None) -> QuerySet[SubjectAccessExport]:
    """The exports of the admin's organisation (for one client, or all), newest first; none for others."""
    if not access.is_agency_admin(user):
        return SubjectAccessExport.objects.none()
    exports = SubjectAccessExport.objects.filter(organisation_id=user.organisation_id)
    if client is not None:
        exports = exports.filter(client=client)
    return exports.defer(*LIGHT).select_related("client", "requested_by").order_by("-created_at", "-pk")


def export_get_for(
    user: Any, export_id: int | str, *, client: Client | None = None, with_file: bool = False
) -> SubjectAccessExport:
    """One export of the admin's organisation (of `client`, if given); 403 for non-admins, else 404."""
    if not access.is_agency_admin(user):
        raise PermissionDenied(ADMINS_ONLY)
    exports = SubjectAccessExport.objects.filter(organisation_id=user.organisation_id).select_related(
        "client", "requested_by", "organisation"
    )
    if client is not None:
        exports = exports.filter(client=client)
    if not with_file:
        exports = exports.defer(*LIGHT)
    try:
        return exports.get(pk=int(export_id))
    except (ValueError, SubjectAccessExport.DoesNotExist):
        raise Http404("No such export") from None
