# PortalAccess, made by portal.0001 in table "portal_portalaccess", becomes circles' model (it is an input
# of the access policy). State only: the table, its rows and its constraint stay as they are.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("circles", "0002_initial"),
        ("portal", "0002_portalaccess_to_circles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PortalAccess",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("since", models.DateTimeField(default=django.utils.timezone.now)),
                        ("until", models.DateTimeField(blank=True, null=True)),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="portal_accesses",
                                to="circles.client",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="circles.circlemember",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="portal_accesses",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portal_portalaccess",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("until", None)),
                                fields=("user", "client"),
                                name="one_current_portal_access",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
