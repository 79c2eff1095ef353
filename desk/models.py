"""Who has a story open in the desk (presence), and each editor's unsaved work on it (autosave).

Both live in the database, not in a process or a cache, so every app server behind the load
balancer answers the same: the ping that recorded an editor may land on one server and the page
that shows them on another.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def presence_timeout():
    """How long an editing session lasts without a ping from its form."""
    return timedelta(seconds=getattr(settings, "DESK_PRESENCE_TIMEOUT_SECONDS", 120))


class EditingSessionQuerySet(models.QuerySet):
    def live(self, now=None):
        """Sessions whose form has pinged within the timeout: the editor still has it open."""
        return self.filter(last_seen__gte=(now or timezone.now()) - presence_timeout())

    def expired(self, now=None):
        return self.filter(last_seen__lt=(now or timezone.now()) - presence_timeout())


class EditingSession(models.Model):
    """One editor with one article's change form open. Not a lock: anyone who may edit can
    still save (the conflict check protects the work); others are only told."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="editing_sessions"
    )
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_session_per_editor"),
        ]
        # The change form and the changelist ask "who else has these articles open now?".
        indexes = [models.Index(fields=["article", "last_seen"], name="session_article_seen_idx")]

    def __str__(self):
        return f"{self.user} on {self.article_id}"


class Autosave(models.Model):
    """What one editor had typed in one article's form, saved while they type and when they
    leave. Never the article itself: restoring it only fills the form, which they then save."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="autosaves"
    )
    data = models.JSONField(
        default=dict, help_text=_("The form as the browser would post it: field name -> values.")
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_autosave_per_editor"),
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id} at {self.saved_at:%Y-%m-%d %H:%M}"
