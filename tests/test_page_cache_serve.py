"""How a public page is served (newsroom/pagecache.py, `public_page` and `serve`).

A reader's page carries `public, max-age`, its validators and `Vary`, compressed when the reader
accepts it; an editor's is private; a form's POST reaches the view untouched. With
PUBLIC_PAGE_CACHE = False (measuring) every page is rendered for every reader and nothing is
kept or compressed, but the headers are those of a page missing from the cache."""

import gzip
import hashlib
from collections import Counter
from unittest import mock

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path, re_path

from newsroom.invalidation import keys
from newsroom.pagecache import names_key, public_page

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

renders = Counter()
WORDS = "A long enough page to be worth compressing. " * 20


@public_page
def article(request):
    renders["article"] += 1
    return HttpResponse(f"rendering {renders['article']}: {WORDS}")


@public_page
def with_a_cookie(request):
    renders["with_a_cookie"] += 1
    response = HttpResponse(f"rendering {renders['with_a_cookie']}")
    response.set_cookie("reader", "one")
    return response


@public_page(shows=("desk-notes",))
def desk_notes(request):
    renders["desk_notes"] += 1
    return HttpResponse(f"rendering {renders['desk_notes']}")


@public_page(variant=lambda request: request.META.get("HTTP_ACCEPT", ""))
def negotiated(request):
    q = request.GET.get("q")
    return HttpResponse(
        f"as {request.META.get('HTTP_ACCEPT', 'html')}" + (f" for {q}" if q else "")
    )


@public_page
def a_then_b(request):
    """Reads `b` only when `a` is given (a filter within a section, say)."""
    renders["a_then_b"] += 1
    if request.GET.get("a"):
        request.GET.get("b")
    return HttpResponse(f"rendering {renders['a_then_b']}")


@public_page
def chained(request):
    """Reads p1, and each next parameter only when the one before is given."""
    renders["chained"] += 1
    n = 1
    while request.GET.get(f"p{n}"):
        n += 1
    return HttpResponse(f"rendering {renders['chained']}")


@public_page
def echo(request, *args, **kwargs):
    """Says what it was called with: method, arguments and the query parameter `q`."""
    return HttpResponse(f"{request.method} {args} {sorted(kwargs.items())} {request.GET.get('q')}")


@public_page
def untyped(request):
    response = HttpResponse(WORDS)
    del response["Content-Type"]
    return response


urlpatterns = [
    path("article/", article),
    path("with_a_cookie/", with_a_cookie),
    path("desk_notes/", desk_notes),
    path("negotiated/", negotiated),
    path("untyped/", untyped),
    path("a_then_b/", a_then_b),
    path("chained/", chained),
    re_path(r"^echo/(\d+)/$", echo),
]


@pytest.fixture(autouse=True)
def fresh_counts():
    renders.clear()


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def varies(response):
    return {v.strip() for v in response.get("Vary", "").split(",") if v.strip()}


def anonymous(request):
    request.user = mock.Mock(is_authenticated=False)
    return request


def md5_tag(content):
    return '"' + hashlib.md5(content).hexdigest() + '"'  # noqa: S324 - as the cache tags it


# Measuring: PUBLIC_PAGE_CACHE = False ---------------------------------------------------------


@override_settings(PUBLIC_PAGE_CACHE=False)
def test_while_measuring_every_reader_is_given_a_page_rendered_for_them():
    first = Client().get("/article/", HTTP_ACCEPT_ENCODING="gzip, br")
    second = Client().get("/article/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert first.content.decode().startswith("rendering 1")
    assert second.content.decode().startswith("rendering 2")
    for response in (first, second):
        assert "X-Cache" not in response  # it says nothing of a cache it did not use
        assert "Content-Encoding" not in response  # nothing is compressed either
        assert directives(response) == {"public", "max-age=60"}
        assert {"Cookie", "Accept-Encoding"} <= varies(response)
        assert response["ETag"] == md5_tag(response.content)
        assert "Last-Modified" in response


@override_settings(PUBLIC_PAGE_CACHE=False)
def test_while_measuring_a_page_is_revalidated_with_its_etag():
    first = Client().get("/echo/7/")
    again = Client().get("/echo/7/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.content.decode() == "GET ('7',) [] None"
    assert again.status_code == 304


@override_settings(PUBLIC_PAGE_CACHE=False)
def test_while_measuring_a_page_setting_a_cookie_is_not_made_public():
    response = Client().get("/with_a_cookie/")
    assert "public" not in directives(response)
    assert "ETag" not in response
    assert {"Cookie", "Accept-Encoding"} <= varies(response)


@override_settings(PUBLIC_PAGE_CACHE=False)
def test_while_measuring_a_view_is_given_its_arguments():
    request = anonymous(RequestFactory().get("/echo/3/?q=x"))
    assert echo(request, "3", n=4).content.decode() == "GET ('3',) [('n', 4)] x"


# Settings and headers -------------------------------------------------------------------------


@override_settings(PUBLIC_PAGE_MAX_AGE=300)
def test_browsers_may_keep_a_page_as_long_as_the_setting_says():
    for response in (Client().get("/article/"), Client().get("/article/")):
        assert directives(response) == {"public", "max-age=300"}


def test_a_compressed_page_says_its_own_length_encoding_and_tag():
    plain = article(anonymous(RequestFactory().get("/article/")))
    request = RequestFactory().get("/article/", HTTP_ACCEPT_ENCODING="gzip")
    packed = article(anonymous(request))
    assert gzip.decompress(packed.content) == plain.content
    assert packed["Content-Encoding"] == "gzip"
    assert packed["Content-Length"] == str(len(packed.content))
    assert packed["ETag"] == plain["ETag"][:-1] + '-gzip"'
    assert plain["ETag"] == md5_tag(plain.content)


def test_a_page_saying_no_content_type_is_kept_as_it_is():
    for _ in range(2):
        response = Client().get("/untyped/", HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.content == WORDS.encode() and "Content-Encoding" not in response


def test_a_compressed_page_is_revalidated_with_its_own_tag():
    first = Client().get("/article/", HTTP_ACCEPT_ENCODING="br")
    again = Client().get("/article/", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert first["ETag"].endswith('-br"') and again.status_code == 304


def test_a_page_is_revalidated_with_its_last_modified_date():
    first = Client().get("/article/")
    again = Client().get("/article/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304 and renders["article"] == 1


def test_a_head_request_is_answered_from_the_kept_page():
    Client().get("/article/")
    response = Client().head("/article/")
    assert response["X-Cache"] == "hit" and renders["article"] == 1


# Who is given what ----------------------------------------------------------------------------


def test_a_form_posted_to_a_public_page_reaches_the_view_and_is_never_kept():
    request = anonymous(RequestFactory().post("/echo/5/?q=y"))
    response = echo(request, "5", n=6)
    assert response.content.decode() == "POST ('5',) [('n', 6)] y"
    assert "X-Cache" not in response and "public" not in directives(response)


def test_an_editor_is_given_a_page_rendered_with_its_arguments():
    request = RequestFactory().get("/echo/8/?q=z")
    request.user = mock.Mock(is_authenticated=True)
    response = echo(request, "8", n=9)
    assert response.content.decode() == "GET ('8',) [('n', 9)] z"
    assert directives(response) == {"private", "no-cache"}


def test_a_reader_is_given_a_page_rendered_with_its_arguments():
    for _ in range(2):
        response = echo(anonymous(RequestFactory().get("/echo/1/?q=w")), "1", n=2)
        assert response.content.decode() == "GET ('1',) [('n', 2)] w"


def test_after_a_page_is_served_the_request_keeps_its_own_query_string():
    """What runs after the view (the request log) sees the address the reader asked for."""
    for _ in range(3):
        request = anonymous(RequestFactory().get("/echo/1/?q=w&utm_source=mail"))
        echo(request, "1")
        assert request.get_full_path() == "/echo/1/?q=w&utm_source=mail"
    bare = anonymous(RequestFactory().get("/echo/1/"))
    del bare.META["QUERY_STRING"]  # a WSGI server may leave it out
    echo(bare, "1")
    assert bare.META.get("QUERY_STRING", "") == ""


def test_a_query_in_the_requests_own_encoding_is_read_in_it():
    request = anonymous(RequestFactory().get("/echo/1/?q=%E9t%E9"))
    request.encoding = "iso-8859-1"
    assert echo(request, "1").content.decode() == "GET ('1',) [] été"


# The decorator with arguments ------------------------------------------------------------------


def test_a_page_declaring_what_it_shows_is_rendered_again_when_that_changes():
    assert Client().get("/desk_notes/").content == b"rendering 1"
    assert Client().get("/desk_notes/").content == b"rendering 1"
    keys.changed("desk-notes")
    again = Client().get("/desk_notes/")
    assert again.content == b"rendering 2" and again["X-Cache"] == "miss"
    assert "desk-notes" in again["Surrogate-Key"].split()


def test_each_negotiated_representation_is_kept_apart_under_the_decorator_with_arguments():
    for accept in ("application/json", "application/ninjs+json", "application/json"):
        response = Client().get("/negotiated/", HTTP_ACCEPT=accept)
        assert response.content.decode() == f"as {accept}"


# What an address reads of its query string ------------------------------------------------------


def forget_what_it_reads(url):
    """What the address reads is evicted from the cache (or was noted by another process)."""
    cache.delete(names_key(RequestFactory().get(url)))


def test_a_first_reader_with_a_query_string_is_told_the_page_was_not_in_the_cache():
    response = Client().get("/article/?utm_source=mail")
    assert response["X-Cache"] == "miss"


def test_a_negotiated_page_asked_with_its_parameter_is_served_to_the_next_reader_asking_alike():
    for x_cache in ("miss", "hit"):
        response = Client().get("/negotiated/?q=1", HTTP_ACCEPT="application/json")
        assert response.content == b"as application/json for 1"
        assert response["X-Cache"] == x_cache


def test_a_request_is_rendered_at_most_four_times_however_deep_its_view_reads():
    Client().get("/chained/?junk=1")
    renders.clear()
    everything = "&".join(f"p{n}=1" for n in range(1, 10))
    assert Client().get(f"/chained/?{everything}").status_code == 200
    assert renders["chained"] == 4


def test_a_kept_page_is_found_again_once_what_its_address_reads_is_learned_anew():
    assert Client().get("/a_then_b/?a=1&b=2").content == b"rendering 1"
    forget_what_it_reads("/a_then_b/")
    Client().get("/a_then_b/")  # reads only `a`: all it is known to read for now
    again = Client().get("/a_then_b/?a=1&b=2")
    assert again.content == b"rendering 1" and again["X-Cache"] == "hit"
    assert renders["a_then_b"] == 3  # the last request rendered once, with `a` alone


def test_a_page_kept_for_fewer_parameters_leads_to_the_one_kept_for_all_of_them():
    assert Client().get("/a_then_b/?a=1&b=2").content == b"rendering 1"
    Client().get("/a_then_b/?a=1")  # kept too: it read `b`, and had none
    forget_what_it_reads("/a_then_b/")
    Client().get("/a_then_b/")
    again = Client().get("/a_then_b/?a=1&b=2")
    assert again.content == b"rendering 1" and again["X-Cache"] == "hit"
    assert renders["a_then_b"] == 3  # the page kept for `a` alone told it `b` counts too


def test_a_reader_without_a_parameter_does_not_make_the_address_forget_it():
    Client().get("/a_then_b/?a=1&b=2")
    Client().get("/a_then_b/?utm_source=mail")  # this rendering did not read `b`
    again = Client().get("/a_then_b/?a=1&b=2")
    assert again["X-Cache"] == "hit" and renders["a_then_b"] == 2
