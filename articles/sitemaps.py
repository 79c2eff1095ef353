"""Sitemaps for search engines: published articles, themes, people, organizations, and a Google
News sitemap of the last two days' articles. Addresses are built on settings.SITE_URL, not on
whichever host name a request came in with.

/sitemap.xml is a sitemap index: the protocol allows at most 50,000 addresses per file, and an
archive has more. It points at one file per section and page of PAGE_SIZE addresses
(/sitemap-articles.xml?p=2, ...), each rendered from one page of the section's query.

Every file it lists is valid against the sitemaps.org schema, which wants at least one <url> in a
<urlset>: a section with nothing in it is left out of the index (and is a 404); the News sitemap,
which robots.txt names whatever is in it, lists the front page when no story is recent.

A sitemap shows the latest change of thousands of things: cached, it is stale after any edit
(it shows keys.ALL).

Each edition has its own (/sitemap.xml, /ar/sitemap.xml: addresses are reversed in the request's
language), listing its own stories and themes; a page that exists in both editions (a story and
its published translation, a person, the front page) carries hreflang alternates for both, with
x-default on the English one.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Max, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from newsroom import editions
from newsroom.invalidation import keys
from newsroom.links import absolute
from newsroom.pagecache import changes_at
from newsroom.pagination import IndexedPaginator
from people.models import Organization, Person

from .models import Article, Correction, Theme

NEWS_WINDOW = timedelta(days=2)
PAGE_SIZE = 5000


class SiteURLSitemap(Sitemap):
    limit = PAGE_SIZE

    @property
    def paginator(self):
        # No empty first page: an empty <urlset> is invalid, so an empty section has no file.
        keys.shows(keys.ALL)
        return Paginator(self._items(), self.limit, allow_empty_first_page=False)

    def get_urls(self, page=1, site=None, protocol=None):
        address = urlsplit(settings.SITE_URL)
        urls = self._urls(page, address.scheme, address.netloc)
        self.add_alternates(urls)
        return urls

    def add_alternates(self, urls):
        """hreflang links for items both editions show at their own address (people,
        organizations, the listings): the same location reversed in each language."""
        if not self.in_both_editions:
            return
        for url in urls:
            locations = {}
            for code in editions.CODES:
                with editions.override(code):
                    locations[code] = absolute(self.location(url["item"]))
            url["alternates"] = alternates_of(locations)

    in_both_editions = False

    def get_latest_lastmod(self):
        """For the index: in one query, not by loading every item as Django's default does."""
        keys.shows(keys.ALL)
        return self.items().aggregate(latest=Max(self.lastmod_field))["latest"]


class ArticleSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.8
    lastmod_field = "updated_at"

    @property
    def paginator(self):
        # The last pages of 100,000 articles: ids from the index first (see IndexedPaginator).
        keys.shows(keys.ALL)
        return IndexedPaginator(self._items(), self.limit, allow_empty_first_page=False)

    def items(self):
        fields = ("slug", "updated_at", "language", "translation_of")
        return Article.objects.published().in_edition().newest_first().only(*fields)

    def lastmod(self, article):
        return article.updated_at

    def add_alternates(self, urls):
        """A story's published translation, for the page of stories in one query."""
        stories = [url["item"] for url in urls if url["item"] is not None]
        if not stories:
            return
        ids = [story.pk for story in stories]
        originals = [story.translation_of_id for story in stories if story.translation_of_id]
        others = (
            Article.objects.published()
            .filter(Q(translation_of__in=ids) | Q(pk__in=originals))
            .exclude(language=editions.current())
            .only("slug", "language", "translation_of")
        )
        counterpart = {}
        for other in others:
            counterpart[other.translation_of_id or other.pk] = other
        for url in urls:
            story = url["item"]
            if story is None:
                continue
            other = counterpart.get(story.pk) or counterpart.get(story.translation_of_id)
            if other is not None:
                url["alternates"] = alternates_of(
                    {
                        story.language: url["location"],
                        other.language: absolute(other.get_absolute_url()),
                    }
                )


class ThemeSitemap(SiteURLSitemap):
    """Only themes with published articles: an empty theme page would say nothing, and a theme
    whose only articles are drafts would hint at unpublished work."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        published = Article.objects.published().in_edition()
        return (
            Theme.objects.filter(language=editions.current())
            .annotate(
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

    def get_latest_lastmod(self):
        keys.shows(keys.ALL)
        return max((theme.latest for theme in self.items()), default=None)


class PersonSitemap(SiteURLSitemap):
    priority = 0.4
    in_both_editions = True
    lastmod_field = "updated_at"

    def items(self):
        return Person.objects.order_by("name").only("slug", "updated_at")

    def lastmod(self, person):
        return person.updated_at


class OrganizationSitemap(SiteURLSitemap):
    priority = 0.4
    in_both_editions = True
    lastmod_field = "updated_at"

    def items(self):
        return Organization.objects.order_by("name").only("slug", "updated_at")

    def lastmod(self, organization):
        return organization.updated_at


class PageSitemap(SiteURLSitemap):
    """The front page and the listings, where a crawler starts. Each page's lastmod is the latest
    change of what it lists (one query per kind of content, whatever the amount of it)."""

    changefreq = "daily"
    in_both_editions = True
    PAGES = {
        "articles:front_page": "articles",
        "articles:article_list": "articles",
        "articles:theme_list": "articles",
        "people:person_list": "people",
        "people:organization_list": "organizations",
        "workflow:corrections": "corrections",
    }

    def items(self):
        return list(self.PAGES)

    def location(self, name):
        return reverse(name)

    def priority(self, name):
        return 1.0 if name == "articles:front_page" else 0.6

    def lastmod(self, name):
        return self.latest_changes()[self.PAGES[name]]

    def latest_changes(self):
        if not hasattr(self, "_latest"):
            self._latest = {
                "articles": Article.objects.published()
                .in_edition()
                .aggregate(at=Max("updated_at"))["at"],
                "people": Person.objects.aggregate(at=Max("updated_at"))["at"],
                "organizations": Organization.objects.aggregate(at=Max("updated_at"))["at"],
                "corrections": Correction.objects.published()
                .filter(article__in=Article.objects.published().in_edition())
                .aggregate(at=Max("published_at"))["at"],
            }
        return self._latest

    def get_latest_lastmod(self):
        keys.shows(keys.ALL)
        return max((at for at in self.latest_changes().values() if at), default=None)


class NewsSitemap(ArticleSitemap):
    """Google News: articles published in the last two days, at most 1,000 (one file). With none,
    the front page alone, without news tags: the file stays valid and keeps its place."""

    limit = 1000

    def add_alternates(self, urls):
        """None: the News sitemap's entries are news tags, the article sitemap has the links."""

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        stories = Article.objects.published().in_edition().newest_first()
        return stories.filter(published_at__gte=since)

    def get_urls(self, page=1, site=None, protocol=None):
        try:
            urls = super().get_urls(page, site, protocol)
        except EmptyPage:
            if str(page) != "1":
                raise
        else:
            # The oldest story listed leaves the window with nobody saving anything.
            oldest = min(url["item"].published_at for url in urls)
            changes_at(oldest + NEWS_WINDOW)
            return urls
        front = absolute(reverse("articles:front_page"))
        return [{"item": None, "location": front, "lastmod": None, "alternates": []}]


def alternates_of(locations: dict) -> list[dict]:
    """Django's sitemap template's alternates (lang_code, location), x-default included."""
    return [
        {"lang_code": link["hreflang"], "location": link["url"]}
        for link in editions.hreflang_links(locations)
    ]


def sitemap_index(request):
    """/sitemap.xml: every section's pages, addressed on SITE_URL."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute(reverse("sitemap_section", kwargs={"section": section}))
        pages = sitemap.paginator.page_range
        lastmod = sitemap.get_latest_lastmod() if pages else None
        for page in pages:
            address = location if page == 1 else f"{location}?p={page}"
            entries.append(SitemapIndexItem(address, lastmod))
    # The News sitemap: one file, always there (see NewsSitemap).
    news = NEWS_SITEMAPS["news"]()
    entries.append(SitemapIndexItem(absolute(reverse("news_sitemap")), news.get_latest_lastmod()))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "themes": ThemeSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}
