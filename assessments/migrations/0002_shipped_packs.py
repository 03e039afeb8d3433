"""The instruments that ship with Alongside (assessments/packs/*.json), each as its version 1.

Later changes to a shipped pack come with a migration of their own that adds a version, so assessments
already done keep theirs.
"""

from django.db import migrations

from assessments.shipped import load_shipped


def load(apps, schema_editor):
    load_shipped(
        apps.get_model("assessments", "Instrument"), apps.get_model("assessments", "InstrumentVersion")
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
