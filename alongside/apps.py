from django.apps import AppConfig


class AlongsideConfig(AppConfig):
    name = "alongside"
    verbose_name = "Project wiring: settings, URLs, ASGI, demo data"
