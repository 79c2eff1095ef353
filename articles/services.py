"""Writes that touch several rows or models: publishing, unpublishing, merging themes.

Each function takes keyword arguments only, validates before it saves, and runs in one transaction,
so the admin (or a script, or a future API) cannot half-do them. Reads live in querysets.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article, Theme, ThemedArticle
from .signals import refresh_after_commit


@dataclass
class PublishResult:
    published: list[Article] = field(default_factory=list)
    already_published: list[Article] = field(default_factory=list)
    # Each refused article with the reasons an editor can act on, e.g. "A published article
    # needs a body."
    refused: list[tuple[Article, list[str]]] = field(default_factory=list)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


@transaction.atomic
def publish_articles(
    *, articles: Iterable[Article], user=None, now: datetime | None = None
) -> PublishResult:
    """Publish each article that passes validation; refuse (and leave untouched) those that don't.

    An empty publication time becomes now; a time already set is kept, so a future time still
    schedules the article rather than putting it live at once.
    """
    now = now or timezone.now()
    result = PublishResult()
    for article in articles:
        if article.status == Article.Status.PUBLISHED:
            result.already_published.append(article)
            continue
        original = (article.status, article.published_at)
        article.status = Article.Status.PUBLISHED
        if article.published_at is None:
            article.published_at = now
        try:
            article.full_clean()
        except ValidationError as error:
            article.status, article.published_at = original
            result.refused.append((article, _messages(error)))
            continue
        article.last_edited_by = user
        article.save(update_fields=["status", "published_at", "last_edited_by", "updated_at"])
        result.published.append(article)
    return result


@transaction.atomic
def unpublish_articles(*, articles: Iterable[Article], user=None) -> list[Article]:
    """Take published (or scheduled) articles off the site. Their publication time is kept, so
    publishing again restores the original date. Returns the articles that changed."""
    changed = []
    for article in articles:
        if article.status != Article.Status.PUBLISHED:
            continue
        article.status = Article.Status.UNPUBLISHED
        article.last_edited_by = user
        article.save(update_fields=["status", "last_edited_by", "updated_at"])
        changed.append(article)
    return changed


@transaction.atomic
def merge_themes(*, survivor: Theme, duplicates: Iterable[Theme]) -> int:
    """Re-tag every article of the duplicates with the survivor, then delete the duplicates.

    An article tagged with both keeps a single link to the survivor. Returns the number of
    articles that were re-tagged.
    """
    duplicate_ids = {theme.pk for theme in duplicates} - {survivor.pk}
    if not duplicate_ids:
        raise ValidationError("Choose at least one other theme to merge into the survivor.")
    if survivor.pk is None or not Theme.objects.filter(pk=survivor.pk).exists():
        raise ValidationError("The theme to keep no longer exists.")

    # Lock the rows being rewritten so a concurrent edit cannot add a link to a dying theme.
    links = list(
        ThemedArticle.objects.select_for_update()
        .filter(tag_id__in=duplicate_ids)
        .order_by("pk")
        .values_list("pk", "content_object_id")
    )
    article_ids = {article_id for _, article_id in links}
    already_tagged = set(
        ThemedArticle.objects.filter(tag=survivor, content_object_id__in=article_ids).values_list(
            "content_object_id", flat=True
        )
    )
    # One link per article moves to the survivor; every other link to a duplicate goes with the
    # duplicate, so no article ends up with the same theme twice.
    moved_links = {}
    for link_id, article_id in links:
        if article_id not in already_tagged:
            moved_links.setdefault(article_id, link_id)
    ThemedArticle.objects.filter(pk__in=moved_links.values()).update(tag=survivor)
    Theme.objects.filter(pk__in=duplicate_ids).delete()  # cascades to the remaining links
    refresh_after_commit(article_ids)
    return len(article_ids)
