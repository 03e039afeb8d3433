from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting: the managers' dashboard and partnerships"

    def ready(self) -> None:
        from reporting import changes  # noqa: F401 (registers the app's changes with the catalogue)
