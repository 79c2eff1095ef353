from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from . import search, signals  # noqa: F401

        post_migrate.connect(search.ensure_sqlite_triggers, sender=self)
