"""A cached page is keyed on the query parameters its view reads, and no others: tracking and
junk parameters cannot flood the cache or split one page into thousands, and a page is never
served to a request that differs from it in a parameter its rendering read."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from newsroom.pagecache import names_key, public_page
from newsroom.queryparams import RecordingQueryDict, restricted
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def page_entries():
    return [key for key in cache._cache if ":page:" in key]


def listing(count=25):
    return [make_article(headline=f"Story {n:02d}") for n in range(count)]


def test_junk_parameters_flood_nothing(client):
    make_article(headline="The only story")
    for n in range(300):
        response = client.get(f"/?utm_source=junk{n}&fbclid={n}")
        assert response.status_code == 200
        assert b"The only story" in response.content
    assert len(page_entries()) == 1


def test_the_parameters_a_page_reads_still_choose_the_page(client):
    listing()  # 25 stories, newest first: two pages of 20
    first = client.get("/articles/?utm_source=a").content
    second = client.get("/articles/?page=2&utm_source=b").content
    assert b"Story 00" in first and b"Story 00" not in second  # newest first
    assert b"Story 24" in second and b"Story 24" not in first
    # Served from the cache now, still each its own page, whatever junk comes with them.
    assert client.get("/articles/?page=2&x=1").content == second
    assert client.get("/articles/?x=2").content == first
    assert len(page_entries()) == 2


def test_a_forgotten_list_of_read_parameters_never_serves_the_wrong_page(client):
    listing()
    first = client.get("/articles/").content
    cache.delete(names_key(RequestFactory().get("/articles/")))  # evicted, or another process
    second = client.get("/articles/?page=2").content  # its key is the first page's, at first
    assert b"Story 00" in first and b"Story 00" not in second
    assert b"Story 24" in second
    assert client.get("/articles/").content == first


def test_search_is_keyed_on_its_words(client):
    make_article(headline="Ferry crossing", body="<p>Boats.</p>")
    make_article(headline="Border camp", body="<p>Tents.</p>")
    assert b"Ferry crossing" in client.get("/search/?q=ferry&utm_medium=x").content
    assert b"Ferry crossing" not in client.get("/search/?q=camp&utm_medium=x").content
    assert b"Border camp" in client.get("/search/?q=camp").content


def test_junk_does_not_reach_the_links_a_cached_api_answer_carries(client):
    make_article()
    make_article()
    own = client.get("/api/v1/articles/?page_size=1&utm_source=secret-token").json()
    assert "page_size=1" in own["next"]  # the first asker's own links may carry it: not kept
    for source in ("other", "third"):
        data = client.get(f"/api/v1/articles/?page_size=1&utm_source={source}").json()
        assert data["results"] == own["results"]
        assert "utm_source" not in data["next"] and "page_size=1" in data["next"]
    following = client.get(data["next"] + "&utm_source=other").json()
    assert following["results"] and following["results"] != data["results"]
    assert len(page_entries()) == 2


def conditional_view(request):
    """Reads `b` only when `a` is given: what it reads depends on the request."""
    a = request.GET.get("a")
    return HttpResponse(f"a={a} b={request.GET.get('b') if a else '-'}")


def everything_view(request):
    return HttpResponse(request.GET.urlencode())


def anonymous(path):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_parameter_read_only_sometimes_is_learned_before_it_can_mislead():
    view = public_page(conditional_view)
    assert view(anonymous("/c/")).content == b"a=None b=-"
    assert view(anonymous("/c/?a=1&b=x")).content == b"a=1 b=x"
    assert view(anonymous("/c/?a=1&b=y")).content == b"a=1 b=y"
    assert view(anonymous("/c/?a=1&b=x&junk=1")).content == b"a=1 b=x"
    assert view(anonymous("/c/?junk=2")).content == b"a=None b=-"


def test_a_page_is_never_served_to_a_request_differing_in_a_parameter_it_read():
    view = public_page(conditional_view)
    assert view(anonymous("/c/?a=1")).content == b"a=1 b=None"  # kept: it read a and b
    cache.delete(names_key(anonymous("/c/")))  # evicted, or never seen by this process
    assert view(anonymous("/c/")).content == b"a=None b=-"  # what it reads, learned anew: a
    # Keyed on a alone, the first page would answer; it read b too, and b differs.
    assert view(anonymous("/c/?a=1&b=y")).content == b"a=1 b=y"
    assert view(anonymous("/c/?a=1")).content == b"a=1 b=None"


def test_a_view_that_reads_every_parameter_is_keyed_on_all_of_them():
    view = public_page(everything_view)
    assert view(anonymous("/e/?z=1")).content == b"z=1"
    assert view(anonymous("/e/?z=2")).content == b"z=2"
    assert view(anonymous("/e/?z=1")).content == b"z=1"


def test_the_recorder_notes_what_is_asked_and_the_key_is_canonical():
    query = RecordingQueryDict("b=2&a=1&a=0&utm=x")
    assert query.get("a") == "0" and "z" not in query
    assert query.asked == {"a", "z"}
    assert restricted(query, {"a", "z"}) == "a=1&a=0"
    assert restricted(query, {"*"}) == "a=1&a=0&b=2&utm=x"
    list(query)
    assert "*" in query.asked
