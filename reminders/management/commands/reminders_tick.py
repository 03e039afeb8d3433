from django.core.management.base import BaseCommand

from reminders.tasks import enqueue_due_work


class Command(BaseCommand):
    help = (
        "Enqueue the day's reminder scan and digests (if not done), any email waiting, and other apps' "
        "periodic work (the dashboard's snapshots). Run every 5 minutes."
    )

    def handle(self, *args: object, **options: object) -> None:
        for line in enqueue_due_work():
            self.stdout.write(f"enqueued {line}")
