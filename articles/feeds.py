"""Atom feeds of published articles: the whole site, and one per theme.

What goes in each entry, and why:
- `id`: `urn:uuid:<Article.uid>`, the article's permanent id. It is not built on the host or the
  database id, so a new domain or a re-created database does not announce every story again.
- `summary`: the standfirst, which is plain text, escaped as HTML and then (by the XML writer)
  as XML, under `type="html"`. Django's writer escaped it for XML only, so a reader took "R&D",
  "a < b" or a pasted `<img onerror=...>` for markup. Not `type="text"`: text that looks like
  markup ("<b>") in a text summary is what the W3C validator warns about, as some readers render
  every summary as HTML; escaped HTML reads the same everywhere.
- `content`: the full body, `type="html"` (it is sanitized with the allow-list on save).
- The lead picture, when there is one, as Media RSS `media:content` (the 16:9 JPEG/PNG rendition
  of the share image, with its size and alt text as `media:description`): what feed readers show
  beside the entry. Not `link rel="enclosure"`, whose required length would mean reading the
  file's size from the disk for every entry.
- The feed links to a WebSub hub when WEBSUB_HUB_URL is set (newsroom/websub.py), and its
  `updated` comes from the data, never from the time of the request.
"""

from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from newsroom import editions, websub
from newsroom.invalidation import keys
from newsroom.links import absolute

from .bodyimages import expand_bodies
from .invalidation import ARTICLES
from .models import Article, Theme, ThemedArticle
from .renditions import SHARE_WIDTH, rendition
from .sharing import SHARE_RATIO

FEED_LENGTH = 30
# A feed with no entry yet is "updated" at a fixed moment: the year the site began.
FIRST_DAY = datetime(2025, 1, 1, tzinfo=UTC)
MEDIA_RSS = "http://search.yahoo.com/mrss/"


class AtomFeed(Atom1Feed):
    """Django's Atom 1.0 writer, with plain-text descriptions escaped as HTML, HTML `content`, a
    WebSub hub link, and an `updated` that an empty feed takes from `updated_when_empty()`
    (Django's would be the time of the request)."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", escape(item["description"]), {"type": "html"})
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        if item.get("picture"):
            picture = item["picture"]
            handler.startElement("media:content", picture["attributes"])
            handler.addQuickElement("media:description", picture["alt"], {"type": "plain"})
            handler.endElement("media:content")

    def latest_post_date(self):
        if self.items:
            return super().latest_post_date()
        when_empty = self.feed.get("updated_when_empty")
        return (when_empty() if when_empty else None) or FIRST_DAY


class SiteFeed(Feed):
    """What every feed of the site shares: the writer, the hub, ids that are not links."""

    feed_type = AtomFeed
    item_guid_is_permalink = False

    def feed_extra_kwargs(self, obj):
        # A function: only an empty feed needs it (it may cost a query).
        return {"hub": websub.hub_url(), "updated_when_empty": lambda: self.updated_when_empty(obj)}

    def updated_when_empty(self, obj):
        return FIRST_DAY

    def item_author_name(self, item):
        return editions.site_name()


class LatestArticlesFeed(SiteFeed):
    description_template = None

    def title(self):
        return _("%(site)s: latest articles") % {"site": editions.site_name()}

    def subtitle(self):
        return _("Reporting on migration, trafficking and child protection.")

    def link(self):
        return absolute(reverse("articles:front_page"))

    def feed_url(self):
        return absolute(reverse("articles:feed"))

    def feed_guid(self):
        return self.feed_url()

    def articles(self):
        return (
            Article.objects.published()
            .in_edition()
            .newest_first()
            .select_related("lead_picture")
            .prefetch_related("themes")
        )

    def items(self):
        keys.shows(ARTICLES)
        return expand_bodies(self.articles()[:FEED_LENGTH])

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.standfirst

    def item_extra_kwargs(self, item):
        return {"content": item.rendered_body, "picture": self.item_picture(item)}

    def item_picture(self, item):
        if item.lead_picture is None:
            return None
        crop = rendition(item.lead_picture, SHARE_WIDTH, SHARE_RATIO, fmt="fallback")
        attributes = {
            "url": absolute(crop.url),
            "medium": "image",
            "type": crop.content_type,
            "width": str(crop.width),
            "height": str(crop.height),
        }
        return {"attributes": attributes, "alt": item.lead_picture.alt}

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return f"urn:uuid:{item.uid}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return item.byline_name or item.source or editions.site_name()

    def item_categories(self, item):
        return [theme.name for theme in item.edition_themes]


def feed_urls_for(article) -> list[str]:
    """The feeds an article appears in: its edition's and its themes' (for WebSub pings)."""
    themes = Theme.objects.filter(
        themed_articles__content_object=article, language=article.language
    )
    themes = themes.order_by("slug")
    with editions.override(article.language):
        return [absolute(reverse("articles:feed"))] + [
            absolute(reverse("articles:theme_feed", kwargs={"slug": slug}))
            for slug in themes.values_list("slug", flat=True)
        ]


class ThemeFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        # Like the theme page: only a theme with published articles has a feed.
        has_published = ThemedArticle.objects.filter(
            Article.objects.published_condition(prefix="content_object__"),
            content_object__language=editions.current(),
            tag=OuterRef("pk"),
        )
        themes = Theme.objects.filter(Exists(has_published), language=editions.current())
        return get_object_or_404(themes, slug=slug)

    def title(self, theme):
        return f"{editions.site_name()}: {theme.name}"

    def subtitle(self, theme):
        return theme.description or _("Latest articles on %(theme)s.") % {"theme": theme.name}

    def link(self, theme):
        return absolute(theme.get_absolute_url())

    def feed_url(self, theme):
        return absolute(reverse("articles:theme_feed", kwargs={"slug": theme.slug}))

    def feed_guid(self, theme):
        return self.feed_url(theme)

    def items(self, theme):
        keys.shows(keys.listing(Theme, theme.pk))
        return expand_bodies(self.articles().filter(themed_items__tag=theme)[:FEED_LENGTH])
