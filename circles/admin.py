"""Clients, circles, consent and notes are not in the admin site on purpose.

The site administrator runs the system and sees no client content without emergency access (which is
audited, like every other read). Changes to clients and circles go through the pages and the API, so
that each is checked, audited and reaches open pages.
"""
