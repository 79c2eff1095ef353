import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
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
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    # Its identity outside this database (feed ids, ninjs uri): kept by fixtures and dumps.
    uid = models.UUIDField("permanent id", default=uuid.uuid4, unique=True, editable=False)
    headline = models.CharField(max_length=255, validators=[refuse_markup])
    slug = models.SlugField(
        max_length=255,
        unique=True,
        allow_unicode=True,
        help_text="Part of the page address; filled in from the headline (Arabic letters are "
        "kept). Avoid changing it once published: links to the old address will break.",
    )
    language = models.CharField(
        max_length=8,
        choices=editions.LANGUAGES,
        default=editions.ENGLISH,
        help_text="The edition it appears in: English at /, Arabic at /ar/.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name="translation of",
        help_text="The original, when this story is its translation into the other edition's "
        "language. Both pages then link to each other.",
    )
    standfirst = models.CharField(
        max_length=600,
        blank=True,
        validators=[refuse_markup],
        help_text="One or two sentences under the headline: what happened and why it matters. "
        "Also used as the summary in search results, feeds and shared links.",
    )
    social_headline = models.CharField(
        max_length=110,
        blank=True,
        validators=[refuse_markup],
        help_text="Optional: the headline for shared links and search engines, when the page's "
        "own is too long for them. Empty uses the headline.",
    )
    social_description = models.CharField(
        max_length=300,
        blank=True,
        validators=[refuse_markup],
        help_text="Optional: the line under a shared link. Empty uses the standfirst.",
    )
    body = ProseEditorField(
        config={"extensions": BODY_EDITOR_EXTENSIONS}, sanitize=sanitize_html, blank=True
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text='Where the story was reported from, e.g. "CAIRO".'
    )
    byline = models.CharField(
        max_length=255, blank=True, help_text="Who wrote it, as printed. Empty for agency copy."
    )
    source = models.CharField(
        "source or credit",
        max_length=255,
        blank=True,
        help_text='Where the story or its facts come from, e.g. "SEE News, citing a statement by '
        'IOM Egypt".',
    )
    source_url = models.URLField("source address", max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="When readers can see it. A time in the future schedules it: it goes live by "
        "itself then. Empty when publishing means now.",
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
        "themes", through=ThemedArticle, blank=True, help_text="The subjects this story belongs to."
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="articles",
        verbose_name="people mentioned",
        help_text="Everyone the story names, quoted or not.",
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="articles",
        verbose_name="organizations mentioned",
    )
    lead_picture = models.ForeignKey(
        "articles.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        verbose_name="lead image",
        help_text="Shown at the top of the story and when it is shared. Pick one from the "
        "library, or upload a new one with +.",
    )
    lead_image_caption = models.CharField(
        "lead image caption",
        max_length=500,
        blank=True,
        help_text="What is happening in the picture, in a sentence. Empty uses the library's.",
    )

    # Derived on save, never edited: the plain text that search indexes and summaries use.
    body_text = models.TextField(editable=False, blank=True, default="")
    search_keywords = models.TextField(
        editable=False, blank=True, default="", help_text="Theme and people names, for search."
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
                missing["headline"] = "A published article needs a headline."
            if not html_to_text(sanitize_html(self.body)):
                missing["body"] = "A published article needs a body."
            if missing:
                raise ValidationError(missing)
        self.check_translation()

    def check_translation(self):
        """A translation links two languages, and one original: never a chain or a loop."""
        original = self.translation_of
        if original is None:
            return
        problem = None
        if original.pk == self.pk:
            problem = "A story cannot be a translation of itself."
        elif original.language == self.language:
            problem = "A translation must be in the other language than its original."
        elif original.translation_of_id:
            problem = "That story is itself a translation: link to its original instead."
        elif self.pk and self.translations.exists():
            problem = "This story has translations of its own, so it is an original."
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
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said it. Add them under People first if they are new.",
    )
    text = models.TextField(
        "exact words",
        help_text="Only the words inside the quotation marks, exactly as said. No quotation marks.",
    )
    capacity = models.CharField(
        max_length=255,
        blank=True,
        help_text='The capacity they spoke in, e.g. "Chief of Mission, IOM Egypt".',
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the article.")
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        verbose_name="translation of",
        help_text="When these words are a translation, the quote with the words as they were "
        "said. A translated quote is marked as one and links to the original.",
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

    is_translation = property(lambda self: self.translation_of_id is not None)

    def clean(self):
        super().clean()
        original = self.translation_of
        if original is not None and (
            original.pk == self.pk or original.person_id != self.person_id
        ):
            raise ValidationError(
                {"translation_of": "The original words must be the same person's quote."}
            )

    def natural_key(self):
        return self.article.natural_key() + (self.order,)

    natural_key.dependencies = ["articles.article", "people.person"]


from .apikeys import APIKey  # noqa: E402,F401 - the content API keys, a model of this app
from .corrections import Correction  # noqa: E402,F401 - public notes on articles, a model of this app
from .images import Image  # noqa: E402,F401 - the picture library, a model of this app
