from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What clients and families see and do: their plan, their people, what is shared with them."""

    name = "portal"
    verbose_name = "Portal for clients and families"
