"""The portal's changes: invitations (audited, never published) and the client's or family's reads."""

from changes.catalogue import Change, register

INVITE = Change("portal.invite", "The lead invites the client or a family member to the portal")
INVITE_REVOKE = Change("portal.invite_revoke", "The lead takes back an invitation")
INVITE_ACCEPT = Change("portal.invite_accept", "Someone opens their invitation and starts using the portal")
VIEW = Change("portal.view", "The client or a family member opens the portal", is_read=True)

register(INVITE, INVITE_REVOKE, INVITE_ACCEPT, VIEW)
