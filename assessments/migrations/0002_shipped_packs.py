"""The instruments that ship with Alongside (assessments/packs/*.json), each as its version 1.

Later changes to a shipped pack come with a migration of their own that adds a version, so assessments
already done keep theirs.
"""

from django.db import migrations

from assessments.packs import definitions_from_pack, shipped_packs


def load(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    InstrumentVersion = apps.get_model("assessments", "InstrumentVersion")
    for pack in shipped_packs().values():
        for definition in definitions_from_pack(pack):
            if Instrument.objects.filter(code=definition["code"]).exists():
                continue
            instrument = Instrument.objects.create(code=definition["code"], name=definition["name"])
            InstrumentVersion.objects.create(instrument=instrument, number=1, definition=definition)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
