from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Instruments and assessments"

    def ready(self) -> None:
        from assessments import reminder_kinds
        from reminders.registry import register

        # Reassessments due: the daily scan asks this too.
        register(*reminder_kinds.KINDS)
