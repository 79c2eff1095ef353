"""Quotes: the exact words a person said, in a story, with the capacity they spoke in; or, marked
as such, a translation of words said in the other edition's language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom import editions
from people.models import Person

from .models import ArticleQuerySet


def capacity_in(role, language):
    """The capacity readers see when the desk names only the role: "Title, Organization" (as
    str(role) says it), in the story's language where the role has Arabic names."""
    with editions.override(language):
        comma = "، " if language == editions.ARABIC else ", "
        return f"{role.local_title}{comma}{role.organization.local_display_name}"


class QuoteQuerySet(models.QuerySet):
    def published(self):
        """Quotes in published articles, e.g. `person.quotes.published()`."""
        return self.filter(ArticleQuerySet.published_condition("article__"))

    def in_edition(self, language=None):
        """Quotes in the articles of one edition: the request's, unless named."""
        return self.filter(article__language=language or editions.current())


class QuoteManager(models.Manager.from_queryset(QuoteQuerySet)):
    def get_by_natural_key(self, article_slug, order):
        return self.get(article__slug=article_slug, order=order)


class Quote(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="quotes")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text=_("Who said it. Add them under People first if they are new."),
    )
    text = models.TextField(
        _("exact words"),
        help_text=_(
            "Only the words inside the quotation marks, exactly as said. No quotation marks."
        ),
    )
    capacity = models.CharField(
        max_length=255,
        blank=True,
        help_text=_('The capacity they spoke in, e.g. "Chief of Mission, IOM Egypt".'),
    )
    role = models.ForeignKey(
        "people.Role",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
        verbose_name=_("speaking as"),
        help_text=_(
            "The role they spoke in: its organization, and the organization's kind, count in "
            "the desk's insights. Leave it empty when they spoke for themselves."
        ),
    )
    order = models.PositiveSmallIntegerField(default=0, help_text=_("Position in the article."))
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name=_("translation of"),
        help_text=_(
            "When these words are a translation, the quote with the words as they were "
            "said. A translated quote is marked as one and links to the original."
        ),
    )

    objects = QuoteManager()

    class Meta:
        ordering = ["article", "order", "pk"]
        # A person's page lists what they said.
        indexes = [models.Index(fields=["person", "article"], name="quote_person_article_idx")]
        constraints = [
            models.UniqueConstraint(fields=["article", "order"], name="unique_quote_position"),
        ]

    def __str__(self):  # no quotation marks: the admin's messages put their own around it
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    # Kept by itself, not read from the link: translated words stay marked as such when their
    # original is deleted (the link is then cleared).
    is_translation = models.BooleanField(
        _("translated words"),
        default=False,
        help_text=_(
            "These words are a translation, not the words as they were said: they are shown "
            "without quotation marks, as a translation. Linking the original words sets it."
        ),
    )

    def save(self, *args, **kwargs):
        if self.translation_of_id:
            self.is_translation = True
        if self.role_id and not self.capacity.strip():
            language = getattr(self.article, "language", editions.ENGLISH)
            self.capacity = capacity_in(self.role, language)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.role_id and self.person_id and self.role.person_id != self.person_id:
            raise ValidationError(
                {"role": _("That role is someone else's: choose one of this person's roles.")}
            )
        original = self.translation_of
        if original is None:
            return
        if original.pk == self.pk or original.person_id != self.person_id:
            problem = _("The original words must be the same person's quote.")
        elif self.article_id and original.article.language == self.article.language:
            problem = _("The original words must be from a story in the other language.")
        elif original.translation_of_id:
            problem = _("Those words are a translation too: link to the original words.")
        else:
            return
        raise ValidationError({"translation_of": problem})

    def natural_key(self):
        return self.article.natural_key() + (self.order,)

    natural_key.dependencies = ["articles.article", "people.person"]
