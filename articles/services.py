"""Writes to the content that touch several rows: merging themes.

Each function validates before it saves and runs in one transaction. Moving an article between
states (publishing, scheduling, unpublishing) is workflow.services.transition(): the workflow
knows the content, never the other way round.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from newsroom.invalidation import keys

from .invalidation import ARTICLES, SEARCH, THEMES, article_key
from .models import Theme, ThemedArticle
from .signals import refresh_after_commit


@transaction.atomic
def merge_themes(*, survivor: Theme, duplicates: Iterable[Theme]) -> int:
    """Re-tag every article of the duplicates with the survivor, then delete the duplicates.

    An article tagged with both keeps a single link to the survivor. Returns the number of
    articles that were re-tagged.
    """
    duplicate_ids = {theme.pk for theme in duplicates} - {survivor.pk}
    if not duplicate_ids:
        raise ValidationError(_("Choose at least one other theme to merge into the survivor."))
    if survivor.pk is None or not Theme.objects.filter(pk=survivor.pk).exists():
        raise ValidationError(_("The theme to keep no longer exists."))

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
    # update() sends no signal: the pages of the moved stories and the survivor's list go here
    # (the duplicates' own pages go with their deletion).
    moved = (article_key(pk) for pk in moved_links)
    keys.changed(*moved, keys.listing(Theme, survivor.pk), ARTICLES, THEMES, SEARCH)
    Theme.objects.filter(pk__in=duplicate_ids).delete()  # cascades to the remaining links
    refresh_after_commit(article_ids)
    return len(article_ids)
