"""Moving clients in and out: each audited, none published (the clients an import makes publish their own
`client.create` events)."""

from changes.catalogue import Change, register

IMPORT_CHECK = Change("clients.import_check", "An agency admin uploads a file of clients and it checks out")
IMPORT_START = Change("clients.import_start", "An agency admin starts importing a checked file of clients")
IMPORT_RUN = Change("clients.import", "Clients are imported from a file, all in one go")
EXPORT = Change(
    "clients.export", "An agency admin downloads their organisation's clients as CSV", is_read=True
)

register(IMPORT_CHECK, IMPORT_START, IMPORT_RUN, EXPORT)
