from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = "Case conferences"

    def ready(self) -> None:
        from conferences import reminder_kinds
        from reminders.registry import register

        # Meetings coming up, minutes to sign off: the daily scan asks these too.
        register(*reminder_kinds.KINDS)
