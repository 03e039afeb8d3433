from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ChangesConfig(AppConfig):
    name = "changes"

    def ready(self) -> None:
        from audit import services as audit_services
        from changes import directory  # noqa: F401 (the directory's changes: network cannot import us)
        from changes.catalogue import catalogue
        from realtime import publish

        autodiscover_modules("changes")  # each app's changes.py declares its own
        # audit and realtime sit below the catalogue, so it tells them what a real name is.
        audit_services.check_actions_with(catalogue.check_audited)
        publish.check_events_with(catalogue.check_published)
