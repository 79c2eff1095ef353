"""What the API reads: published content only, through the one definition of "published"
(Article.objects.published(), published_condition(), Correction.objects.published()), with every
relation a response shows fetched in one query each, whatever the page size."""

from django.db.models import Count, F, FilteredRelation, Prefetch, Q
from django.db.models.functions import Coalesce

from people.models import Organization, Person, Role

from ..models import Article, ArticleQuerySet, Correction, Quote

# What the API says of an article's translation (or original): enough to name and link it.
TRANSLATION_FIELDS = ("uid", "slug", "language", "headline")


def articles(*, with_roles=False):
    """Published articles with their themes, mentions, quotes, published corrections and
    translation: six queries for any number of them (seven `with_roles`, which ninjs reads)."""
    quotes = Quote.objects.select_related("person").order_by("order", "pk")
    corrections = Correction.objects.published().order_by("published_at", "pk")
    lookups = [
        "themes",
        Prefetch("people", queryset=Person.objects.order_by("name")),
        Prefetch("organizations", queryset=Organization.objects.order_by("name")),
        Prefetch("quotes", queryset=quotes),
        Prefetch("corrections", queryset=corrections),
    ]
    if with_roles:
        roles = Role.objects.select_related("organization").order_by("order", "pk")
        lookups.append(Prefetch("people__roles", queryset=roles))
    # The lead picture by a join: its renditions are named from the row, with no query.
    published = Article.objects.published().select_related("lead_picture")
    return with_translation(published).prefetch_related(*lookups)


def with_translation(queryset):
    """Each article's published counterpart in the other edition, by two joins rather than a
    query more: its original when it is a translation, else its translation (an article is one
    or the other, and has at most one translation per language). Read it with translation()."""
    live = ArticleQuerySet.published_condition
    queryset = queryset.annotate(
        live_original=FilteredRelation(
            "translation_of",
            condition=live("translation_of__") & ~Q(translation_of__language=F("language")),
        ),
        live_translation=FilteredRelation(
            "translations",
            condition=live("translations__") & ~Q(translations__language=F("language")),
        ),
    )
    return queryset.annotate(
        **{
            f"translation_{name}": Coalesce(f"live_original__{name}", f"live_translation__{name}")
            for name in TRANSLATION_FIELDS
        }
    )


def translation(article) -> Article | None:
    """The counterpart with_translation() found, as an unsaved Article (for its address), or
    None: none published, or an article read without with_translation()."""
    if getattr(article, "translation_uid", None) is None:
        return None
    return Article(**{name: getattr(article, f"translation_{name}") for name in TRANSLATION_FIELDS})


def published_mentions():
    """How many published articles mention a person or an organization (drafts never count)."""
    return Count(
        "articles", filter=Q(ArticleQuerySet.published_condition("articles__")), distinct=True
    )


def people():
    roles = Role.objects.select_related("organization").order_by("order", "pk")
    return Person.objects.annotate(article_count=published_mentions()).prefetch_related(
        Prefetch("roles", queryset=roles)
    )


def organizations():
    return Organization.objects.select_related("parent").annotate(
        article_count=published_mentions()
    )


def corrections():
    """Published corrections of published articles, newest first."""
    return (
        Correction.objects.published()
        .filter(ArticleQuerySet.published_condition("article__"))
        .select_related("article")
    )
