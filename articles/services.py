"""Writes that touch several rows or models: workflow transitions, publishing, unpublishing,
merging themes.

Each function validates before it saves and runs in one transaction, so the admin (or a script, or
a future API) cannot half-do them. Reads live in querysets. transition() is the one way a person
moves an article between states: it checks that they may (workflow/permissions.py), saves, keeps a
revision and records who did it and when. The admin's actions, scripts and
tests all go through it: there is no second way to publish.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from workflow import permissions
from workflow.models import AuditEvent
from workflow.services import record

from .models import Article, Theme, ThemedArticle
from .signals import refresh_after_commit

# The audit action each destination state means.
ACTION_FOR_STATE = {
    permissions.DRAFT: AuditEvent.Action.RETURNED,
    permissions.REVIEW: AuditEvent.Action.SUBMITTED,
    permissions.SCHEDULED: AuditEvent.Action.SCHEDULED,
    permissions.PUBLISHED: AuditEvent.Action.PUBLISHED,
    permissions.UNPUBLISHED: AuditEvent.Action.UNPUBLISHED,
}


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def check_transition(*, article: Article, to: str, by) -> None:
    """Raise PermissionDenied, with a reason an editor can read, unless `by` may make this move."""
    if to not in permissions.STATE_LABELS:
        raise ValidationError(f"Unknown state: {to!r}.")
    if not permissions.can_move(by, article, to):
        now = permissions.state_of(None, article=article) if article.pk else permissions.DRAFT
        raise PermissionDenied(
            f"You may not move “{article.headline or article.pk}” from "
            f"{permissions.STATE_LABELS[now].lower()} to {permissions.STATE_LABELS[to].lower()}."
        )


def record_transition(*, article: Article, from_state: str, to_state: str, by) -> None:
    """Write the audit trail for a move already saved (the admin's change form saves it)."""
    if from_state != to_state:
        record(
            ACTION_FOR_STATE[to_state],
            article=article,
            by=by,
            from_state=from_state,
            to_state=to_state,
        )


@transaction.atomic
def transition(article: Article, to: str, *, by, published_at: datetime | None = None) -> Article:
    """Move `article` to the workflow state `to` on behalf of `by`, or refuse.

    Raises PermissionDenied when the user's role may not make the move and ValidationError when
    the article is not ready for it (no body to publish, no future time to schedule). Publishing
    keeps an earlier publication time (publishing again restores the original date) and replaces
    a future one with now; scheduling needs a time in the future.
    """
    check_transition(article=article, to=to, by=by)
    from_state = permissions.state_of(None, article=article)
    if from_state == to:
        return article
    now = timezone.now()
    original = (article.status, article.published_at)
    if to == permissions.PUBLISHED:
        article.status = Article.Status.PUBLISHED
        if published_at is not None:
            article.published_at = min(published_at, now)
        elif article.published_at is None or article.published_at > now:
            article.published_at = now
    elif to == permissions.SCHEDULED:
        when = published_at or article.published_at
        if when is None or when <= now:
            raise ValidationError("Choose a publication time in the future to schedule it.")
        article.status, article.published_at = Article.Status.PUBLISHED, when
    else:
        article.status = to
    try:
        article.full_clean()
    except ValidationError:
        article.status, article.published_at = original
        raise
    article.last_edited_by = by
    with reversion.create_revision():
        article.save(update_fields=["status", "published_at", "last_edited_by", "updated_at"])
        reversion.set_user(by)
        reversion.set_comment(permissions.STATE_LABELS[to])
    record_transition(article=article, from_state=from_state, to_state=to, by=by)
    return article


@dataclass
class TransitionResult:
    moved: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    refused: list[tuple[Article, list[str]]] = field(default_factory=list)


def transition_each(*, articles: Iterable[Article], to: str | None = None, by) -> TransitionResult:
    """transition() for each article, each in its own transaction: one refusal stops no other.

    With `to` None, each article is published, or scheduled if it already has a future time.
    """
    result = TransitionResult()
    now = timezone.now()
    for article in articles:
        target = to
        if target is None:
            future = article.published_at is not None and article.published_at > now
            target = permissions.SCHEDULED if future else permissions.PUBLISHED
        before = permissions.state_of(None, article=article)
        if before == target:
            result.unchanged.append(article)
            continue
        try:
            transition(article, target, by=by)
        except PermissionDenied as error:
            result.refused.append((article, [str(error)]))
        except ValidationError as error:
            result.refused.append((article, _messages(error)))
        else:
            result.moved.append(article)
    return result


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
