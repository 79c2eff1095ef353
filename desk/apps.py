from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The editors' workspace: admin screens, dashboard, editing sessions and autosave."""

    default = True
    name = "desk"
    verbose_name = _("Desk")

    def ready(self):
        from .labels import name_models_and_fields  # noqa: PLC0415 (the models are built now)

        name_models_and_fields()


class DeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the desk's site (desk/sites.py) as `admin.site`. Listed in
    INSTALLED_APPS in place of django.contrib.admin; autodiscovery then finds desk.admin."""

    default = False  # `desk` alone means DeskConfig
    default_site = "desk.sites.DeskSite"
