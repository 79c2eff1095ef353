from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from newsroom.links import absolute

from .views import published_corrections

FEED_LENGTH = 30


class CorrectionsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{settings.SITE_NAME}: corrections"

    def subtitle(self):
        return "What we got wrong, and what is right."

    def link(self):
        return absolute(reverse("workflow:corrections"))

    def feed_url(self):
        return absolute(reverse("workflow:corrections_feed"))

    def feed_guid(self):
        return self.feed_url()

    def items(self):
        return published_corrections()[:FEED_LENGTH]

    def item_title(self, item):
        return f"Correction: {item.article.headline}"

    def item_description(self, item):
        return f"This article said: {item.wrong} {item.right}"

    def item_link(self, item):
        return absolute(item.article.get_absolute_url()) + "#corrections-heading"

    def item_guid(self, item):
        # Stable whatever happens to the article's address: a tag URI (RFC 4151).
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},2025:correction:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return settings.SITE_NAME
