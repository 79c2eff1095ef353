"""Keep the search keywords (theme and people names) in step with what an article links to."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from people.models import Organization, Person

from .models import Article, Theme, ThemedArticle


def refresh_search_keywords(article_ids):
    articles = Article.objects.filter(pk__in=set(article_ids)).prefetch_related(
        "themes", "people", "organizations"
    )
    for article in articles:
        keywords = article.keywords_for_search()
        if keywords != article.search_keywords:
            Article.objects.filter(pk=article.pk).update(search_keywords=keywords)


def refresh_after_commit(article_ids):
    ids = list(article_ids)
    if ids:
        transaction.on_commit(lambda: refresh_search_keywords(ids))


@receiver(post_save, sender=ThemedArticle)
@receiver(post_delete, sender=ThemedArticle)
def themed_article_changed(sender, instance, raw=False, **kwargs):
    refresh_after_commit([instance.content_object_id])


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
        refresh_after_commit(instance.articles.values_list("pk", flat=True))
