"""The instruments that ship with Alongside (assessments/packs/*.json), each as its version 1 if missing.

Used by the data migration (with its historical models) and by tests whose database is emptied between
tests (transactional ones), which lose what the migration loaded.
"""

from typing import Any

from assessments.packs import definitions_from_pack, shipped_packs


def load_shipped(instrument_model: Any, version_model: Any) -> None:
    for pack in shipped_packs().values():
        for definition in definitions_from_pack(pack):
            if instrument_model.objects.filter(code=definition["code"]).exists():
                continue
            instrument = instrument_model.objects.create(code=definition["code"], name=definition["name"])
            version_model.objects.create(instrument=instrument, number=1, definition=definition)
