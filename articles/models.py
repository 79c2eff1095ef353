import hashlib
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from newsroom.text import clean_text
from people.models import Organization, Person, SlugManager, Timestamped

from .editor import BODY_EDITOR_EXTENSIONS
from .sanitize import html_to_text, sanitize_html
from .text import byline_name, keywords, refuse_markup

SLUG_LENGTH = 100  # taggit's TagBase.slug


class Theme(TagBase):
    """A subject the newsroom covers, as a django-taggit tag with room for a description."""

    description = models.TextField(blank=True, help_text="One or two sentences shown on its page.")
    iptc_code = models.CharField(
        "IPTC Media Topic",
        max_length=20,
        blank=True,
        help_text='The nearest IPTC Media Topic code, e.g. "medtop:20001283". Optional.',
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
        return reverse("articles:theme_detail", kwargs={"slug": self.slug})

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        clash = Theme.objects.filter(name__iexact=self.name).exclude(pk=self.pk)
        if self.name and clash.exists():
            raise ValidationError({"name": f'There is already a theme called "{clash[0].name}".'})


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
        verbose_name = "article theme"
        # A theme's page reads its articles by theme; the unique constraint serves the other way.
        indexes = [models.Index(fields=["tag", "content_object"], name="themedarticle_tag_idx")]
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_theme"),
        ]

    def natural_key(self):
        return self.content_object.natural_key() + self.tag.natural_key()

    natural_key.dependencies = ["articles.article", "articles.theme"]


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
        help_text="Part of the page address; filled in from the headline. Avoid changing it once "
        "published: links to the old address will break.",
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
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="article_slug_not_empty"),
        ]

    def __str__(self):
        return self.headline

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

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

    def natural_key(self):
        return self.article.natural_key() + (self.order,)

    natural_key.dependencies = ["articles.article", "people.person"]


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        """Dated now or earlier (on whatever article: the article's visibility is its own)."""
        return self.filter(published_at__lte=timezone.now())

    def upcoming(self):
        """Corrections dated in the future: each appears by itself when its time comes."""
        return self.filter(published_at__gt=timezone.now())


class Correction(models.Model):
    """A dated, public note on an article: what was wrong and what is right."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    published_at = models.DateTimeField("date", default=timezone.now)
    wrong = models.TextField("what was wrong", help_text="What the article said before.")
    right = models.TextField("what is right", help_text="What it says now, and why.")
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
        ordering = ["published_at", "pk"]

    def __str__(self):
        return f"Correction of {timezone.localtime(self.published_at):%d %b %Y}"


from .apikeys import APIKey  # noqa: E402,F401 - the content API keys, a model of this app
from .images import Image  # noqa: E402,F401 - the picture library, a model of this app
