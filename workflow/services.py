"""Workflow writes: moving an article between states, the audit trail, preview links, and
reverting an article to a saved version.

Each function validates before it saves and runs in one transaction, so the desk (or a script, or
the API) cannot half-do them. transition() is the one way a person moves an article between
states: it checks that they may (permissions.py), saves, keeps a revision and records who did it
and when. The desk's actions, scripts and tests all go through it: there is no second way to
publish.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import reversion
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.invalidation import ARTICLES, SEARCH, THEMES, lists_of
from articles.models import Article, Quote, Theme, ThemedArticle
from articles.signals import refresh_after_commit
from newsroom.invalidation import keys

from . import permissions
from .models import AuditEvent, PreviewLink

PREVIEW_SALT = "workflow.preview-link"
# However long an editor asks for, a link dies after this: the signature itself expires.
LONGEST_PREVIEW = timedelta(days=30)


def record(action, *, article, by, from_state="", to_state="", note="") -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        article=article,
        article_headline=(article.headline if article else "")[:255],
        actor=by if by is not None and by.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        note=note[:500],
    )


# Moving between states ---------------------------------------------------------------------

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
        raise ValidationError(_("Unknown state: %(state)s.") % {"state": repr(to)})
    if not permissions.can_move(by, article, to):
        now = permissions.state_of(None, article=article) if article.pk else permissions.DRAFT
        raise PermissionDenied(
            _("You may not move “%(story)s” from %(from)s to %(to)s.")
            % {
                "story": article.headline or article.pk,
                "from": gettext(permissions.STATE_LABELS[now]).lower(),
                "to": gettext(permissions.STATE_LABELS[to]).lower(),
            }
        )


def record_transition(*, article: Article, from_state: str, to_state: str, by) -> None:
    """Write the audit trail for a move already saved (the admin's change form saves it).

    Taking a story down also kills every preview link to it, at once: see end_preview_links()."""
    if from_state != to_state:
        record(
            ACTION_FOR_STATE[to_state],
            article=article,
            by=by,
            from_state=from_state,
            to_state=to_state,
        )
    if to_state == permissions.UNPUBLISHED and from_state != to_state:
        end_preview_links(article=article, by=by)


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
            raise ValidationError(_("Choose a publication time in the future to schedule it."))
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


# Preview links --------------------------------------------------------------------------------
# Atomic as a block, not by decorator: mutmut does not mutate decorated functions (make mutate).


def _signer():
    return signing.TimestampSigner(salt=PREVIEW_SALT)


def preview_token(link: PreviewLink) -> str:
    """The token in the link's address: the row's id, signed with the time of signing."""
    return _signer().sign(link.pk.hex)


def check_previewable(article: Article) -> None:
    """Raise ValidationError for a story no preview link may show: one taken down."""
    if article.status == Article.Status.UNPUBLISHED:
        raise ValidationError(
            _(
                "This story is unpublished (taken down), so no preview link can show it. Return it "
                "to draft first if it is being reworked."
            )
        )


def create_preview_link(
    *, article: Article, by, lifetime: timedelta, note: str = "", link: PreviewLink | None = None
) -> tuple[PreviewLink, str]:
    """Make a link to `article` that works for `lifetime`. Returns the link and its token.

    `link` is an unsaved PreviewLink to fill in (the admin's add form has one)."""
    with transaction.atomic():
        if not by.has_perm("workflow.add_previewlink"):
            raise PermissionDenied(_("Only editors can make preview links."))
        if not timedelta(minutes=5) <= lifetime <= LONGEST_PREVIEW:
            raise ValidationError(_("A preview link lasts between five minutes and thirty days."))
        check_previewable(article)
        link = link or PreviewLink()
        link.article, link.note, link.created_by = article, note, by
        link.expires_at = timezone.now() + lifetime
        link.save()
        record(AuditEvent.Action.PREVIEW_LINK, article=article, by=by, note=note)
        return link, preview_token(link)


def revoke_preview_links(*, links, by) -> int:
    with transaction.atomic():
        if not by.has_perm("workflow.change_previewlink"):
            raise PermissionDenied(_("Only editors can revoke preview links."))
        revoked = 0
        for link in links:
            if link.revoked_at is not None:
                continue
            link.revoked_at, link.revoked_by = timezone.now(), by
            link.save(update_fields=["revoked_at", "revoked_by"])
            record(AuditEvent.Action.PREVIEW_REVOKED, article=link.article, by=by, note=link.note)
            revoked += 1
        return revoked


def end_preview_links(*, article: Article, by) -> int:
    """Revoke every live preview link to `article`, on behalf of whoever took it down.

    Called when a story is unpublished, whatever path unpublished it (an action, the change form,
    a script through transition()). A takedown for legal or child-protection reasons must be
    complete: a link sent before publication must not keep showing the story after it. Each
    revoked link is on the audit trail, and stays revoked if the story is later republished: an
    editor makes a new link then, knowingly."""
    now = timezone.now()
    live = list(article.preview_links.filter(revoked_at__isnull=True, expires_at__gt=now))
    for link in live:
        link.revoked_at, link.revoked_by = (
            now,
            by if by is not None and by.is_authenticated else None,
        )
        link.save(update_fields=["revoked_at", "revoked_by"])
        record(
            AuditEvent.Action.PREVIEW_REVOKED,
            article=article,
            by=by,
            note=f"{link.note or 'preview link'} (the story was unpublished)",
        )
    return len(live)


def link_for_token(token: str) -> PreviewLink | None:
    """The live link a token names, or None if it is forged, expired or revoked, or its story is
    unpublished (taken down: no link shows it, whenever the link was made)."""
    try:
        raw = _signer().unsign(token, max_age=LONGEST_PREVIEW)
        link = PreviewLink.objects.select_related("article").get(pk=raw)
    except (signing.BadSignature, ValueError, ValidationError, PreviewLink.DoesNotExist):
        return None
    if not link.is_active or link.article.status == Article.Status.UNPUBLISHED:
        return None
    return link


# Revisions ------------------------------------------------------------------------------------


def _belongs_to(version, article_id: int) -> bool:
    """Whether a saved version is of this article itself, one of its quotes or one of its themes."""
    model = version._model
    if model is Article:
        return int(version.object_id) == article_id
    if model is Quote:
        return version.field_dict.get("article_id") == article_id
    if model is ThemedArticle:
        return version.field_dict.get("content_object_id") == article_id
    return False


@transaction.atomic
def revert_article(*, version, by) -> Article:
    """Bring back the article as it was in `version`: its words, themes, quotes and mentions.

    Its publication state stays as it is now (a revert is an edit, not a transition; reverting a
    live story to its first draft must not take it off the site). The revert is itself saved as a
    new version, and recorded in the audit trail.
    """
    article = Article.objects.get(pk=version.object_id)
    if not permissions.can_edit(by, article):
        raise PermissionDenied(_("You may not edit this article."))
    state = (article.status, article.published_at, article.created_by_id)
    # One revision can hold several articles (a bulk action saves them together): bring back this
    # article, its quotes and its themes only, never the others' state.
    versions = [v for v in version.revision.version_set.all() if _belongs_to(v, article.pk)]
    # The lists it is on now: links a revert drops go without a signal (the mentions' tables).
    lists_before = lists_of(article.pk)
    kept = {
        model: {int(v.object_id) for v in versions if v._model is model}
        for model in (Quote, ThemedArticle)
    }
    with reversion.create_revision():
        Quote.objects.filter(article=article).exclude(pk__in=kept[Quote]).delete()
        ThemedArticle.objects.filter(content_object=article).exclude(
            pk__in=kept[ThemedArticle]
        ).delete()
        # A link to a theme merged away since is not brought back: the merge moved it to the
        # surviving theme, which the story keeps.
        themes = set(Theme.objects.values_list("pk", flat=True))
        for item in sorted(versions, key=lambda v: v._model is not Article):
            if item._model is ThemedArticle and item.field_dict.get("tag_id") not in themes:
                continue
            item.revert()
        article.refresh_from_db()
        article.status, article.published_at, article.created_by_id = state
        article.last_edited_by = by
        article.save()
        reversion.set_user(by)
        when = timezone.localtime(version.revision.date_created)
        reversion.set_comment(f"Reverted to the version of {when:%d %b %Y %H:%M}")
    if article.status == Article.Status.PUBLISHED:
        keys.changed(*lists_before, *lists_of(article.pk), ARTICLES, THEMES, SEARCH)
    refresh_after_commit([article.pk])
    record(AuditEvent.Action.REVERTED, article=article, by=by, note=f"version {version.pk}")
    return article


@transaction.atomic
def revert_object(*, version, by):
    """Revert a person, organization or theme to a saved version (a new version itself)."""
    model = version.content_type.model_class()
    opts = model._meta
    if not by.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise PermissionDenied(_("You may not change this."))
    with reversion.create_revision():
        version.revision.revert(delete=True)
        obj = model.objects.get(pk=version.object_id)
        reversion.add_to_revision(obj)
        reversion.set_user(by)
        when = timezone.localtime(version.revision.date_created)
        reversion.set_comment(f"Reverted to the version of {when:%d %b %Y %H:%M}")
    return obj
