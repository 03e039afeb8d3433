from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting: the managers' dashboard and partnerships"

    def ready(self) -> None:
        from reminders.clock import on_tick
        from reporting import changes  # noqa: F401 (registers the app's changes with the catalogue)
        from reporting.tasks import enqueue_refresh

        on_tick(enqueue_refresh)  # the dashboard's snapshots, refreshed on the reminders clock
