"""Themes: the subjects the newsroom covers, as django-taggit tags of its own (a description, an
IPTC code, an edition), and the through model that links them to articles."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import ItemBase, TagBase

from newsroom import editions
from newsroom.text import clean_text
from people.models import SlugManager

SLUG_LENGTH = 100  # taggit's TagBase.slug


class Theme(TagBase):
    """A subject the newsroom covers, as a django-taggit tag with room for a description."""

    description = models.TextField(
        blank=True, help_text=_("One or two sentences shown on its page.")
    )
    language = models.CharField(
        max_length=8,
        choices=editions.LANGUAGES,
        default=editions.ENGLISH,
        help_text=_(
            "The edition it belongs to: its name and description are in this language, and "
            "it lists that edition's stories. A new theme with an Arabic name is Arabic."
        ),
    )
    iptc_code = models.CharField(
        _("IPTC Media Topic"),
        max_length=20,
        blank=True,
        help_text=_('The nearest IPTC Media Topic code, e.g. "medtop:20001283". Optional.'),
    )

    natural_key_fields = ["slug"]
    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="theme_name_case_insensitive_unique"),
            models.CheckConstraint(condition=~models.Q(slug=""), name="theme_slug_not_empty"),
        ]

    def natural_key(self):
        return (self.slug,)

    def slugify(self, tag, i=None):
        # A name with no letters or digits ("!!!") still needs an address.
        slug = super().slugify(tag)
        if not slug:
            digest = hashlib.md5(clean_text(tag).encode(), usedforsecurity=False).hexdigest()
            slug = f"theme-{digest[:8]}"
        if i is None:
            return slug[:SLUG_LENGTH]
        suffix = f"-{i}"
        return slug[: SLUG_LENGTH - len(suffix)] + suffix

    def get_absolute_url(self):
        with editions.override(self.language):
            return reverse("articles:theme_detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        # Themes typed into an article's form are made by taggit from their names alone.
        if self._state.adding and editions.is_arabic_script(self.name):
            self.language = editions.ARABIC
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        clash = Theme.objects.filter(name__iexact=self.name).exclude(pk=self.pk)
        if self.name and clash.exists():
            raise ValidationError(
                {"name": _('There is already a theme called "%(name)s".') % {"name": clash[0].name}}
            )


class ThemedArticleManager(models.Manager):
    def get_by_natural_key(self, article_slug, theme_slug):
        return self.get(content_object__slug=article_slug, tag__slug=theme_slug)


class ThemedArticle(ItemBase):
    """Taggit's through model, with real foreign keys and a natural key that survives a dump."""

    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="themed_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="themed_items"
    )

    objects = ThemedArticleManager()

    class Meta:
        verbose_name = _("article theme")
        # A theme's page reads its articles by theme; the unique constraint serves the other way.
        indexes = [models.Index(fields=["tag", "content_object"], name="themedarticle_tag_idx")]
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_theme"),
        ]

    def natural_key(self):
        return self.content_object.natural_key() + self.tag.natural_key()

    natural_key.dependencies = ["articles.article", "articles.theme"]
