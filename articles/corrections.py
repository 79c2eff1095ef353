"""Corrections: dated, public notes on an article, listed on it and on /corrections/."""

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        """Dated now or earlier (on whatever article: the article's visibility is its own)."""
        return self.filter(published_at__lte=timezone.now())

    def upcoming(self):
        """Corrections dated in the future: each appears by itself when its time comes."""
        return self.filter(published_at__gt=timezone.now())


class Correction(models.Model):
    """A dated, public note on an article: what was wrong and what is right."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    published_at = models.DateTimeField(_("date"), default=timezone.now)
    wrong = models.TextField(_("what was wrong"), help_text=_("What the article said before."))
    right = models.TextField(_("what is right"), help_text=_("What it says now, and why."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        app_label = "articles"
        ordering = ["published_at", "pk"]

    def __str__(self):
        return _("Correction of %(date)s") % {
            "date": formats.date_format(timezone.localtime(self.published_at), "d M Y")
        }
