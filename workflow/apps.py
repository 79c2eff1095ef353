from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Newsroom workflow")

    def ready(self):
        from . import revisions, roles

        revisions.register_models()
        # The roles migration creates the groups; this keeps them in step after every migrate
        # (and after a test database flush), so a permission added later reaches the groups.
        post_migrate.connect(roles.sync_after_migrate, sender=self)
