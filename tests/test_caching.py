"""Public pages are cached for anonymous readers and never stale: whatever an editor changes, and
whenever a scheduled article goes live, the next reader sees it. Editors never get a cached page,
and readers never get an editor's page."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Correction
from newsroom.pagecache import public_page
from workflow import permissions, services

from .factories import (
    make_article,
    make_correction,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_scheduled,
    make_theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    theme = make_theme(name="Child protection")
    person = make_person(name="Amina Gabr")
    organization = make_organization(name="National Council for Childhood")
    make_role_at(person, organization, title="Director")
    story = make_article(
        headline="Conference opens in Cairo",
        themes=[theme],
        people=[person],
        organizations=[organization],
    )
    make_quote_by(person, story, text="Every child counts.")
    return {"theme": theme, "person": person, "organization": organization, "story": story}


def public_urls(world):
    theme, story = world["theme"], world["story"]
    return [
        "/",
        "/articles/",
        "/articles/?page=1",
        story.get_absolute_url(),
        "/themes/",
        theme.get_absolute_url(),
        f"/themes/{theme.slug}/feed/",
        "/people/",
        world["person"].get_absolute_url(),
        "/organizations/",
        world["organization"].get_absolute_url(),
        "/search/?q=conference",
        "/feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
    ]


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_second_anonymous_request_is_served_from_the_cache_with_one_query(client, world):
    """The one query asks the database whether anything the page shows changed since."""
    for url in public_urls(world):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Cache"] == "miss"
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second["X-Cache"] == "hit"
        assert len(queries) == 1, (url, [q["sql"] for q in queries])
        assert "invalidation_key" in queries[0]["sql"]
        assert second.content == first.content, url
        assert second["ETag"] == first["ETag"], url


def test_anonymous_pages_say_public_with_a_short_max_age_and_vary_on_cookie(client, world):
    for url in public_urls(world):
        for attempt in ("rendered", "cached"):
            response = client.get(url)
            cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
            assert cache_control == {"public", "max-age=60"}, (url, attempt)
            vary = {part.strip() for part in response["Vary"].split(",")}
            assert {"Cookie", "Accept-Encoding"} <= vary, (url, attempt)
            assert response["ETag"].startswith('"'), (url, attempt)
            assert response.has_header("Last-Modified"), (url, attempt)
            assert not response.cookies, (url, attempt)


def test_max_age_ends_when_the_next_scheduled_article_goes_live(client, world):
    make_scheduled(published_at=timezone.now() + timedelta(seconds=30))
    max_age = int(client.get("/").headers["Cache-Control"].split("max-age=")[1])
    assert 25 <= max_age <= 30


def test_conditional_get_answers_304(client, world):
    url = world["story"].get_absolute_url()
    response = client.get(url)
    etag, last_modified = response["ETag"], response["Last-Modified"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified["ETag"] == etag
    assert "public" in not_modified["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    long_ago = http_date((timezone.now() - timedelta(days=1)).timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=long_ago).status_code == 200

    story = world["story"]
    story.headline = "Conference closes"
    story.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Conference closes" in changed.content.decode()


def test_an_edit_shows_at_once_everywhere(client, world):
    story = world["story"]
    urls = ["/", "/articles/", story.get_absolute_url(), world["theme"].get_absolute_url()]
    for url in urls:
        assert "Conference opens in Cairo" in page(client, url)
    story.headline = "Conference opens in Alexandria"
    story.save()
    for url in urls:
        text = page(client, url)
        assert "Conference opens in Alexandria" in text, url
        assert "Conference opens in Cairo" not in text, url


def test_publishing_and_unpublishing_show_at_once(client, world, editor):
    draft = make_draft(headline="Shelters reopen")
    assert "Shelters reopen" not in page(client, "/articles/")
    assert client.get(draft.get_absolute_url()).status_code == 404

    services.transition(draft, permissions.PUBLISHED, by=editor)
    assert "Shelters reopen" in page(client, "/articles/")
    assert "Shelters reopen" in page(client, draft.get_absolute_url())

    services.transition(Article.objects.get(pk=draft.pk), permissions.UNPUBLISHED, by=editor)
    assert "Shelters reopen" not in page(client, "/articles/")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_scheduled_article_appears_once_its_time_passes(client, world):
    goes_live = timezone.now() + timedelta(hours=1)
    scheduled = make_scheduled(headline="Report due at noon", published_at=goes_live)
    assert "Report due at noon" not in page(client, "/articles/")
    assert "Report due at noon" not in page(client, "/")
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    with mock.patch("django.utils.timezone.now", return_value=goes_live + timedelta(seconds=1)):
        assert "Report due at noon" in page(client, "/articles/")
        assert "Report due at noon" in page(client, "/")
        assert "Report due at noon" in page(client, scheduled.get_absolute_url())


def test_a_correction_dated_later_appears_under_the_story_once_its_time_comes(client, world):
    story = world["story"]
    due = timezone.now() + timedelta(minutes=5)
    Correction.objects.create(article=story, published_at=due, wrong="Old figure.", right="New.")
    assert "Old figure." not in page(client, story.get_absolute_url())  # now cached

    with mock.patch("django.utils.timezone.now", return_value=due + timedelta(minutes=5)):
        assert "Old figure." in page(client, story.get_absolute_url())


def test_renaming_a_theme_a_person_or_an_organization_shows_at_once(client, world):
    story_url = world["story"].get_absolute_url()
    theme, person, organization = world["theme"], world["person"], world["organization"]
    for url in ["/", "/themes/", story_url, person.get_absolute_url(), "/people/"]:
        page(client, url)

    theme.name = "Protecting children"
    theme.save()
    assert "Protecting children" in page(client, "/")
    assert "Protecting children" in page(client, "/themes/")
    assert "Protecting children" in page(client, story_url)

    person.name = "Amina Y. Gabr"
    person.save()
    assert "Amina Y. Gabr" in page(client, person.get_absolute_url())
    assert "Amina Y. Gabr" in page(client, story_url)
    assert "Amina Y. Gabr" in page(client, "/people/")

    organization.name = "National Council for Childhood and Motherhood"
    organization.save()
    assert "National Council for Childhood and Motherhood" in page(client, story_url)
    assert "National Council for Childhood and Motherhood" in page(client, "/people/")


def test_quotes_corrections_and_mentions_show_at_once(client, world):
    story, person = world["story"], world["person"]
    url = story.get_absolute_url()
    page(client, url)
    page(client, person.get_absolute_url())

    make_quote_by(world["person"], story, text="Shelters need funding.", order=2)
    assert "Shelters need funding." in page(client, url)
    assert "Shelters need funding." in page(client, person.get_absolute_url())

    make_correction(story, wrong="It said Giza.", right="It was in Cairo.")
    assert "It was in Cairo." in page(client, url)

    newcomer = make_person(name="Karim Saleh")
    story.people.add(newcomer)
    assert "Karim Saleh" in page(client, url)
    story.people.remove(newcomer)
    assert "Karim Saleh" not in page(client, url)


def test_staff_see_their_draft_and_never_a_cached_public_page(client, editor, world):
    story = world["story"]
    url = story.get_absolute_url()
    page(client, url)  # cached for the public
    page(client, "/articles/")

    Article.objects.filter(pk=story.pk).update(headline="Draft headline", status="draft")
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "Draft headline" in response.content.decode()
    assert len(queries) > 0
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-cache" in cache_control
    assert "public" not in cache_control
    listing = client.get("/articles/")
    assert "private" in listing["Cache-Control"]
    assert "Cookie" in listing["Vary"]


def test_the_public_never_gets_a_page_rendered_for_staff(client, editor, world):
    draft = make_draft(headline="Not yet for readers")
    client.force_login(editor)
    assert "Not yet for readers" in page(client, draft.get_absolute_url())
    for url in ["/", "/articles/", world["story"].get_absolute_url()]:
        page(client, url)

    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/articles/")
    assert len(queries) > 0, "the staff request stored nothing"
    assert "public" in response["Cache-Control"]


def test_a_response_that_sets_a_cookie_or_holds_a_csrf_token_is_not_stored():
    calls = []

    @public_page
    def with_csrf_token(request):
        calls.append(1)
        return HttpResponse(f"<input value='{get_token(request)}'>")

    @public_page
    def with_cookie(request):
        calls.append(1)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    factory = RequestFactory()
    for view in (with_csrf_token, with_cookie):
        calls.clear()
        for _ in range(2):
            request = factory.get(f"/{view.__name__}/")
            request.user = mock.Mock(is_authenticated=False)
            response = view(request)
            assert "public" not in response.get("Cache-Control", "")
        assert len(calls) == 2, view.__name__


def test_a_missing_page_is_not_cached(client, world):
    assert client.get("/articles/not-yet/").status_code == 404
    make_article(slug="not-yet", headline="Now it exists")
    assert "Now it exists" in page(client, "/articles/not-yet/")


def test_an_edit_made_while_the_cache_loses_every_write_is_seen_when_it_answers(client, world):
    """A Redis outage loses writes; what is stale is decided in the database, so the page cached
    before the outage is not served once the cache answers again."""
    from django.core.cache import cache

    story = world["story"]
    assert "Conference opens" in page(client, story.get_absolute_url())
    with mock.patch.object(cache, "set"), mock.patch.object(cache, "delete"):
        story.headline = "Edited during the outage"
        story.save()
    assert "Edited during the outage" in page(client, story.get_absolute_url())
    assert "Edited during the outage" in page(client, "/")


def test_production_workers_share_one_cache_even_without_redis():
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "news.example.org",
        "DATABASE_URL": "sqlite:///tmp/unused.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
         "print(settings.CACHES['default']['BACKEND'])"],
        cwd=Path(__file__).resolve().parent.parent, env=environment,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # Not the per-process local-memory cache: a page one worker renders serves them all.
    assert result.stdout.strip() == "newsroom.cache.FileCache"
