from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from newsroom import pagecache
        from newsroom.text import connect_text_cleaning

        from . import invalidation, searchindex, signals

        pagecache.register_schedule(signals.next_scheduled_moment)
        invalidation.start_tracking()
        post_migrate.connect(searchindex.ensure_sqlite_triggers, sender=self)
        connect_text_cleaning(self)
