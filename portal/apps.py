from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What clients and families see and do. Its pages arrive with the portal issue."""

    name = "portal"
