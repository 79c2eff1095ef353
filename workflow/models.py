import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEvent(models.Model):
    """Who did what to which article, and when: one row per workflow step.

    Our own table rather than admin's LogEntry: LogEntry knows only "added", "changed" and
    "deleted", keeps the object as a text id (no join, so no "filter by article" without string
    matching), and is written only by the admin, while a transition may come from an action, a
    service or a command. This table is written by workflow/services.py alone.
    """

    class Action(models.TextChoices):
        # "created" is also a date's label elsewhere: here it is what someone did.
        CREATED = "created", pgettext_lazy("audit action", "created")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned to draft")
        PUBLISHED = "published", _("published")
        SCHEDULED = "scheduled", _("scheduled")
        UNPUBLISHED = "unpublished", _("unpublished")
        CORRECTED = "corrected", _("corrected")
        REVERTED = "reverted", _("reverted")
        PREVIEW_LINK = "preview_link", _("made a preview link")
        PREVIEW_REVOKED = "preview_revoked", _("revoked a preview link")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    # Kept so the trail still reads after the article is deleted or renamed.
    article_headline = models.CharField(max_length=255, blank=True)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        permissions = [
            ("submit_article", _("Can submit articles for review")),
            ("publish_article", _("Can publish, schedule, unpublish and return articles")),
        ]

    def __str__(self):
        who = self.actor or _("someone")
        return _("%(who)s %(action)s “%(headline)s”") % {
            "who": who,
            "action": self.get_action_display(),
            "headline": self.article_headline,
        }


class PreviewLink(models.Model):
    """A signed, expiring address showing one unpublished article to someone without an account.

    The link carries a signed copy of this row's id; the row says when it expires and whether it
    was revoked, so an editor can withdraw a link already sent.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="preview_links"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    note = models.CharField(
        max_length=255, blank=True, help_text=_("Who the link is for, e.g. “IOM press office”.")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")

    def __str__(self):
        return _("Preview of “%(article)s”: %(note)s") % {
            "article": self.article,
            "note": self.note or _("for a reader"),
        }

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
