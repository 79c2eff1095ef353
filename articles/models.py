import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from newsroom import editions
from people.models import Organization, Person, SlugManager, Timestamped

from .editor import BODY_EDITOR_EXTENSIONS
from .sanitize import html_to_text, sanitize_html
from .text import byline_name, keywords, refuse_markup
from .themes import SLUG_LENGTH, Theme, ThemedArticle  # noqa: F401 - models of this app


class ArticleQuerySet(models.QuerySet):
    @staticmethod
    def published_condition(prefix=""):
        """The one definition of what readers may see. Every public page, feed and list uses it,
        through published() or, where the few hidden articles are cheaper to name, not_published().

        A publication time in the future means scheduled: it goes live by itself when the time
        comes, with no job to run.

        `prefix` applies the condition from a related model, e.g. "article__" from a Quote.
        """
        return models.Q(
            **{
                f"{prefix}status": Article.Status.PUBLISHED,
                f"{prefix}published_at__lte": timezone.now(),
            }
        )

    def published(self):
        return self.filter(self.published_condition())

    def not_published(self):
        """Drafts, articles in review or unpublished, scheduled ones: what published() is not."""
        return self.exclude(self.published_condition())

    def in_edition(self, language=None):
        """The articles of one edition (newsroom/editions.py): the request's, unless named."""
        return self.filter(language=language or editions.current())

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def upcoming(self):
        """Scheduled articles: the moments at which published_condition() changes its answer
        with nobody saving anything. Caches of public pages live no longer than the first."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())


class Article(Timestamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    # Its identity outside this database (feed ids, ninjs uri): kept by fixtures and dumps.
    uid = models.UUIDField(_("permanent id"), default=uuid.uuid4, unique=True, editable=False)
    headline = models.CharField(max_length=255, validators=[refuse_markup])
    slug = models.SlugField(
        max_length=255,
        unique=True,
        allow_unicode=True,
        help_text=_(
            "Part of the page address; filled in from the headline (Arabic letters are "
            "kept). Avoid changing it once published: links to the old address will break."
        ),
    )
    language = models.CharField(
        max_length=8,
        choices=editions.LANGUAGES,
        default=editions.ENGLISH,
        help_text=_("The edition it appears in: English at /, Arabic at /ar/."),
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name=_("translation of"),
        help_text=_(
            "The original, when this story is its translation into the other edition's "
            "language. Both pages then link to each other."
        ),
    )
    standfirst = models.CharField(
        max_length=600,
        blank=True,
        validators=[refuse_markup],
        help_text=_(
            "One or two sentences under the headline: what happened and why it matters. "
            "Also used as the summary in search results, feeds and shared links."
        ),
    )
    social_headline = models.CharField(
        max_length=110,
        blank=True,
        validators=[refuse_markup],
        help_text=_(
            "Optional: the headline for shared links and search engines, when the page's "
            "own is too long for them. Empty uses the headline."
        ),
    )
    social_description = models.CharField(
        max_length=300,
        blank=True,
        validators=[refuse_markup],
        help_text=_("Optional: the line under a shared link. Empty uses the standfirst."),
    )
    body = ProseEditorField(
        config={"extensions": BODY_EDITOR_EXTENSIONS}, sanitize=sanitize_html, blank=True
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text=_('Where the story was reported from, e.g. "CAIRO".')
    )
    byline = models.CharField(
        max_length=255, blank=True, help_text=_("Who wrote it, as printed. Empty for agency copy.")
    )
    source = models.CharField(
        _("source or credit"),
        max_length=255,
        blank=True,
        help_text=_(
            'Where the story or its facts come from, e.g. "SEE News, citing a statement by '
            'IOM Egypt".'
        ),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "When readers can see it. A time in the future schedules it: it goes live by "
            "itself then. Empty when publishing means now."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    themes = TaggableManager(
        _("themes"),
        through=ThemedArticle,
        blank=True,
        help_text=_("The subjects this story belongs to."),
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="articles",
        verbose_name=_("people mentioned"),
        help_text=_("Everyone the story names, quoted or not."),
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="articles",
        verbose_name=_("organizations mentioned"),
    )
    lead_picture = models.ForeignKey(
        "articles.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        verbose_name=_("lead image"),
        help_text=_(
            "Shown at the top of the story and when it is shared. Pick one from the "
            "library, or upload a new one with +."
        ),
    )
    lead_image_caption = models.CharField(
        _("lead image caption"),
        max_length=500,
        blank=True,
        help_text=_("What is happening in the picture, in a sentence. Empty uses the library's."),
    )

    # Derived on save, never edited: the plain text that search indexes and summaries use.
    body_text = models.TextField(editable=False, blank=True, default="")
    search_keywords = models.TextField(
        editable=False, blank=True, default="", help_text=_("Theme and people names, for search.")
    )
    # PostgreSQL only (kept in step by a trigger, see migrations); an unused column on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SlugManager.from_queryset(ArticleQuerySet)()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_published_idx"),
            # What published_condition() reads, by id: theme, person and organization lists check
            # their articles here instead of reading each (long) article row. The desk's list and
            # search, every state together, newest first: the next.
            models.Index(fields=["id", "status", "published_at"], name="article_visibility_idx"),
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
            # Each edition's lists: published, newest first, in one language.
            models.Index(
                fields=["language", "status", "-published_at", "-id"], name="article_edition_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="article_slug_not_empty"),
            # One translation of a story per language; with two editions, one in all.
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="one_translation_per_language"
            ),
        ]

    def __str__(self):
        return self.headline

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        with editions.override(self.language):
            return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @property
    def edition_themes(self) -> list:
        """Its themes of its own edition (from the prefetched themes): a theme of the other
        edition, tagged by mistake, would link to a page that edition does not have."""
        return [theme for theme in self.themes.all() if theme.language == self.language]

    def translation_ids(self):
        """The other articles that tell this story in another language: its original and the
        original's other translations, or its own translations."""
        if self.translation_of_id:
            return models.Q(pk=self.translation_of_id) | models.Q(
                translation_of=self.translation_of_id
            ) & ~models.Q(pk=self.pk)
        return models.Q(translation_of=self.pk) if self.pk else models.Q(pk__in=[])

    @property
    def is_published(self):
        return self._goes_live is not None and self._goes_live <= timezone.now()

    @property
    def is_scheduled(self):
        return self._goes_live is not None and self._goes_live > timezone.now()

    _goes_live = property(lambda self: self.published_at if self.status == "published" else None)

    byline_name = property(lambda self: byline_name(self.byline), doc="As printed after 'By'.")

    @property
    def body_html(self):
        """The body for templates, sanitized with the allow-list on save (see save()), with its
        library pictures expanded (articles/bodyimages.py)."""
        from .bodyimages import render_body

        return render_body(self.body)

    def clean(self):
        super().clean()
        if self.status == self.Status.PUBLISHED:
            missing = {}
            if not self.headline.strip():
                missing["headline"] = _("A published article needs a headline.")
            if not html_to_text(sanitize_html(self.body)):
                missing["body"] = _("A published article needs a body.")
            if missing:
                raise ValidationError(missing)
        self.check_translation()

    def check_translation(self):
        """A translation links two languages, and one original: never a chain or a loop."""
        original = self.translation_of
        if original is None:
            if self.pk and self.translations.filter(language=self.language).exists():
                raise ValidationError(
                    {"language": _("A translation of this story is in that language already.")}
                )
            return
        problem = None
        if original.pk == self.pk:
            problem = _("A story cannot be a translation of itself.")
        elif original.language == self.language:
            problem = _("A translation must be in the other language than its original.")
        elif original.translation_of_id:
            problem = _("That story is itself a translation: link to its original instead.")
        elif self.pk and self.translations.exists():
            problem = _("This story has translations of its own, so it is an original.")
        if problem:
            raise ValidationError({"translation_of": problem})

    def save(self, *args, **kwargs):
        # The body is sanitized just before every write, raw fixture loads included: see
        # articles/signals.py (sanitize_body), which runs inside super().save().
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_text"}
        super().save(*args, **kwargs)

    def keywords_for_search(self):
        """Theme names, people and organizations mentioned or quoted, and the quotes' words."""
        quotes = list(self.quotes.all())
        return keywords(
            themes=[theme.name for theme in self.themes.all()],
            people=[(p.name, p.also_known_as) for p in self.people.all()]
            + [(q.person.name, q.person.also_known_as) for q in quotes],
            organizations=[(org.name, org.short_name) for org in self.organizations.all()],
            quotes=[(quote.text, quote.capacity) for quote in quotes],
        )


from .apikeys import APIKey  # noqa: E402,F401 - the content API keys, a model of this app
from .corrections import Correction  # noqa: E402,F401 - public notes on articles, a model of this app
from .images import Image  # noqa: E402,F401 - the picture library, a model of this app
from .quotes import Quote  # noqa: E402,F401 - what people said, a model of this app
