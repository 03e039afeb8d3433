# PortalAccess moves to circles (it is an input of the access policy). The table stays where it is
# ("portal_portalaccess"): portal forgets the model here, circles.0003 takes it over. No SQL runs.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PortalAccess")],
            database_operations=[],
        ),
    ]
