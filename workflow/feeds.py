"""The corrections feed: every published correction, newest first (Atom, like the article feeds:
see articles/feeds.py for what an entry holds and why)."""

import uuid
from datetime import UTC

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.feeds import FIRST_DAY, SiteFeed
from articles.invalidation import ARTICLES, CORRECTIONS
from articles.models import Article
from newsroom import editions
from newsroom.invalidation import keys
from newsroom.links import absolute

from .views import published_corrections

FEED_LENGTH = 30


def correction_uid(correction) -> uuid.UUID:
    """A correction's permanent id: named by its article's permanent id and its date, to the
    second (what a JSON dump keeps), so a new domain, a re-created database or a dump and load
    leaves it as it was."""
    moment = correction.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return uuid.uuid5(correction.article.uid, f"correction:{moment}")


class CorrectionsFeed(SiteFeed):
    def title(self):
        return _("%(site)s: corrections") % {"site": editions.site_name()}

    def subtitle(self):
        return _("What we got wrong, and what is right.")

    def link(self):
        return absolute(reverse("workflow:corrections"))

    def feed_url(self):
        return absolute(reverse("workflow:corrections_feed"))

    def feed_guid(self):
        return self.feed_url()

    def items(self):
        keys.shows(CORRECTIONS)
        return published_corrections()[:FEED_LENGTH]

    def updated_when_empty(self, obj):
        # No correction yet: the feed has been as it is since the first story was published.
        keys.shows(ARTICLES)
        first = (
            Article.objects.published().in_edition().aggregate(first=Min("published_at"))["first"]
        )
        return first or FIRST_DAY

    def item_title(self, item):
        return _("Correction: %(headline)s") % {"headline": item.article.headline}

    def item_description(self, item):
        return _("This article said: %(wrong)s %(right)s") % {
            "wrong": item.wrong,
            "right": item.right,
        }

    def item_link(self, item):
        return absolute(item.article.get_absolute_url()) + "#corrections-heading"

    def item_guid(self, item):
        return f"urn:uuid:{correction_uid(item)}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
