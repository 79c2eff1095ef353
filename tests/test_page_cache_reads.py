"""What an address remembers of the query parameters its view reads, and the decorator applied
while the site runs (newsroom/pagecache.py: `cached_response`, `learn`, `public_page`).

An address is known to read the union of what its renderings read: one parameter read only
without another (a section's filter, say) stays known when a later rendering reads others, so a
page kept for it is served again without rendering. And the change clock is read once for each
rendering: the page is stamped with the reading taken before its rows were."""

from collections import Counter
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path

from newsroom.invalidation import keys
from newsroom.pagecache import names_key, public_page, remember

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

renders = Counter()


@public_page
def listing(request):
    """Reads p1, each next p only when the one before is given, and `d` only without p1."""
    renders["listing"] += 1
    n = 1
    while request.GET.get(f"p{n}"):
        n += 1
    if n == 1:
        request.GET.get("d")
    return HttpResponse(f"rendering {renders['listing']}")


urlpatterns = [path("listing/", listing)]


@pytest.fixture(autouse=True)
def fresh_counts():
    renders.clear()


def anonymous(request):
    request.user = mock.Mock(is_authenticated=False)
    return request


def forget_what_it_reads():
    cache.delete(names_key(RequestFactory().get("/listing/")))


def served_without_rendering(url):
    before = renders["listing"]
    response = Client().get(url)
    return response["X-Cache"] == "hit" and renders["listing"] == before


# What an address reads ------------------------------------------------------------------------


def test_a_parameter_read_only_without_another_stays_known_when_a_rendering_reads_more():
    Client().get("/listing/?d=1")  # reads p1 and d
    Client().get("/listing/?p1=1&p2=1")  # rendered for p1 alone first: it read p2 too
    assert served_without_rendering("/listing/?d=1")
    assert served_without_rendering("/listing/?p1=1&p2=1")


def test_a_parameter_stays_known_when_a_kept_page_teaches_the_address_another():
    Client().get("/listing/?p1=1")  # kept for p1, having read p1 and p2
    forget_what_it_reads()
    Client().get("/listing/?d=1")  # learned anew: p1 and d
    Client().get("/listing/?p1=1&p2=1")  # finds the page kept for p1, which read p2
    assert served_without_rendering("/listing/?d=1")


def test_a_parameter_stays_known_after_a_request_reading_ever_deeper():
    Client().get("/listing/?d=1")
    deep = "&".join(f"p{n}=1" for n in range(1, 6))
    Client().get(f"/listing/?{deep}")  # more parameters than the cache looks for at once
    assert served_without_rendering("/listing/?d=1")


def test_the_change_clock_is_read_once_for_each_rendering():
    with CaptureQueriesContext(connection) as page:
        Client().get("/listing/?d=1")
    with CaptureQueriesContext(connection) as value:
        remember("reads-test", lambda: 42)
    for queries in (page, value):
        assert len([q for q in queries if "FROM invalidation_clock" in q["sql"]]) == 1


# The decorator applied while the site runs ---------------------------------------------------


def counting(name):
    def view(request):
        renders[name] += 1
        return HttpResponse(f"{name} {renders[name]} for {request.META.get('HTTP_ACCEPT', '')}")

    return view


def test_a_view_decorated_with_what_it_shows_is_rendered_again_when_that_changes():
    view = public_page(shows=("desk-notes",))(counting("notes"))
    first = view(anonymous(RequestFactory().get("/notes/")))
    assert first.content == b"notes 1 for " and "desk-notes" in first["Surrogate-Key"].split()
    assert view(anonymous(RequestFactory().get("/notes/")))["X-Cache"] == "hit"
    keys.changed("desk-notes")
    assert view(anonymous(RequestFactory().get("/notes/"))).content == b"notes 2 for "


def test_a_view_decorated_with_a_variant_keeps_each_representation_apart():
    view = public_page(variant=lambda request: request.META.get("HTTP_ACCEPT", ""))(
        counting("feed")
    )
    for accept in ("application/json", "application/ninjs+json", "application/json"):
        response = view(anonymous(RequestFactory().get("/feed/", HTTP_ACCEPT=accept)))
        assert response.content.decode().endswith(f"for {accept}")
    assert renders["feed"] == 2
