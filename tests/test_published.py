"""The one definition of what readers see (articles/models.py): published() and its opposites
agree with each story's own is_published and is_scheduled, at the very moment a story goes live,
and saving a story published without a time stamps it with now."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article, ArticleQuerySet, Quote

from .factories import make_article, make_person, make_quote_by

pytestmark = pytest.mark.django_db

HIDDEN_STATUSES = [s for s in Article.Status.values if s != Article.Status.PUBLISHED]


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def seen_as(story):
    """Where a story stands, as every public list and its own page decide it."""
    story = Article.objects.get(pk=story.pk)
    return {
        "published": Article.objects.published().filter(pk=story.pk).exists(),
        "not_published": Article.objects.not_published().filter(pk=story.pk).exists(),
        "upcoming": Article.objects.upcoming().filter(pk=story.pk).exists(),
        "is_published": story.is_published,
        "is_scheduled": story.is_scheduled,
    }


LIVE = {
    "published": True,
    "not_published": False,
    "upcoming": False,
    "is_published": True,
    "is_scheduled": False,
}
SCHEDULED = {
    "published": False,
    "not_published": True,
    "upcoming": True,
    "is_published": False,
    "is_scheduled": True,
}
HIDDEN = {
    "published": False,
    "not_published": True,
    "upcoming": False,
    "is_published": False,
    "is_scheduled": False,
}


def test_a_story_whose_time_is_exactly_now_is_live():
    now = timezone.now()
    story = make_article(published_at=now)
    with at(now):
        assert seen_as(story) == LIVE


def test_a_story_due_a_moment_from_now_is_scheduled_then_goes_live_by_itself():
    now = timezone.now()
    story = make_article(published_at=now + timedelta(microseconds=1))
    with at(now):
        assert seen_as(story) == SCHEDULED
    with at(now + timedelta(microseconds=1)):
        assert seen_as(story) == LIVE


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_a_story_not_published_with_a_past_time_is_hidden_and_never_goes_live(status):
    story = make_article(status=status, published_at=timezone.now() - timedelta(days=1))
    assert seen_as(story) == HIDDEN


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
def test_a_story_not_published_with_a_future_time_is_not_upcoming(status):
    story = make_article(status=status, published_at=timezone.now() + timedelta(days=1))
    assert seen_as(story) == HIDDEN


def test_quotes_are_read_through_their_storys_publication():
    person = make_person()
    live = make_quote_by(person, make_article(), text="Said in public.")
    make_quote_by(person, make_article(status=Article.Status.DRAFT), text="Said in a draft.")
    make_quote_by(
        person,
        make_article(published_at=timezone.now() + timedelta(hours=1)),
        text="Said too soon.",
    )
    visible = Quote.objects.filter(ArticleQuerySet.published_condition("article__"))
    assert list(visible) == [live]


def test_saving_a_published_story_without_a_time_stamps_it_with_now():
    now = timezone.now()
    story = make_article(status=Article.Status.DRAFT, published_at=None)
    story.status = Article.Status.PUBLISHED
    with at(now):
        story.save()
        assert seen_as(story) == LIVE
    assert Article.objects.get(pk=story.pk).published_at == now


def test_saving_a_draft_without_a_time_leaves_it_unscheduled():
    story = make_article(status=Article.Status.DRAFT, published_at=None)
    story.save()
    assert Article.objects.get(pk=story.pk).published_at is None


def test_saving_a_published_story_keeps_its_own_time():
    when = timezone.now() + timedelta(hours=3)
    story = make_article(published_at=when)
    story.save()
    assert Article.objects.get(pk=story.pk).published_at == when


def test_saving_only_the_body_refreshes_what_search_reads():
    story = make_article(headline="Kept headline", body="<p>Old words.</p>")
    story.headline = "Not saved"
    story.body = "<p>Fresh <b>words</b> about rivers.</p>"
    story.save(update_fields=["body"])
    saved = Article.objects.get(pk=story.pk)
    assert "rivers" in saved.body_text
    assert "Old" not in saved.body_text
    assert saved.headline == "Kept headline"  # only the fields named are written


def test_saving_other_fields_only_leaves_the_body_alone():
    story = make_article(body="<p>Old words.</p>")
    story.headline, story.body = "A new headline", "<p>Never saved.</p>"
    story.save(update_fields=["headline"])
    saved = Article.objects.get(pk=story.pk)
    assert saved.headline == "A new headline"
    assert "Old words" in saved.body_text
