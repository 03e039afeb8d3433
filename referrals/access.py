"""Who may see and do what with a referral, over the access policy's RecordAccess.

Two sides:
    The sending side is the client's circle: its current members see the client's referrals and where
    each stands; the referrer and the lead may withdraw one or answer a question about it.
    The receiving side is the receiving organisation's referrals inbox: its agency managers and the
    people they name. They see the referral pack only (who is involved, never hidden members; what is
    true now; the reason), never the record, until one of them joins the circle. They answer, and then
    they (or the worker they named) record first contact and the outcome.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from circles import access
from circles.models import CircleMember
from network.models import User
from network.roles import is_agency_manager, is_professional
from referrals.models import InboxMember, Referral


def works_inbox(user: User, organisation_id: int | None) -> bool:
    """Does `user` work this organisation's referrals inbox (a manager there, or named by one)?"""
    if not is_professional(user) or organisation_id is None or user.organisation_id != organisation_id:
        return False
    if is_agency_manager(user):
        return True
    return InboxMember.objects.filter(organisation_id=organisation_id, user=user, until=None).exists()


@dataclass(frozen=True)
class ReferralAccess:
    """What one person may do with one referral, right now."""

    user: User
    referral: Referral
    sender: bool  # in the client's circle now
    receiver: bool  # works the receiving organisation's inbox
    is_worker: bool  # the worker the receiver named
    is_lead: bool = False

    @property
    def may_answer(self) -> bool:
        return self.receiver

    @property
    def may_record_progress(self) -> bool:
        return self.receiver or self.is_worker

    @property
    def may_withdraw(self) -> bool:
        return self.sender and (self.referral.referrer_id == self.user.pk or self.is_lead)

    @property
    def may_give_info(self) -> bool:
        return self.sender

    def may_take(self, step: str) -> bool:
        """May this person take this step (a name from STEPS) at all, whatever the referral's state?"""
        return {
            "accept": self.may_answer,
            "decline": self.may_answer,
            "more-info": self.may_answer,
            "info": self.may_give_info,
            "first-contact": self.may_record_progress,
            "outcome": self.may_record_progress,
            "withdraw": self.may_withdraw,
        }.get(step, False)


# The steps of a referral's loop, as pages and the API name them.
STEPS = ("accept", "decline", "more-info", "info", "first-contact", "outcome", "withdraw")


def referral_access(user: User, referral: Referral) -> ReferralAccess | None:
    """What `user` may do with `referral`, or None if it is not theirs to see at all."""
    if not is_professional(user):
        return None
    membership = access.current_membership(user, referral.client)
    receiver = works_inbox(user, referral.to_organisation_id)
    is_worker = referral.worker_id == user.pk
    if membership is None and not receiver and not is_worker:
        return None
    return ReferralAccess(
        user=user,
        referral=referral,
        sender=membership is not None,
        receiver=receiver,
        is_worker=is_worker,
        is_lead=bool(membership and membership.is_lead),
    )


def received_filter(user: User) -> Q:
    """Referrals to the organisation whose inbox `user` works (and those where they are the named worker)."""
    if not is_professional(user) or not user.organisation_id:
        return Q(pk__in=[])
    mine = Q(worker=user)
    if is_agency_manager(user):
        return mine | Q(to_organisation_id=user.organisation_id)
    named = InboxMember.objects.filter(organisation_id=OuterRef("to_organisation_id"), user=user, until=None)
    return mine | (Q(to_organisation_id=user.organisation_id) & Q(Exists(named)))


def sent_filter(user: User) -> Q:
    """Referrals of clients in whose circles `user` is now."""
    if not is_professional(user):
        return Q(pk__in=[])
    return Q(Exists(CircleMember.objects.filter(client=OuterRef("client_id"), user=user, until=None)))


def may_refer(record: access.RecordAccess) -> bool:
    """Members of the circle refer the client; emergency access does not."""
    return record.membership is not None
