"""The changes a configuration pack makes as a whole, each by one name for its audit row.

What a pack brings in is audited by each app as its own change as well (instrument.import,
plan_template.create, meeting_type.update…); these rows say that a pack did it, and what it held.
"""

from changes.catalogue import Change, register

PACK_EXPORT = Change("pack.export", "An agency admin writes out their agency's configuration as a pack")
PACK_APPLY = Change("pack.apply", "An agency admin brings in a configuration pack")

register(PACK_EXPORT, PACK_APPLY)
