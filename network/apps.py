from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Directory: organisations and people"


class AdminConfig(admin_apps.AdminConfig):
    """The Django admin, signing in through django-allauth (network/admin_site.py)."""

    default = False  # "network" alone in INSTALLED_APPS still means NetworkConfig
    default_site = "network.admin_site.AdminSite"
