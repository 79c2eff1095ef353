"""A theme's pages list its published stories newest first, whichever way their ids are found
(walking the newest stories for a big theme's first pages, sorting the theme's for the rest)."""

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.models import ThemedArticle
from articles.views import ThemePaginator, teaser_queryset

from .factories import make_article, make_draft, make_theme

pytestmark = pytest.mark.django_db


def pages(theme, total):
    on_theme = ThemedArticle.objects.filter(content_object=OuterRef("pk"), tag=theme)
    walk = teaser_queryset().filter(Exists(on_theme))
    listed = teaser_queryset().filter(themed_items__tag=theme)
    paginator = ThemePaginator(listed, 20, walk=walk, total=total)
    return [[a.headline for a in paginator.page(n)] for n in paginator.page_range]


def test_both_ways_list_the_same_stories_in_the_same_order():
    theme, other = make_theme(), make_theme()
    now = timezone.now()
    for n in range(45):
        on = [theme] if n % 3 else [other]
        make_article(
            headline=f"Story {n}", themes=on, published_at=now - timezone.timedelta(hours=n)
        )
    make_draft(headline="A draft", themes=[theme])
    walked = pages(theme, total=1)  # a small archive: every page walked
    sorted_ = pages(theme, total=10**9)  # a huge one: every page sorted
    assert walked == sorted_
    expected = [f"Story {n}" for n in range(45) if n % 3]
    assert [headline for page in walked for headline in page] == expected


def test_a_big_themes_first_page_is_walked_and_a_small_themes_is_sorted():
    for _ in range(40):
        make_article()
    listed = teaser_queryset()
    # A theme of 38 in an archive last counted at 35: walking 20 costs less than sorting 38.
    # (The walk is a stand-in that finds nothing, to tell which was chosen.)
    paginator = ThemePaginator(listed, 20, walk=listed.none(), total=35)
    paginator.count = 38
    assert list(paginator.ids(0, 20)) == []  # the walk was chosen
    paginator.count = 2
    assert len(paginator.ids(0, 2)) == 2  # the sort
