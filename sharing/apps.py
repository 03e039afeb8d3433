from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Notes and plans"

    def ready(self) -> None:
        # Assessments list the goals and notes that refer to them; they sit below us, so we register.
        from assessments import references
        from sharing.selectors.references import referring_to_assessment

        references.register(referring_to_assessment)
