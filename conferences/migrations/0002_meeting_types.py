from django.db import migrations

from conferences.migrations._types import DEFAULTS


def add_types(apps, schema_editor):
    MeetingType = apps.get_model("conferences", "MeetingType")
    for name, (family_invited, days, agenda) in DEFAULTS.items():
        MeetingType.objects.get_or_create(
            name=name,
            defaults={
                "family_invited": family_invited,
                "minutes_due_working_days": days,
                "standard_agenda": agenda,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("conferences", "0001_initial")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
