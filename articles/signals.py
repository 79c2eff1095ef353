"""Keep the search keywords (theme names, people and organizations mentioned or quoted, quotes'
words) in step with what an article links to, and the WebSub hub told when a story is published.
(What an edit makes stale in the page cache: articles/invalidation.py.)"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from newsroom import websub
from newsroom.invalidation import keys
from people.models import Organization, Person

from .feeds import feed_urls_for
from .invalidation import SEARCH
from .models import Article, Correction, Quote, Theme, ThemedArticle
from .sanitize import html_to_text, sanitize_html


def refresh_search_keywords(article_ids):
    articles = Article.objects.filter(pk__in=set(article_ids)).prefetch_related(
        "themes", "people", "organizations", "quotes__person"
    )
    changed = False
    for article in articles:
        keywords = article.keywords_for_search()
        if keywords != article.search_keywords:
            Article.objects.filter(pk=article.pk).update(search_keywords=keywords)
            changed = True
    if changed:
        # Search results cached between the edit and this refresh hold the old names.
        keys.changed(SEARCH)


def refresh_after_commit(article_ids):
    ids = list(article_ids)
    if ids:
        transaction.on_commit(lambda: refresh_search_keywords(ids))


@receiver(post_save, sender=ThemedArticle)
@receiver(post_delete, sender=ThemedArticle)
def themed_article_changed(sender, instance, raw=False, **kwargs):
    refresh_after_commit([instance.content_object_id])


@receiver(post_save, sender=Quote)
@receiver(post_delete, sender=Quote)
def quote_changed(sender, instance, raw=False, **kwargs):
    # Loaded fixtures too (raw): their stored keywords may predate the quotes' words.
    refresh_after_commit([instance.article_id])


@receiver(m2m_changed, sender=Article.people.through)
@receiver(m2m_changed, sender=Article.organizations.through)
def mentions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        refresh_after_commit([instance.pk])
    elif pk_set:
        refresh_after_commit(pk_set)
    else:
        refresh_after_commit(instance.articles.values_list("pk", flat=True))


@receiver(post_save, sender=Theme)
def theme_renamed(sender, instance, created, raw=False, **kwargs):
    if not created:
        refresh_after_commit(instance.themed_articles.values_list("content_object_id", flat=True))


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Organization)
def name_changed(sender, instance, created, raw=False, **kwargs):
    if not created:
        ids = set(instance.articles.values_list("pk", flat=True))
        if sender is Person:  # quoted, and perhaps not listed among the people mentioned
            ids.update(instance.quotes.values_list("article_id", flat=True))
        refresh_after_commit(ids)


@receiver(pre_delete, sender=Person)
@receiver(pre_delete, sender=Organization)
def name_deleted(sender, instance, **kwargs):
    """Their stories' keywords lose the name: the links go without a signal, so they are noted
    now and refreshed once the deletion is committed."""
    ids = set(instance.articles.values_list("pk", flat=True))
    if sender is Person:
        ids.update(instance.quotes.values_list("article_id", flat=True))
    refresh_after_commit(ids)


@receiver(post_save, sender=Article)
def announce_published_story(sender, instance, raw=False, **kwargs):
    """Ping the WebSub hub (newsroom/websub.py) about the feeds a published story is in, once the
    save is committed: not for drafts, not for a rolled-back save, not for fixture loads. The
    feeds are listed at commit time, when the themes saved after the article are in place."""
    if raw or not instance.is_published or not websub.hub_url():
        return
    article = instance
    transaction.on_commit(lambda: websub.publish(feed_urls_for(article)), robust=True)


@receiver(pre_save, sender=Article)
def sanitize_body(sender, instance, **kwargs):
    """Cut the body down to the allow-list on every write: the admin, code, and loaddata's raw
    saves, which skip Article.save(). Its plain text, for search and summaries, follows it."""
    instance.body = sanitize_html(instance.body)
    instance.body_text = html_to_text(instance.body)


def next_scheduled_moment():
    """When the next scheduled article or correction appears (one query): the page cache keeps
    no page past it (registered with newsroom.pagecache in apps.py)."""
    moments = (
        Article.objects.upcoming()
        .order_by()
        .values_list("published_at", flat=True)
        .union(Correction.objects.upcoming().order_by().values_list("published_at", flat=True))
        .order_by("published_at")
    )
    return moments.first()
