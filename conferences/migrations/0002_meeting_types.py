from django.db import migrations

TYPES = [
    (
        "Case conference",
        True,
        5,
        "What has happened since\nWhat we are worried about\nWhat is working well\nWhat needs to happen",
    ),
    ("Core group", True, 5, "Progress on the plan\nWhat we are worried about\nWhat needs to happen"),
    (
        "Team Around the Family",
        True,
        5,
        "What is working well\nWhat we are worried about\nWhat needs to happen",
    ),
    ("Risk panel", False, 3, "The risk now\nWhat each agency knows\nWhat needs to happen"),
    ("Review", True, 10, "Progress on the plan\nWhat needs to happen next"),
]


def add_types(apps, schema_editor):
    MeetingType = apps.get_model("conferences", "MeetingType")
    for name, family_invited, days, agenda in TYPES:
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
