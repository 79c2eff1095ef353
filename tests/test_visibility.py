"""Drafts and scheduled articles stay out of every public page, feed, sitemap and count; staff who
may change articles preview them, marked as unpublished and never cached."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from articles.models import Article

from .factories import (
    make_article,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_scheduled,
    make_theme,
)

pytestmark = pytest.mark.django_db

SECRET_DRAFT = "Draft headline nobody may see"
SECRET_SCHEDULED = "Scheduled headline nobody may see yet"
SECRET_WORDS = "Words only a draft contains"


@pytest.fixture
def hidden():
    """A published story and, sharing its theme, person and organization, a draft and a
    scheduled article, each quoting the person."""
    theme = make_theme(name="Child protection")
    person = make_person(name="Naela Gabr")
    organization = make_organization(name="National Council", short_name="NCCM")
    links = {"themes": [theme], "people": [person], "organizations": [organization]}
    published = make_article(
        headline="The published story", published_at=timezone.now() - timedelta(hours=1), **links
    )
    draft = make_draft(headline=SECRET_DRAFT, standfirst="Secret standfirst", **links)
    scheduled = make_scheduled(headline=SECRET_SCHEDULED, **links)
    make_quote_by(person, published, text="Words anyone may read")
    make_quote_by(person, draft, text=SECRET_WORDS)
    make_quote_by(person, scheduled, text=SECRET_WORDS + " too")
    unpublished = make_article(
        headline="Withdrawn story", status=Article.Status.UNPUBLISHED, **links
    )
    review = make_article(headline="Story in review", status=Article.Status.REVIEW, **links)
    return {
        "theme": theme,
        "person": person,
        "organization": organization,
        "published": published,
        "draft": draft,
        "scheduled": scheduled,
        "unpublished": unpublished,
        "review": review,
    }


def every_public_url(hidden):
    theme, person, organization = hidden["theme"], hidden["person"], hidden["organization"]
    return [
        "/",
        "/articles/",
        hidden["published"].get_absolute_url(),
        "/themes/",
        theme.get_absolute_url(),
        "/people/",
        person.get_absolute_url(),
        "/organizations/",
        organization.get_absolute_url(),
        "/feed/",
        f"/themes/{theme.slug}/feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-themes.xml",
        "/sitemap-news.xml",
    ]


def test_unpublished_articles_appear_nowhere_public(client, hidden):
    for url in every_public_url(hidden):
        page = client.get(url).content.decode()
        shows_articles = url not in (
            "/themes/",
            "/people/",
            "/organizations/",
            "/sitemap.xml",
            "/sitemap-themes.xml",
        )
        if shows_articles:
            assert hidden["published"].get_absolute_url() in page, url
        for key in ("draft", "scheduled", "unpublished", "review"):
            article = hidden[key]
            assert article.headline not in page, (url, key)
            assert article.get_absolute_url() not in page, (url, key)
        assert SECRET_WORDS not in page, url


def test_counts_ignore_unpublished_articles(client, hidden):
    themes = client.get("/themes/").content.decode()
    assert "1 article<" in themes
    front = client.get("/").content.decode()
    assert '<span class="count">1<' in front


def test_a_theme_with_only_drafts_is_not_listed_or_mapped(client):
    theme = make_theme(name="Only drafts here")
    make_draft(themes=[theme])
    make_scheduled(themes=[theme])
    assert "Only drafts here" not in client.get("/themes/").content.decode()
    assert "Only drafts here" not in client.get("/").content.decode()
    assert theme.get_absolute_url() not in client.get("/sitemap-themes.xml").content.decode()


def test_related_articles_are_published_only(client, hidden):
    page = client.get(hidden["published"].get_absolute_url()).content.decode()
    assert SECRET_DRAFT not in page and SECRET_SCHEDULED not in page


@pytest.mark.parametrize("key", ["draft", "scheduled", "unpublished", "review"])
def test_anonymous_readers_get_404_for_an_unpublished_article(client, hidden, key):
    assert client.get(hidden[key].get_absolute_url()).status_code == 404


def test_logged_in_users_without_the_permission_get_404(client, django_user_model, hidden):
    user = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(hidden["draft"].get_absolute_url()).status_code == 404


@pytest.mark.parametrize("key", ["draft", "scheduled"])
def test_staff_who_may_change_articles_preview_them_marked_and_uncached(
    client, django_user_model, hidden, key
):
    user = django_user_model.objects.create_user("desk", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(user)
    response = client.get(hidden[key].get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<div class="banner" role="status">' in page
    assert "Not published." in page
    assert hidden[key].headline in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control


def test_scheduled_preview_says_when_it_will_appear(editor_client, hidden):
    page = editor_client.get(hidden["scheduled"].get_absolute_url()).content.decode()
    assert "Scheduled to appear on" in page


def test_published_article_carries_no_banner_for_editors(editor_client, hidden):
    response = editor_client.get(hidden["published"].get_absolute_url())
    assert 'role="status"' not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_scheduled_article_goes_live_by_itself_when_its_time_comes(client, hidden):
    scheduled = hidden["scheduled"]
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert SECRET_SCHEDULED in client.get("/articles/").content.decode()
    assert SECRET_SCHEDULED in client.get("/feed/").content.decode()


def test_person_page_lists_only_quotes_from_published_articles(client, hidden):
    page = client.get(hidden["person"].get_absolute_url()).content.decode()
    assert "Words anyone may read" in page
    assert SECRET_WORDS not in page


@pytest.mark.django_db
def test_a_theme_whose_articles_are_all_unpublished_has_no_page_and_no_feed(client):
    from .factories import make_draft, make_scheduled, make_theme

    theme = make_theme(name="Sealed inquiry")
    make_draft(themes=[theme])
    make_scheduled(themes=[theme])
    assert client.get(theme.get_absolute_url()).status_code == 404
    assert client.get(f"/themes/{theme.slug}/feed/").status_code == 404
