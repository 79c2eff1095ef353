"""Which models keep their versions, and what each version carries along.

django-reversion rather than django-simple-history: simple-history cannot record taggit's themes as
an m2m field, and records the article row before the admin saves its m2m and inline rows, so its
version of an article lacks that save's themes, quotes and mentions. A reversion revision is taken
at the end of the request and holds the article with everything followed below.
"""

import reversion

from articles.models import Article, Quote, Theme, ThemedArticle
from people.models import Organization, Person, Role

# Fields derived on save: not worth showing in a comparison.
DERIVED_FIELDS = {"body_text", "search_keywords", "search_vector", "updated_at", "created_at"}


def register_models():
    if reversion.is_registered(Article):
        return
    reversion.register(Quote)
    reversion.register(ThemedArticle)
    reversion.register(Role)
    # people and organizations are many-to-many fields of the article row itself, so they are
    # in its serialized version; themes and quotes are rows of their own, followed.
    reversion.register(Article, follow=("quotes", "themed_items"), exclude=("search_vector",))
    reversion.register(Person, follow=("roles",))
    reversion.register(Organization)
    reversion.register(Theme)
