"""Workflow writes: the audit trail, preview links, and reverting an article to a saved version.

Moving an article between states is articles.services.transition(), which calls record() here.
"""

from datetime import timedelta

import reversion
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Quote, ThemedArticle

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


# Preview links --------------------------------------------------------------------------------


def _signer():
    return signing.TimestampSigner(salt=PREVIEW_SALT)


def preview_token(link: PreviewLink) -> str:
    """The token in the link's address: the row's id, signed with the time of signing."""
    return _signer().sign(link.pk.hex)


@transaction.atomic
def create_preview_link(
    *, article: Article, by, lifetime: timedelta, note: str = "", link: PreviewLink | None = None
) -> tuple[PreviewLink, str]:
    """Make a link to `article` that works for `lifetime`. Returns the link and its token.

    `link` is an unsaved PreviewLink to fill in (the admin's add form has one)."""
    if not by.has_perm("workflow.add_previewlink"):
        raise PermissionDenied("Only editors can make preview links.")
    if not timedelta(minutes=5) <= lifetime <= LONGEST_PREVIEW:
        raise ValidationError("A preview link lasts between five minutes and thirty days.")
    link = link or PreviewLink()
    link.article, link.note, link.created_by = article, note, by
    link.expires_at = timezone.now() + lifetime
    link.save()
    record(AuditEvent.Action.PREVIEW_LINK, article=article, by=by, note=note)
    return link, preview_token(link)


@transaction.atomic
def revoke_preview_links(*, links, by) -> int:
    if not by.has_perm("workflow.change_previewlink"):
        raise PermissionDenied("Only editors can revoke preview links.")
    revoked = 0
    for link in links:
        if link.revoked_at is not None:
            continue
        link.revoked_at, link.revoked_by = timezone.now(), by
        link.save(update_fields=["revoked_at", "revoked_by"])
        record(AuditEvent.Action.PREVIEW_REVOKED, article=link.article, by=by, note=link.note)
        revoked += 1
    return revoked


def link_for_token(token: str) -> PreviewLink | None:
    """The live link a token names, or None if it is forged, expired or revoked."""
    try:
        raw = _signer().unsign(token, max_age=LONGEST_PREVIEW)
        link = PreviewLink.objects.select_related("article").get(pk=raw)
    except (signing.BadSignature, ValueError, ValidationError, PreviewLink.DoesNotExist):
        return None
    return link if link.is_active else None


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
        raise PermissionDenied("You may not edit this article.")
    state = (article.status, article.published_at, article.created_by_id)
    # One revision can hold several articles (a bulk action saves them together): bring back this
    # article, its quotes and its themes only, never the others' state.
    versions = [v for v in version.revision.version_set.all() if _belongs_to(v, article.pk)]
    kept = {
        model: {int(v.object_id) for v in versions if v._model is model}
        for model in (Quote, ThemedArticle)
    }
    with reversion.create_revision():
        Quote.objects.filter(article=article).exclude(pk__in=kept[Quote]).delete()
        ThemedArticle.objects.filter(content_object=article).exclude(
            pk__in=kept[ThemedArticle]
        ).delete()
        for item in sorted(versions, key=lambda v: v._model is not Article):
            item.revert()
        article.refresh_from_db()
        article.status, article.published_at, article.created_by_id = state
        article.last_edited_by = by
        article.save()
        reversion.set_user(by)
        when = timezone.localtime(version.revision.date_created)
        reversion.set_comment(f"Reverted to the version of {when:%d %b %Y %H:%M}")
    from articles.signals import refresh_after_commit

    refresh_after_commit([article.pk])
    record(AuditEvent.Action.REVERTED, article=article, by=by, note=f"version {version.pk}")
    return article


@transaction.atomic
def revert_object(*, version, by):
    """Revert a person, organization or theme to a saved version (a new version itself)."""
    model = version.content_type.model_class()
    opts = model._meta
    if not by.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise PermissionDenied("You may not change this.")
    with reversion.create_revision():
        version.revision.revert(delete=True)
        obj = model.objects.get(pk=version.object_id)
        reversion.add_to_revision(obj)
        reversion.set_user(by)
        when = timezone.localtime(version.revision.date_created)
        reversion.set_comment(f"Reverted to the version of {when:%d %b %Y %H:%M}")
    return obj
