"""A page costs the same number of queries whatever it shows: no query per row.

Each test builds a page with one item of everything it lists, counts the queries it takes, then
adds 29 more of each and expects exactly the same count. Pages are measured as rendered, with the
public page cache off (a cached page costs no query at all: see test_caching.py).
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .factories import (
    make_article,
    make_correction,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_theme,
)
from .test_images_factories import make_image, picture_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PUBLIC_PAGE_CACHE = False


# What each page cost when these tests were written (anonymous reader, SQLite and PostgreSQL).
# A change here is a design decision, not noise: say why in the commit.
# Rendered as a page missing from the cache is, every page first reads the change clock and the
# next scheduled publication (kept in the cache until the clock moves; looked up here, the cache
# being empty): RENDERING. Counts several pages show (articles per theme, a list's length) are
# kept until their lists change (newsroom.pagecache.remember), and so are an article's related
# stories; computed here, their queries are counted among the page's own.
RENDERING = 2
BUDGETS = {
    "article": RENDERING + 9,  # one for its translation in the other edition
    "person": RENDERING + 7,  # one for how often and in how many stories they were quoted
    "organization": RENDERING + 7,  # one for the same count over its people
    "theme": RENDERING + 5,  # one to choose its query plan (articles.views.archive_size)
    "theme_list": RENDERING + 1,
    "person_list": RENDERING + 3,
    "organization_list": RENDERING + 2,
    "front": RENDERING + 3,
    "article_list": RENDERING + 3,
    "feed": RENDERING + 2,
    "theme_feed": RENDERING + 3,
    "sitemap": RENDERING + 13,  # the index: per section, the latest change and the number of pages
    "sitemap_articles": RENDERING + 3,  # one for the page's translations (hreflang)
    "sitemap_themes": RENDERING + 2,
    "sitemap_people": RENDERING + 2,
    "sitemap_organizations": RENDERING + 2,
    "news_sitemap": RENDERING + 2,
    # The ranked candidates (articles/searchrank.py), the page's articles, their snippets.
    "search": {"sqlite": RENDERING + 3, "postgresql": RENDERING + 3},
}


def recent():
    return timezone.now() - timedelta(minutes=5)


def grow_article(state, count):
    article = state["article"]
    for _ in range(count):
        theme = make_theme()
        person = make_person()
        organization = make_organization()
        article.themes.add(theme)
        article.people.add(person)
        article.organizations.add(organization)
        make_quote_by(person, article, capacity="Minister")
        make_correction(article, published_at=timezone.now() - timedelta(minutes=1))
        make_article(themes=[theme])  # related
    return article.get_absolute_url()


def grow_person(state, count):
    person = state["person"]
    for _ in range(count):
        organization = make_organization()
        make_role_at(person, organization)
        article = make_article(people=[person], themes=[make_theme()])
        make_quote_by(person, article)
    return person.get_absolute_url()


def grow_organization(state, count):
    organization = state["organization"]
    for _ in range(count):
        make_organization(parent=organization)
        make_role_at(make_person(), organization)
        make_article(organizations=[organization], themes=[make_theme()])
    return organization.get_absolute_url()


def grow_theme(state, count):
    theme = state["theme"]
    for _ in range(count):
        make_article(themes=[theme, make_theme()])
    return theme.get_absolute_url()


def grow_theme_list(state, count):
    for _ in range(count):
        make_article(themes=[make_theme()])
    return "/themes/"


def grow_person_list(state, count):
    for _ in range(count):
        make_role_at(make_person(), make_organization())
    return "/people/"


def grow_organization_list(state, count):
    for _ in range(count):
        make_organization(parent=state["organization"])
    return "/organizations/"


def grow_front(state, count):
    for _ in range(count):
        make_article(themes=[make_theme(), make_theme()])
    return "/"


def grow_article_list(state, count):
    for _ in range(count):
        make_article(themes=[make_theme()])
    return "/articles/"


def grow_feed(state, count):
    for _ in range(count):
        make_article(themes=[make_theme(), make_theme()])
    return "/feed/"


def grow_theme_feed(state, count):
    theme = state["theme"]
    for _ in range(count):
        make_article(themes=[theme, make_theme()])
    return f"/themes/{theme.slug}/feed/"


def grow_sitemap(state, count):
    for _ in range(count):
        make_article(themes=[make_theme()], people=[make_person()])
        make_organization()
    return "/sitemap.xml"


def grow_sitemap_section(section):
    def grow(state, count):
        grow_sitemap(state, count)
        return f"/sitemap-{section}.xml"

    return grow


def grow_search(state, count):
    for _ in range(count):
        make_article(headline="Conference on shelters", themes=[make_theme()])
    return "/search/?q=conference+shelters"


def grow_news_sitemap(state, count):
    for _ in range(count):
        make_article(published_at=recent())
    return "/sitemap-news.xml"


PAGES = {
    "article": grow_article,
    "person": grow_person,
    "organization": grow_organization,
    "theme": grow_theme,
    "theme_list": grow_theme_list,
    "person_list": grow_person_list,
    "organization_list": grow_organization_list,
    "front": grow_front,
    "article_list": grow_article_list,
    "feed": grow_feed,
    "theme_feed": grow_theme_feed,
    "sitemap": grow_sitemap,
    "news_sitemap": grow_news_sitemap,
    **{
        f"sitemap_{section}": grow_sitemap_section(section)
        for section in ("articles", "themes", "people", "organizations")
    },
    "search": grow_search,
}


@pytest.fixture
def state():
    return {
        "article": make_article(published_at=timezone.now() - timedelta(days=30)),
        "person": make_person(),
        "organization": make_organization(),
        "theme": make_theme(),
    }


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_the_content(client, django_assert_num_queries, state, page):
    grow = PAGES[page]
    url = grow(state, 1)
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(url).status_code == 200
    budget = BUDGETS[page]
    if isinstance(budget, dict):
        budget = budget[connection.vendor]
    assert len(with_one) == budget, [query["sql"] for query in with_one]

    grow(state, 29)
    cache.clear()  # as the first: nothing remembered (a stale remembered count costs one more)
    with django_assert_num_queries(len(with_one)):
        response = client.get(url)
    assert response.status_code == 200


# Pictures ------------------------------------------------------------------------------------
# A lead picture comes with its article (select_related) and its renditions' addresses are
# computed, not looked up (articles/renditions.py): ten pictured teasers cost what ten plain
# ones do.

PICTURED = {
    "front": lambda theme, person: "/",
    "article_list": lambda theme, person: "/articles/",
    "theme": lambda theme, person: theme.get_absolute_url(),
    "person": lambda theme, person: person.get_absolute_url(),
    "feed": lambda theme, person: "/feed/",
}


@pytest.mark.parametrize("page", sorted(PICTURED))
def test_ten_pictured_teasers_cost_no_more_queries(
    client, django_assert_num_queries, settings, tmp_path, page
):
    settings.MEDIA_ROOT = tmp_path
    theme, person = make_theme(), make_person()
    for n in range(10):
        picture = make_image(content=picture_bytes((400, 300)), alt=f"Picture {n}")
        make_article(themes=[theme, make_theme()], people=[person], lead_picture=picture)
    url = PICTURED[page](theme, person)
    with django_assert_num_queries(BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("/media/renditions/") >= 10
