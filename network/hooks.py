"""What the directory's writes need from apps above it, which the directory must not import.

The directory is the lowest layer: the audit trail and the live pages import it, never the other way
round. Yet a change to an account is audited like every other write, and signing out or switching an
account off closes the person's open pages. So those apps register here when Django starts
(`AuditConfig.ready`, `RealtimeConfig.ready`), and the directory calls what they registered.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_audit_recorders: list[Callable[..., Any]] = []
_session_enders: list[Callable[..., Any]] = []
_switched_off_handlers: list[Callable[..., Any]] = []


def register_audit_recorder(recorder: Callable[..., Any]) -> None:
    """`recorder(actor=, action=, obj=, before=, after=)` appends a row to the audit trail."""
    if recorder not in _audit_recorders:
        _audit_recorders.append(recorder)


def register_session_ender(ender: Callable[..., Any]) -> None:
    """`ender(user_id=)` closes every open page of that person, on every device."""
    if ender not in _session_enders:
        _session_enders.append(ender)


def register_account_switched_off(handler: Callable[..., Any]) -> None:
    """`handler(actor=, person=)` runs inside the transaction that switches `person`'s account off (the
    circles they led are marked "needs a new lead": `ReferralsConfig.ready`)."""
    if handler not in _switched_off_handlers:
        _switched_off_handlers.append(handler)


def account_switched_off(*, actor: Any, person: Any) -> None:
    """Tell every registered app that an account was switched off; call it inside the writing transaction."""
    for handler in _switched_off_handlers:
        handler(actor=actor, person=person)


def audit(
    *, actor: Any, action: str, obj: Any, before: dict | None = None, after: dict | None = None
) -> None:
    """Record a write to the directory in the audit trail; call it inside the writing transaction."""
    if not _audit_recorders:
        # Refuse rather than change an account with nobody keeping the trail.
        raise ImproperlyConfigured("No audit trail is registered: is 'audit' in INSTALLED_APPS?")
    for recorder in _audit_recorders:
        recorder(actor=actor, action=action, obj=obj, before=before, after=after)


def end_sessions(*, user_id: int) -> None:
    """Close every live page of this person now (they signed out, or their account was switched off)."""
    for ender in _session_enders:
        ender(user_id=user_id)
