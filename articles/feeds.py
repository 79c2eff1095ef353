"""Atom feeds of published articles: the whole site, and one per theme."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from newsroom.links import absolute

from .models import Article, Theme, ThemedArticle

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def title(self):
        return f"{settings.SITE_NAME}: latest articles"

    def subtitle(self):
        return "Reporting on migration, trafficking and child protection."

    def link(self):
        return absolute(reverse("articles:front_page"))

    def feed_url(self):
        return absolute(reverse("articles:feed"))

    def feed_guid(self):
        return self.feed_url()

    def articles(self):
        return Article.objects.published().newest_first().prefetch_related("themes")

    def items(self):
        return self.articles()[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        # Stable even if the slug changes: a tag URI (RFC 4151) on the article's primary key.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},2025:article:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return item.byline_name or item.source or settings.SITE_NAME

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class ThemeFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        # Like the theme page: only a theme with published articles has a feed.
        has_published = ThemedArticle.objects.filter(
            Article.objects.published_condition(prefix="content_object__"), tag=OuterRef("pk")
        )
        return get_object_or_404(Theme.objects.filter(Exists(has_published)), slug=slug)

    def title(self, theme):
        return f"{settings.SITE_NAME}: {theme.name}"

    def subtitle(self, theme):
        return theme.description or f"Latest articles on {theme.name}."

    def link(self, theme):
        return absolute(theme.get_absolute_url())

    def feed_url(self, theme):
        return absolute(reverse("articles:theme_feed", kwargs={"slug": theme.slug}))

    def feed_guid(self, theme):
        return self.feed_url(theme)

    def items(self, theme):
        return self.articles().filter(themed_items__tag=theme)[:FEED_LENGTH]
