"""Sitemaps for search engines: published articles, themes, people, organizations, and a Google
News sitemap of the last two days' articles. Addresses are built on settings.SITE_URL, not on
whichever host name a request came in with."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from people.models import Organization, Person

from .models import Article, Theme

NEWS_WINDOW = timedelta(days=2)


class SiteURLSitemap(Sitemap):
    def get_urls(self, page=1, site=None, protocol=None):
        address = urlsplit(settings.SITE_URL)
        return self._urls(page, address.scheme, address.netloc)


class ArticleSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Article.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, article):
        return article.updated_at


class ThemeSitemap(SiteURLSitemap):
    """Only themes with published articles: an empty theme page would say nothing, and a theme
    whose only articles are drafts would hint at unpublished work."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        published = Article.objects.published()
        return (
            Theme.objects.annotate(
                latest=Max(
                    "themed_articles__content_object__updated_at",
                    filter=Q(themed_articles__content_object__in=published),
                )
            )
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, theme):
        return theme.latest


class PersonSitemap(SiteURLSitemap):
    priority = 0.4

    def items(self):
        return Person.objects.order_by("name").only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


class OrganizationSitemap(SiteURLSitemap):
    priority = 0.4

    def items(self):
        return Organization.objects.order_by("name").only("slug", "updated_at")

    def lastmod(self, organization):
        return organization.updated_at


class NewsSitemap(ArticleSitemap):
    """Google News: articles published in the last two days, at most 1,000."""

    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.published().newest_first().filter(published_at__gte=since)


SITEMAPS = {
    "articles": ArticleSitemap,
    "themes": ThemeSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}
