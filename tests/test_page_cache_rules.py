"""What the page cache may keep, for whom and for how long (newsroom/pagecache.py).

A page is kept only when any anonymous reader would have been given the same bytes: a response
that sets a cookie, writes the session, is marked private or is not a plain 200 is rendered again
for the next reader. Editors' pages are private. Nothing kept outlives the next scheduled
publication, or a moment a page says it changes by itself."""

from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_http_date

from newsroom import pagecache
from newsroom.invalidation import keys
from newsroom.pagecache import changes_at, names_key, public_page, register_schedule
from newsroom.urls import urlpatterns as site_urlpatterns

from .factories import make_article, make_scheduled

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

renders = Counter()


def counted(view):
    """A public page that numbers its renderings: the body says which one a reader got."""

    @public_page
    def page(request):
        renders[view.__name__] += 1
        return view(request, renders[view.__name__])

    return page


def plain(request, n):
    return HttpResponse(f"rendering {n}")


def sets_a_cookie(request, n):
    response = HttpResponse(f"rendering {n}")
    response.set_cookie("reader", f"reader-{n}")
    return response


def sends_a_set_cookie_header(request, n):
    response = HttpResponse(f"rendering {n}")
    response.headers["Set-Cookie"] = f"reader=reader-{n}; Path=/"
    return response


def marked_private(request, n):
    response = HttpResponse(f"your basket {n}")
    patch_cache_control(response, private=True)
    return response


def marked_no_cache(request, n):
    response = HttpResponse(f"rendering {n}")
    response["Cache-Control"] = "no-cache"
    return response


def not_found(request, n):
    return HttpResponseNotFound(f"missing {n}")


def streamed(request, n):
    return StreamingHttpResponse(iter([f"rendering {n}"]))


def writes_the_session(request, n):
    request.session["visits"] = n
    return HttpResponse(f"rendering {n}")


def changes_soon(request, n):
    changes_at(timezone.now() + timedelta(seconds=20))
    return HttpResponse(f"rendering {n}")


def says_nothing_of_when_it_changes(request, n):
    changes_at(None)
    return HttpResponse(f"rendering {n}")


def changes_after_the_next_publication(request, n):
    changes_at(timezone.now() + timedelta(days=1))
    return HttpResponse(f"rendering {n}")


def steady(request, n):
    keys.shows("steady-words")
    return HttpResponse("the same words, however often it is rendered")


def changing(request, n):
    keys.shows("changing-words")
    return HttpResponse(f"rendering {n}")


def reads_every_parameter(request, n):
    return HttpResponse(request.GET.urlencode())


VIEWS = [
    plain,
    sets_a_cookie,
    sends_a_set_cookie_header,
    marked_private,
    marked_no_cache,
    not_found,
    streamed,
    writes_the_session,
    changes_soon,
    says_nothing_of_when_it_changes,
    changes_after_the_next_publication,
    reads_every_parameter,
    steady,
    changing,
]
# The test pages first, then the site: its own pages behave as they do in production.
urlpatterns = [*(path(f"{view.__name__}/", counted(view)) for view in VIEWS), *site_urlpatterns]


@pytest.fixture(autouse=True)
def fresh_counts():
    renders.clear()


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def two_readers(url):
    """What two readers, one after the other, each in their own browser, are given."""
    return Client().get(url), Client().get(url)


# What is kept, and for whom ------------------------------------------------------------------


def test_a_plain_page_is_rendered_once_and_served_to_the_next_reader():
    first, second = two_readers("/plain/")
    assert body(first) == body(second) == "rendering 1"
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert directives(second) == {"public", "max-age=60"}


def test_a_page_that_sets_a_cookie_is_not_served_to_the_next_reader():
    first, second = two_readers("/sets_a_cookie/")
    assert first.cookies["reader"].value == "reader-1"
    assert body(second) == "rendering 2"
    assert second.cookies["reader"].value == "reader-2"
    assert "public" not in directives(second)


def test_a_page_sending_its_own_set_cookie_header_is_not_served_to_the_next_reader():
    first, second = two_readers("/sends_a_set_cookie_header/")
    assert body(second) == "rendering 2"
    assert second["Set-Cookie"] == "reader=reader-2; Path=/"
    assert "public" not in directives(second)


def test_a_page_marked_private_is_not_served_to_the_next_reader():
    first, second = two_readers("/marked_private/")
    assert body(second) == "your basket 2"
    assert "private" in directives(second) and "public" not in directives(second)


def test_a_page_marked_no_cache_is_rendered_for_every_reader():
    first, second = two_readers("/marked_no_cache/")
    assert body(second) == "rendering 2"
    assert "public" not in directives(second)


def test_a_page_that_is_not_a_plain_200_is_rendered_again_for_the_next_reader():
    first, second = two_readers("/not_found/")
    assert second.status_code == 404
    assert body(second) == "missing 2"
    assert "public" not in directives(second)


def test_a_streamed_page_is_passed_on_as_it_is_and_not_kept():
    first, second = two_readers("/streamed/")
    assert body(first) == "rendering 1" and body(second) == "rendering 2"
    assert "public" not in directives(second)


def test_a_page_that_writes_the_readers_session_is_not_served_to_the_next_reader():
    first, second = two_readers("/writes_the_session/")
    assert body(second) == "rendering 2"
    assert "sessionid" in second.cookies
    assert "public" not in directives(second)


@pytest.mark.parametrize("view", ["sets_a_cookie", "marked_private", "not_found", "streamed"])
def test_a_page_not_kept_still_varies_on_cookie_and_encoding(view):
    response = Client().get(f"/{view}/")
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    assert response["X-Cache"] == "miss"


def test_an_editors_page_is_private(editor_client):
    response = editor_client.get("/plain/")
    # Exactly these: "private=False" would let a CDN keep an editor's page.
    assert directives(response) == {"private", "no-cache"}
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    assert "X-Cache" not in response


def test_what_an_editor_is_given_is_never_served_to_a_reader(editor_client):
    assert body(editor_client.get("/plain/")) == "rendering 1"
    assert body(Client().get("/plain/")) == "rendering 2"


def test_a_reader_without_a_cookie_and_a_reader_with_one_are_told_the_page_varies_on_it():
    response = Client().get("/plain/")
    cached = Client().get("/plain/", HTTP_COOKIE="theme=dark")
    for given in (response, cached):
        assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in given["Vary"].split(",")}


# For how long --------------------------------------------------------------------------------


def max_age(response):
    return int(response["Cache-Control"].split("max-age=")[1].split(",")[0])


def test_a_page_that_changes_by_itself_soon_is_kept_no_longer():
    assert 15 <= max_age(Client().get("/changes_soon/")) <= 20


def test_the_next_publication_still_ends_a_page_that_names_no_moment_of_its_own():
    make_scheduled(published_at=timezone.now() + timedelta(seconds=30))
    assert 25 <= max_age(Client().get("/says_nothing_of_when_it_changes/")) <= 30


def test_a_later_moment_a_page_names_does_not_outlive_the_next_publication():
    make_scheduled(published_at=timezone.now() + timedelta(seconds=30))
    assert 25 <= max_age(Client().get("/changes_after_the_next_publication/")) <= 30


def test_an_editor_can_open_a_page_that_says_when_it_changes(editor_client):
    make_scheduled(published_at=timezone.now() + timedelta(seconds=30))
    for url in ("/changes_soon/", "/says_nothing_of_when_it_changes/"):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert directives(response) == {"private", "no-cache"}


def test_a_scheduled_story_is_listed_at_the_very_second_it_goes_live(client):
    make_article(headline="Already out")
    goes_live = timezone.now() + timedelta(hours=1)
    make_scheduled(headline="Due at noon", published_at=goes_live)
    assert b"Due at noon" not in client.get("/articles/").content  # kept until it goes live
    with mock.patch("django.utils.timezone.now", return_value=goes_live):
        assert b"Due at noon" in client.get("/articles/").content


def test_a_schedule_registered_by_an_app_ends_what_the_cache_keeps():
    def in_fifteen_seconds():
        return timezone.now() + timedelta(seconds=15)

    register_schedule(in_fifteen_seconds)
    try:
        assert 10 <= max_age(Client().get("/plain/")) <= 15
    finally:
        pagecache.SCHEDULES.remove(in_fifteen_seconds)


@override_settings(PUBLIC_PAGE_CACHE_TIMEOUT=100)
def test_what_an_address_reads_is_forgotten_after_the_cache_timeout():
    Client().get("/reads_every_parameter/?a=1")
    key = names_key(RequestFactory().get("/reads_every_parameter/"))
    now = timezone.now().timestamp()
    with mock.patch("time.time", return_value=now + 90):
        assert cache.get(key) is not None
    with mock.patch("time.time", return_value=now + 110):
        assert cache.get(key) is None


@override_settings(PUBLIC_PAGE_CACHE_TIMEOUT=100)
def test_a_kept_page_is_dropped_from_the_cache_after_the_cache_timeout():
    """PUBLIC_PAGE_CACHE_TIMEOUT bounds what the cache holds (Redis memory), not only max-age."""
    Client().get("/plain/")
    now = timezone.now().timestamp()
    with mock.patch("time.time", return_value=now + 90):
        assert Client().get("/plain/")["X-Cache"] == "hit"
    with mock.patch("time.time", return_value=now + 110):
        later = Client().get("/plain/")
    assert later["X-Cache"] == "miss" and body(later) == "rendering 2"


def test_one_page_reading_every_parameter_does_not_split_another_page_on_junk():
    Client().get("/reads_every_parameter/?z=1")
    for n in range(3):
        response = Client().get(f"/plain/?utm_source={n}")
    assert response["X-Cache"] == "hit"
    assert body(response) == "rendering 2"  # the first, not yet knowing what it reads, not kept


# Validators ----------------------------------------------------------------------------------


@pytest.fixture
def one_second():
    """Everything below happens within one second of the clock."""
    moment = timezone.now().replace(microsecond=0)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def test_a_page_rendered_again_unchanged_still_answers_304_to_if_modified_since(one_second):
    first = Client().get("/steady/")
    keys.changed("steady-words")  # stale: rendered again, to the same bytes
    again = Client().get("/steady/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert renders["steady"] == 2
    assert again.status_code == 304


def test_a_page_changed_within_the_second_it_was_rendered_is_dated_the_next_second(one_second):
    first = Client().get("/changing/")
    keys.changed("changing-words")
    second = Client().get("/changing/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert second.status_code == 200 and body(second) == "rendering 2"
    # Later than the old page, so no browser keeps it; not dated further ahead than that.
    assert parse_http_date(second["Last-Modified"]) == parse_http_date(first["Last-Modified"]) + 1


def test_each_representation_of_one_address_is_kept_apart():
    def negotiated(request):
        return HttpResponse(f"as {request.META.get('HTTP_ACCEPT', 'html')}")

    view = public_page(negotiated, variant=lambda request: request.META.get("HTTP_ACCEPT", ""))
    for accept in ("application/json", "application/ninjs+json", "application/json"):
        request = RequestFactory().get("/api/story/", HTTP_ACCEPT=accept)
        request.user = mock.Mock(is_authenticated=False)
        assert view(request).content.decode() == f"as {accept}"


def test_a_kept_page_is_served_even_once_what_its_address_reads_is_forgotten():
    Client().get("/plain/")
    cache.delete(names_key(RequestFactory().get("/plain/")))  # evicted, or another process
    again = Client().get("/plain/")
    assert again["X-Cache"] == "hit" and body(again) == "rendering 1"
