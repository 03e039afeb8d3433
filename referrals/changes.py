"""The changes to referrals and handovers, each by the one name its audit row and its event carry."""

from typing import TypedDict

from changes.catalogue import Change, register


class ReferralChanged(TypedDict):
    referral_id: int
    status: str


class HandoverChanged(TypedDict):
    handover_id: int
    status: str


class LeadNeededChanged(TypedDict):
    lead_needed_id: int


REFERRAL_CREATE = Change(
    "referral.create", "A circle member refers the client to another organisation", ReferralChanged
)
REFERRAL_ACCEPT = Change(
    "referral.accept", "The receiving organisation accepts, naming a worker", ReferralChanged
)
REFERRAL_DECLINE = Change(
    "referral.decline", "The receiving organisation declines, with a reason", ReferralChanged
)
REFERRAL_INFO_REQUEST = Change(
    "referral.info_request", "The receiver asks for more information", ReferralChanged
)
REFERRAL_INFO_GIVE = Change(
    "referral.info_give", "The referrer gives the information asked for", ReferralChanged
)
REFERRAL_FIRST_CONTACT = Change(
    "referral.first_contact", "The receiver records first contact", ReferralChanged
)
REFERRAL_OUTCOME = Change("referral.outcome", "The receiver records the outcome", ReferralChanged)
REFERRAL_WITHDRAW = Change("referral.withdraw", "The referrer withdraws the referral", ReferralChanged)
REFERRAL_VIEW = Change("referral.view", "Someone reads a referral pack", is_read=True)
INBOX_MEMBER_ADD = Change("referral_inbox.add", "A manager names someone to work the referrals inbox")
INBOX_MEMBER_REMOVE = Change("referral_inbox.remove", "A manager takes someone off the referrals inbox")

HANDOVER_OFFER = Change(
    "handover.offer", "The lead offers the lead to another member, with a summary", HandoverChanged
)
HANDOVER_ACCEPT = Change("handover.accept", "The new lead accepts the handover", HandoverChanged)
HANDOVER_CANCEL = Change("handover.cancel", "The outgoing lead cancels a handover", HandoverChanged)
LEAD_NEEDED = Change(
    "circle.lead_needed", "The lead left the organisation: a new lead is needed", LeadNeededChanged
)

register(
    REFERRAL_CREATE,
    REFERRAL_ACCEPT,
    REFERRAL_DECLINE,
    REFERRAL_INFO_REQUEST,
    REFERRAL_INFO_GIVE,
    REFERRAL_FIRST_CONTACT,
    REFERRAL_OUTCOME,
    REFERRAL_WITHDRAW,
    REFERRAL_VIEW,
    INBOX_MEMBER_ADD,
    INBOX_MEMBER_REMOVE,
    HANDOVER_OFFER,
    HANDOVER_ACCEPT,
    HANDOVER_CANCEL,
    LEAD_NEEDED,
)
