"""When the database or the cache fails: load balancers see it on /healthz, readers get a plain 503
page that asks them to come back (not a traceback, not a 500), and a cache outage costs only speed.

The database tests really break the connection: "default" is pointed at a PostgreSQL port nothing
listens on, or at a SQLite file in a directory that does not exist.
"""

import json
import logging
import runpy
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from redis.exceptions import ConnectionError as RedisConnectionError

from newsroom.cache import ResilientRedisCache
from newsroom.urls import urlpatterns as site_urlpatterns
from tests.factories import make_article, make_organization, make_person, make_theme

CLOSED_PORT = 8079  # one of this suite's ports, with nothing listening on it
DEAD_REDIS = "redis://127.0.0.1:6390/0"


def failing_query_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM table_that_does_not_exist")
    return HttpResponse("unreachable")


# The site's own patterns beside the failing view (not include()d: they hold i18n_patterns).
urlpatterns = [path("bug/", failing_query_view), *site_urlpatterns]


class ReadsTheUserMiddleware:
    """Like any middleware that looks at the signed-in user before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 - the session and user are read here
        return self.get_response(request)


@contextmanager
def unreachable_database(tmp_path):
    """Point the default connection at a database that cannot be reached, then put it back."""
    live = connections["default"]
    dead = dict(live.settings_dict)
    if live.vendor == "postgresql":
        dead.update(HOST="127.0.0.1", PORT=str(CLOSED_PORT), OPTIONS={"connect_timeout": 2})
    else:
        dead.update(NAME=str(tmp_path / "no-such-directory" / "db.sqlite3"))
    broken = live.__class__(dead, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = live


@pytest.fixture
def database_down(tmp_path):
    with unreachable_database(tmp_path):
        yield


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Temporarily unavailable" in html
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies
    assert len(response.content) < 100


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "unavailable"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_answer_503_with_retry_after_when_the_database_is_down(
    client, caplog, tmp_path
):
    theme = make_theme()
    pages = [
        "/",
        "/articles/",
        make_article(themes=[theme]).get_absolute_url(),
        "/themes/",
        theme.get_absolute_url(),
        theme.get_absolute_url() + "feed/",
        "/people/",
        make_person().get_absolute_url(),
        make_organization().get_absolute_url(),
        "/search/?q=trafficking",
        "/feed/",
        "/sitemap.xml",
    ]
    assert all(client.get(page).status_code == 200 for page in pages)

    caches["default"].clear()  # pages cached a moment ago would still be served, rightly
    caplog.clear()
    with unreachable_database(tmp_path):
        for page in pages:
            assert_unavailable_page(client.get(page))

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == len(pages), "one error line per failed request, not two"
    assert all(r.exc_info and r.name == "newsroom.request" for r in errors)
    assert client.get("/").status_code == 200  # back as soon as the database is


@pytest.mark.django_db
def test_a_signed_in_editor_gets_the_503_page_in_the_admin(editor_client, database_down):
    # The session and user are read from the database inside the admin view.
    assert_unavailable_page(editor_client.get("/admin/"))


@pytest.mark.django_db
def test_an_outage_met_in_a_middleware_is_a_503_too(editor, settings, tmp_path):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.test_faults.ReadsTheUserMiddleware",
    ]
    # In production nothing re-raises; the test client would, so it is told not to.
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    assert client.get("/people/").status_code == 200

    with unreachable_database(tmp_path):
        assert_unavailable_page(client.get("/people/"))


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_database_error_that_is_a_bug_stays_a_500():
    """Only an outage is a 503. A query on a missing table is a bug to be noticed."""
    client = Client(raise_request_exception=False)
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


# --- the cache ----------------------------------------------------------------------------------

DEAD_CACHE = {"default": {"BACKEND": "newsroom.cache.ResilientRedisCache", "LOCATION": DEAD_REDIS}}


def with_page_cache(middleware):
    """Django's whole-page cache around the site's middleware, as page caching would add it."""
    return [
        "django.middleware.cache.UpdateCacheMiddleware",
        *middleware,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]


@pytest.mark.django_db
def test_pages_are_served_uncached_while_redis_is_down(client, settings, caplog):
    settings.CACHES = DEAD_CACHE
    settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
    article = make_article(headline="Still served")
    for page in ["/", "/articles/", article.get_absolute_url(), "/feed/", "/healthz"]:
        response = client.get(page)
        assert response.status_code == 200, page
    assert b"Still served" in client.get(article.get_absolute_url()).content

    warnings = [r for r in caplog.records if r.name == "newsroom.cache"]
    assert len(warnings) == 1, "one warning when Redis goes away, not one per cache call"
    assert "Cache unavailable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_django_s_own_redis_backend_would_have_failed_the_page(settings):
    """What the test above guards against: the stock backend raises on every page."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    settings.MIDDLEWARE = with_page_cache(settings.MIDDLEWARE)
    with pytest.raises(RedisConnectionError):
        Client().get("/articles/")


def test_a_dead_cache_behaves_as_an_empty_one(settings):
    settings.CACHES = DEAD_CACHE
    dead = caches["default"]
    assert isinstance(dead, ResilientRedisCache)
    assert dead.get("front-page", "miss") == "miss"
    assert dead.set("front-page", "html") is None
    assert dead.add("front-page", "html") is False
    assert dead.get_many(["a", "b"]) == {}
    assert dead.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert dead.has_key("a") is False
    assert dead.delete("a") is False
    assert dead.get_or_set("computed", lambda: 42) == 42
    with pytest.raises(ValueError):
        dead.incr("counter")


def test_after_a_failure_redis_is_left_alone_for_a_while(settings, monkeypatch):
    settings.CACHES = {
        "default": {**DEAD_CACHE["default"], "OPTIONS": {"RETRY_AFTER": 60}},
    }
    dead = caches["default"]
    assert dead.get("k") is None  # tries, fails, opens the breaker
    attempts = []
    monkeypatch.setattr(RedisCache, "get", lambda *args, **kwargs: attempts.append(args))
    for _ in range(100):
        assert dead.get("k", "miss") == "miss"
    assert attempts == []


def test_production_uses_the_resilient_backend_with_short_timeouts(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "news.example.org")
    monkeypatch.setenv("DATABASE_URL", "postgres://newsroom@db.example.org/newsroom")
    monkeypatch.setenv("CACHE_URL", "redis://cache.example.org:6379/0")
    prod = runpy.run_module("newsroom.settings.prod")
    backend = prod["CACHES"]["default"]
    assert backend["BACKEND"] == "newsroom.cache.ResilientRedisCache"
    assert backend["LOCATION"] == "redis://cache.example.org:6379/0"
    assert backend["OPTIONS"]["socket_connect_timeout"] <= 1
