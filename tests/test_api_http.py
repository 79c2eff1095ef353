"""The content API over HTTP: cached and revalidated like the pages, rate-limited before the cache,
API keys (created in the desk) that lift the limit, and a JSON error for every 4xx."""

import pytest
from django.test import Client
from django.utils.http import http_date

from articles.models import APIKey, Article

from .factories import make_article

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


@pytest.fixture
def story():
    return make_article(slug="the-story")


@pytest.fixture
def key():
    return APIKey.objects.create_key(name="Partner site")


def auth(full_key):
    return {"authorization": f"Api-Key {full_key}"}


# Caching ------------------------------------------------------------------------------------


def test_anonymous_answers_are_public_with_validators(client, story):
    response = client.get(LIST)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"]


def test_a_second_read_comes_from_the_cache(client, story, django_assert_num_queries):
    first = client.get(f"/api/v1/articles/{story.slug}/")
    with django_assert_num_queries(1):  # has anything it shows changed since?
        second = client.get(f"/api/v1/articles/{story.slug}/")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_revalidation_answers_304(client, story):
    first = client.get(LIST)
    by_etag = client.get(LIST, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = client.get(LIST, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304
    stale = client.get(LIST, headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200


def test_an_edit_reaches_the_api_at_once(client, story):
    client.get(f"/api/v1/articles/{story.slug}/")
    story.headline = "A corrected headline"
    story.save()
    assert (
        client.get(f"/api/v1/articles/{story.slug}/").json()["headline"] == "A corrected headline"
    )
    assert client.get(LIST).json()["results"][0]["headline"] == "A corrected headline"


def test_json_and_ninjs_of_one_address_are_cached_apart(client, story):
    url = f"/api/v1/articles/{story.slug}/"
    as_json = client.get(url)
    as_ninjs = client.get(url, headers={"accept": "application/ninjs+json"})
    as_31 = client.get(url, headers={"accept": "application/ninjs+json; version=3.1"})
    again = client.get(url)
    assert as_json["Content-Type"] == "application/json"
    assert as_ninjs["Content-Type"] == "application/ninjs+json; charset=utf-8"
    assert as_ninjs.json()["uri"] and as_ninjs.content != as_31.content
    assert again.content == as_json.content
    for response in (as_json, as_ninjs, again):
        assert "Accept" in response["Vary"]


def test_the_ninjs_address_picks_its_version(client, story):
    response = client.get(f"/api/v1/articles/{story.slug}.ninjs?version=3.1")
    assert response["Content-Type"] == "application/ninjs+json; charset=utf-8"
    assert response.json() != client.get(f"/api/v1/articles/{story.slug}.ninjs").json()
    bad = client.get(f"/api/v1/articles/{story.slug}.ninjs?version=9")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/json"
    assert bad.json()["parameter"] == "version"


def test_an_unknown_ninjs_version_in_accept_is_a_406(client, story):
    response = client.get(
        f"/api/v1/articles/{story.slug}/", headers={"accept": "application/ninjs+json; version=9"}
    )
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_keyed_answers_are_the_same_bytes_but_private(client, story, key):
    anonymous = client.get(LIST)
    keyed = client.get(LIST, headers=auth(key[1]))
    assert keyed.status_code == 200
    assert keyed.content == anonymous.content
    assert "private" in keyed["Cache-Control"]
    assert "public" not in keyed["Cache-Control"]
    assert (
        client.get(LIST, headers={**auth(key[1]), "if-none-match": keyed["ETag"]}).status_code
        == 304
    )


def test_a_signed_in_editor_is_anonymous_to_the_api(editor_client, story, settings):
    """The session does not authenticate: the editor has the anonymous limit, needs no CSRF token,
    and sees only what everyone sees."""
    settings.API_ANONYMOUS_RATE = "3/minute"
    draft = make_article(status=Article.Status.DRAFT)
    assert editor_client.get(f"/api/v1/articles/{draft.slug}/").status_code == 404
    editor_client.get(LIST)
    assert editor_client.get(LIST).status_code == 200
    assert editor_client.get(LIST).status_code == 429


def test_no_csrf_token_is_asked_for(editor, story):
    csrf_checking = Client(enforce_csrf_checks=True)
    csrf_checking.force_login(editor)
    response = csrf_checking.post(LIST)
    assert response.status_code == 405  # not a 403 for the missing token: nothing is written
    assert response.json()["code"] == "method_not_allowed"


# Rate limits --------------------------------------------------------------------------------


def test_past_the_anonymous_limit_is_a_429_with_retry_after(client, story, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    # The same address each time: the cache answers the last two, and they count all the same.
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(LIST)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"
    assert "Retry-After" not in client.get(LIST, REMOTE_ADDR="10.0.0.2")


def test_a_key_lifts_the_limit(client, story, key, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    settings.API_KEY_RATE = "5/minute"
    statuses = [client.get(LIST, headers=auth(key[1])).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    # The key's count is its own: anonymous readers at the same address are still served.
    assert client.get(LIST).status_code == 200


# API keys -----------------------------------------------------------------------------------


def test_only_a_hash_of_the_key_is_stored(key):
    api_key, full_key = key
    prefix, secret = full_key.split(".", 1)
    assert api_key.prefix == prefix
    assert secret not in api_key.hashed_secret
    assert APIKey.objects.for_key(full_key) == api_key
    assert APIKey.objects.for_key(prefix + ".wrong") is None


def test_a_key_records_when_it_was_last_used(client, story, key):
    client.get(LIST, headers=auth(key[1]))
    key[0].refresh_from_db()
    assert key[0].last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Api-Key nope", "Api-Key ", "Api-Key abc.def", "api-key x.y.z", "Api-Key " + "é" * 40],
)
def test_a_bad_key_is_a_401(client, story, header):
    response = client.get(LIST, headers={"authorization": header})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(
    "credentials", ["abc\x00.def", "abc.d\x00ef", "ABC.def", "abcdef0123456789a.x", "a b.c"]
)
def test_a_malformed_key_is_a_401_without_a_query(
    client, story, credentials, django_assert_num_queries
):
    # A NUL reaching PostgreSQL would be a 500; the key's shape is checked before any query.
    with django_assert_num_queries(0):
        assert APIKey.objects.for_key(credentials) is None
    response = client.get(LIST, headers={"authorization": f"Api-Key {credentials}"})
    assert response.status_code == 401


def test_refused_keys_count_against_the_anonymous_limit(client, story, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    made_up = {"authorization": "Api-Key 0123abcd.not-a-real-secret"}
    assert [client.get(LIST, headers=made_up).status_code for _ in range(3)] == [401] * 3
    assert client.get(LIST, headers=made_up).status_code == 429
    assert client.get(LIST).status_code == 429
    assert client.get("/api/v1/schema/", headers=made_up).status_code == 429


def test_a_revoked_key_is_a_401(client, story, key):
    APIKey.objects.filter(pk=key[0].pk).update(revoked=True)
    assert client.get(LIST, headers=auth(key[1])).status_code == 401


def test_other_authorization_schemes_are_left_alone(client, story):
    """A staging server behind HTTP Basic auth passes its header on; it is not an API key."""
    assert client.get(LIST, headers={"authorization": "Basic dXNlcjpwdw=="}).status_code == 200


def test_an_editor_creates_a_key_in_the_desk_and_sees_it_once(editor_client, client, story):
    response = editor_client.post("/admin/articles/apikey/add/", {"name": "Aggregator"})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    api_key = APIKey.objects.get(name="Aggregator")
    page = response.content.decode()
    start = page.index('<code id="api-key">') + len('<code id="api-key">')
    full_key = page[start : page.index("</code>", start)]
    assert full_key.startswith(api_key.prefix + ".")
    assert client.get(LIST, headers=auth(full_key)).status_code == 200
    listing = editor_client.get("/admin/articles/apikey/").content.decode()
    assert api_key.prefix in listing
    assert full_key not in listing
    assert (
        full_key
        not in editor_client.get(f"/admin/articles/apikey/{api_key.pk}/change/").content.decode()
    )
    editor_client.post(
        "/admin/articles/apikey/",
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )
    assert client.get(LIST, headers=auth(full_key)).status_code == 401


def test_the_desk_shows_keys_only_to_those_allowed(client, django_user_model, key):
    reporter = django_user_model.objects.create_user("reporter", password="pw", is_staff=True)
    client.force_login(reporter)
    assert client.get("/admin/articles/apikey/").status_code == 403


# Errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_only_reads(client, story, method):
    response = getattr(client, method)(f"/api/v1/articles/{story.slug}/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/nothing/",
        "/api/v1/articles/a/b/c/",
        "/api/v1/articles/not%20a%20slug/",
        "/api/v1/articles",
        "/api/v1/%F0%9F%98%80",
        "/api/v1/people/x.ninjs",
    ],
)
def test_an_unknown_address_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 404


def test_a_missing_slash_gets_a_hint(client):
    assert "/api/v1/articles/" in client.get("/api/v1/articles").json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "?theme=%ff%fe",
        "?person=" + "x" * 5000,
        "?cursor=&page_size=",
        "?published_since=9999-12-31T23:59:59-14:00",
        "?published_until=9999-12-31",
        "?updated_since=2026-01-01T25:00",
        "?theme[]=a&theme[]=b",
        "?organization=%00",
        "?page_size=100000000000000000000000",
        "?cursor=" + "A" * 3000,
    ],
)
def test_no_query_string_is_a_500(client, story, query):
    response = client.get(LIST + query)
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert response.json()["detail"]


def test_last_modified_is_an_http_date(client, story):
    response = client.get(LIST)
    assert response["Last-Modified"].endswith("GMT")
    assert len(response["Last-Modified"]) == len(http_date(0))


def test_a_key_costs_one_query_and_a_write_now_and_then(
    client, story, key, settings, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE = False
    # The list's own 6, the change clock and (first) the next scheduled moment, then the key.
    with django_assert_num_queries(8 + 2):  # the key, and when it was last used
        client.get(LIST, headers=auth(key[1]))
    with django_assert_num_queries(7 + 1):  # used a moment ago: not written again
        client.get(LIST, headers=auth(key[1]))
