"""The import runs in the background (Django's tasks framework; `manage.py db_worker` runs it)."""

from typing import Any

from importing import services
from reminders.background import task


@task()
def run_import(job_id: int) -> dict[str, Any]:
    return services.import_run(job_id=job_id)
