"""The background task that puts a subject access export together (a `manage.py db_worker` runs it)."""

from reminders.background import task
from subject_access import services


@task()
def build_export(export_id: int) -> str:
    return services.export_build(export_id)
