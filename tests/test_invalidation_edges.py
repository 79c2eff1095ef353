"""Edits that reach public pages by the side doors: writes that send no signal (the mentions'
tables when a story is deleted or reverted, fixture loads), counts and links that show no
instance, and revalidation within one second. Each was once a stale page (a review's findings)."""

import time

import pytest
import reversion
from django.core import serializers
from django.utils import timezone
from reversion.models import Version

from articles.invalidation import ARTICLES
from articles.models import Article
from articles.services import merge_themes
from newsroom.invalidation import keys
from people.models import Person
from workflow.services import revert_article

from .factories import make_article, make_draft, make_organization, make_person, make_theme

pytestmark = pytest.mark.django_db

COUNTED = (
    "/api/v1/people/",
    "/api/v1/people/amina/",
    "/api/v1/organizations/",
    "/api/v1/organizations/ncc/",
)


def test_the_apis_story_counts_follow_a_publication(client):
    person, organization = make_person(slug="amina"), make_organization(slug="ncc")
    make_article(people=[person], organizations=[organization])
    draft = make_draft(people=[person], organizations=[organization])
    for url in COUNTED:
        client.get(url)
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    for url in COUNTED:
        data = client.get(url).json()
        assert (data["results"][0] if "results" in data else data)["article_count"] == 2, url


def test_deleting_a_story_recounts_the_pages_of_the_people_it_mentioned(client):
    person = make_person(slug="amina")
    stories = [make_article(people=[person]) for _ in range(21)]
    client.get(person.get_absolute_url() + "?page=2")
    assert "page=2" in client.get(person.get_absolute_url()).content.decode()
    stories[0].delete()
    assert "page=2" not in client.get(person.get_absolute_url()).content.decode()


def test_renaming_a_themes_slug_fills_the_apis_list_filtered_by_it(client):
    theme = make_theme(name="Migration", slug="migration")
    make_article(themes=[theme])
    assert client.get("/api/v1/articles/?theme=migrants").json()["results"] == []
    theme.slug = "migrants"
    theme.save()
    assert len(client.get("/api/v1/articles/?theme=migrants").json()["results"]) == 1


def test_reverting_to_a_version_without_a_mention_changes_that_persons_list(editor):
    person = make_person(slug="amina")
    with reversion.create_revision():
        story = make_draft(headline="Draft era")
    old = Version.objects.get_for_object(story).first()
    with reversion.create_revision():
        story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
        story.save()
        story.people.add(person)
    seen = keys.clock()
    revert_article(version=old, by=editor)
    assert not story.people.exists()
    assert not keys.fresh([keys.listing(Person, person.pk)], seen)


def test_reverting_to_a_version_from_before_a_theme_merge_keeps_the_surviving_theme(editor):
    duplicate, survivor = make_theme(name="Migrants"), make_theme(name="Migration")
    with reversion.create_revision():
        story = make_article(themes=[duplicate])
    old = Version.objects.get_for_object(story).first()
    merge_themes(survivor=survivor, duplicates=[duplicate])
    revert_article(version=old, by=editor)  # was a 500: the merged theme is gone
    assert list(story.themes.all()) == [survivor]


def test_a_fixture_taking_a_story_offline_changes_the_lists():
    story = make_article(headline="Live")
    seen = keys.clock()
    data = serializers.serialize("json", [story]).replace('"published"', '"draft"')
    for record in serializers.deserialize("json", data):
        record.save()  # what loaddata does: a raw save
    assert Article.objects.get(pk=story.pk).status == "draft"
    assert not keys.fresh([ARTICLES], seen)


def test_a_page_changed_within_the_second_it_was_rendered_is_not_a_304(client):
    story = make_article(headline="First words")
    while time.time() % 1 > 0.5:  # early in a second, so both renders fall in it
        time.sleep(0.02)
    first = client.get(story.get_absolute_url())
    story.headline = "Second words"
    story.save()
    again = client.get(story.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and "Second words" in again.content.decode()


def test_a_byline_links_its_author_once_they_have_a_page(client):
    story = make_article(byline="Amina Gabr")
    assert "amina-gabr" not in client.get(story.get_absolute_url()).content.decode()
    make_person(name="Amina Gabr", slug="amina-gabr")
    assert "amina-gabr" in client.get(story.get_absolute_url()).content.decode()


def test_deleting_a_person_takes_their_name_out_of_search(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = make_person(name="Zebedee Quux", slug="zq")
        story = make_article(people=[person])
    assert "Zebedee" in Article.objects.get(pk=story.pk).search_keywords
    with django_capture_on_commit_callbacks(execute=True):
        person.delete()
    assert "Zebedee" not in Article.objects.get(pk=story.pk).search_keywords
    assert story.headline not in client.get("/search/?q=Zebedee").content.decode()


def test_the_news_sitemap_lets_a_story_go_when_it_leaves_the_two_days(client):
    from datetime import timedelta
    from unittest import mock

    from articles.sitemaps import NEWS_WINDOW

    story = make_article(published_at=timezone.now() - NEWS_WINDOW + timedelta(seconds=30))
    first = client.get("/sitemap-news.xml")
    assert story.slug in first.content.decode()
    assert int(first["Cache-Control"].split("max-age=")[1]) <= 30  # not kept past its going
    later = timezone.now() + timedelta(seconds=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        again = client.get("/sitemap-news.xml")
    assert again["X-Cache"] == "miss"
    assert story.slug not in again.content.decode()
