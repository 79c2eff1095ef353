from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DeskConfig(AppConfig):
    """The editors' workspace: admin screens, dashboard, editing sessions and autosave."""

    default = True
    name = "desk"
    verbose_name = "Desk"


class DeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the desk's site (desk/sites.py) as `admin.site`. Listed in
    INSTALLED_APPS in place of django.contrib.admin; autodiscovery then finds desk.admin."""

    default = False  # `desk` alone means DeskConfig
    default_site = "desk.sites.DeskSite"
