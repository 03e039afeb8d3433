from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and digests"

    def ready(self) -> None:
        from reminders import kinds  # noqa: F401 (the circle's own reminder kinds: actions, goals, consent…)
