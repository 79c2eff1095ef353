"""What the page cache remembers besides pages, and for how long (newsroom/pagecache.py).

`remember()` keeps a costly value until what it shows changes; `next_publication()` keeps the
next scheduled moment until the clock moves; neither, nor a kept page, stays in the cache (Redis
memory) past the moment it ends or PUBLIC_PAGE_CACHE_TIMEOUT."""

from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from newsroom import pagecache
from newsroom.invalidation import keys
from newsroom.pagecache import changes_at, next_publication, public_page, remember, seconds_until

from .factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

computed = Counter()


def answer():
    computed["answer"] += 1
    return 42


@public_page
def two_lookups(request):
    """Remembers one value twice in one rendering and says how many queries each cost."""
    costs = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            value = remember("answer", answer, "answers")
        costs.append(len(queries))
    return HttpResponse(f"{value} {costs}")


@public_page
def changes_soon(request):
    changes_at(timezone.now() + timedelta(seconds=20))
    return HttpResponse("soon")


urlpatterns = [path("two_lookups/", two_lookups), path("changes_soon/", changes_soon)]


@pytest.fixture(autouse=True)
def fresh_counts():
    computed.clear()


@pytest.fixture
def schedule():
    """A source of scheduled moments the test sets; it counts how often it is asked."""
    source = mock.Mock(return_value=None)
    pagecache.register_schedule(source)
    yield source
    pagecache.SCHEDULES.remove(source)


def later(seconds):
    """The cache's own clock (time.time), `seconds` ahead; the site's clock stays."""
    return mock.patch("time.time", return_value=timezone.now().timestamp() + seconds)


# remember() ----------------------------------------------------------------------------------


def test_a_remembered_value_is_computed_once_until_what_it_shows_changes():
    assert remember("answer", answer, "answers") == 42
    assert remember("answer", answer, "answers") == 42
    assert computed["answer"] == 1
    keys.changed("answers")
    assert remember("answer", answer, "answers") == 42
    assert computed["answer"] == 2


def test_within_one_rendering_a_remembered_value_costs_no_query():
    make_article()  # the clock has started
    assert Client().get("/two_lookups/").content == b"42 [0, 0]"
    assert computed["answer"] == 1


@override_settings(PUBLIC_PAGE_CACHE_TIMEOUT=100)
def test_a_remembered_value_leaves_the_cache_after_the_cache_timeout():
    remember("answer", answer, "answers")
    with later(90):
        remember("answer", answer, "answers")
    assert computed["answer"] == 1
    with later(110):
        remember("answer", answer, "answers")
    assert computed["answer"] == 2


@override_settings(PUBLIC_PAGE_CACHE_TIMEOUT=100)
def test_a_remembered_value_leaves_the_cache_at_the_next_publication(schedule):
    schedule.return_value = timezone.now() + timedelta(seconds=30)
    remember("answer", answer, "answers")
    with later(40):
        remember("answer", answer, "answers")
    assert computed["answer"] == 2


# next_publication() ---------------------------------------------------------------------------


def test_the_next_publication_is_asked_of_the_schedules_once_per_clock_reading(schedule):
    moment = timezone.now() + timedelta(hours=1)
    schedule.return_value = moment
    assert next_publication() == moment
    assert next_publication(keys.clock()) == moment
    assert schedule.call_count == 1


def test_a_change_that_schedules_something_sooner_is_seen_at_once(schedule):
    make_article()  # the clock has started
    assert next_publication() is None
    sooner = timezone.now() + timedelta(minutes=5)
    schedule.return_value = sooner
    keys.changed("article:1")
    assert next_publication() == sooner


def test_at_the_very_moment_of_a_publication_the_one_after_it_is_next(schedule):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    schedule.return_value = moment
    assert next_publication() == moment
    schedule.return_value = moment + timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert next_publication() == moment + timedelta(hours=1)


def test_the_next_publication_leaves_the_cache_when_it_comes(schedule):
    schedule.return_value = timezone.now() + timedelta(seconds=15)
    next_publication()
    with later(20):
        next_publication()
    assert schedule.call_count == 2


# Lifetimes -----------------------------------------------------------------------------------


def test_an_entry_lives_six_hours_unless_told_otherwise():
    assert seconds_until(None) == 6 * 60 * 60
    assert seconds_until(timezone.now() + timedelta(days=1)) == 6 * 60 * 60


def test_an_entry_whose_moment_has_passed_is_not_kept_at_all():
    assert seconds_until(timezone.now() - timedelta(seconds=5)) == 0


def test_a_page_that_changes_soon_leaves_the_cache_when_it_does():
    Client().get("/changes_soon/")
    with later(10):
        assert Client().get("/changes_soon/")["X-Cache"] == "hit"
    with later(30):
        assert Client().get("/changes_soon/")["X-Cache"] == "miss"
