"""The directory's changes (organisations and professionals' accounts), audited, never published.

Declared here rather than in network/changes.py: network sits below the catalogue and imports nothing
above it.
"""

from changes.catalogue import Change, register

ORGANISATION_CREATE = Change("organisation.create", "An organisation is added to the directory")
ORGANISATION_TWO_FACTOR = Change(
    "organisation.two_factor", "An organisation starts or stops requiring two-factor sign-in"
)
PROFESSIONAL_CREATE = Change("professional.create", "A professional's account is made")
PROFESSIONAL_UPDATE = Change("professional.update", "A professional's account, role or access is changed")

TEAM_CREATE = Change("team.create", "An agency admin adds a team to their organisation")

API_TOKEN_CREATE = Change("api_token.create", "A professional makes an API token of their own")
API_TOKEN_REVOKE = Change(
    "api_token.revoke", "An API token is revoked, by its owner or the site administrator"
)

register(
    ORGANISATION_CREATE,
    ORGANISATION_TWO_FACTOR,
    PROFESSIONAL_CREATE,
    PROFESSIONAL_UPDATE,
    TEAM_CREATE,
    API_TOKEN_CREATE,
    API_TOKEN_REVOKE,
)
