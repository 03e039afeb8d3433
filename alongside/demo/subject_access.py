"""A demo subject access export: Ravi Patel (Northbridge Council Early Help's agency admin) has produced
Grace Okafor's, ready to download from "Subject access" in his menu (or from Grace's page, under "Audit
and subject access"). He can start another there and watch its progress bar; with `make run` a worker
(`manage.py db_worker`) puts it together.
"""

from circles.models import Client
from network.models import User
from subject_access import services


def load(people: dict[str, User]) -> None:
    grace = Client.objects.get(given_name="Grace", family_name="Okafor")
    export, new = services.export_start(actor=people["ravi"], client=grace)
    if new:
        # Built here rather than left to a worker, so the demo has a finished one from the start (the task
        # enqueued on commit then finds it done and does nothing).
        services.export_build(export.pk)
