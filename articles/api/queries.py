"""What the API reads: published content only, through the one definition of "published"
(Article.objects.published(), published_condition(), Correction.objects.published()), with every
relation a response shows fetched in one query each, whatever the page size."""

from django.db.models import Count, Prefetch, Q

from people.models import Organization, Person, Role

from ..models import Article, ArticleQuerySet, Correction, Quote


def articles(*, with_roles=False):
    """Published articles with their themes, mentions, quotes and published corrections: six
    queries for any number of them (seven `with_roles`, which ninjs reads)."""
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
    return Article.objects.published().select_related("lead_picture").prefetch_related(*lookups)


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
