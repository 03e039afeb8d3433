"""The catalogue of changes: every kind of change to a record, by one name, for its audit row and its event.

`changes.catalogue` holds the `Change` type and the catalogue; each app declares its own changes in
`<app>/changes.py`; `changes.services.record` writes a change's audit row and publishes its event.
"""
