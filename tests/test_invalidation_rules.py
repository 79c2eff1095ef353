"""Which cached pages each kind of edit makes stale (articles/invalidation.py), read where every
process reads it: the keys an edit stamps in the database. Each test names the keys one edit
changes, all of them: a key missing leaves a stale page, a key too many empties pages that did
not change."""

from contextlib import contextmanager

import pytest
from django.core import serializers
from django.utils import timezone

from articles.models import Article, Theme
from newsroom.invalidation import keys
from newsroom.invalidation.keys import ALL
from newsroom.invalidation.models import Key
from people.models import Organization, Person

from .factories import (
    make_article,
    make_correction,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_theme,
)

pytestmark = pytest.mark.django_db

LISTS = {"articles", "themes", "corrections", "search"}


@contextmanager
def stamped():
    """The names of the keys changed inside the block (ALL, which every edit changes, left out)."""
    before = dict(Key.objects.values_list("name", "changed"))
    names = set()
    yield names
    after = dict(Key.objects.values_list("name", "changed"))
    names |= {name for name, seq in after.items() if before.get(name) != seq} - {ALL}


def story_with_everything(**fields):
    theme, person, organization = make_theme(), make_person(), make_organization()
    quoted = make_person()
    story = make_article(themes=[theme], people=[person], organizations=[organization], **fields)
    make_quote_by(quoted, story)
    lists = {
        f"theme-list:{theme.pk}",
        f"person-list:{person.pk}",
        f"person-list:{quoted.pk}",
        f"organization-list:{organization.pk}",
    }
    return story, lists


# An article's own edits ----------------------------------------------------------------------


def test_rewording_a_live_story_changes_it_and_search_not_the_lists():
    story, _ = story_with_everything()
    with stamped() as names:
        story.headline = "Reworded"
        story.save()
    assert names == {f"article:{story.pk}", "search"}


def test_rewording_a_draft_changes_only_the_draft():
    story, _ = story_with_everything(status=Article.Status.DRAFT)
    with stamped() as names:
        story.headline = "Still a draft"
        story.save()
    assert names == {f"article:{story.pk}"}


def test_publishing_a_draft_changes_every_list_it_joins():
    story, lists = story_with_everything(status=Article.Status.DRAFT)
    with stamped() as names:
        story.status = Article.Status.PUBLISHED
        story.save()
    assert names == {f"article:{story.pk}", *LISTS, *lists}


def test_unpublishing_a_story_changes_every_list_it_leaves():
    story, lists = story_with_everything()
    with stamped() as names:
        story.status = Article.Status.UNPUBLISHED
        story.save()
    assert names == {f"article:{story.pk}", *LISTS, *lists}


def test_moving_a_live_story_in_time_changes_its_lists():
    story, lists = story_with_everything()
    with stamped() as names:
        story.published_at = timezone.now() - timezone.timedelta(days=3)
        story.save()
    assert names == {f"article:{story.pk}", *LISTS, *lists}


def test_moving_a_live_story_to_the_other_edition_changes_its_lists():
    story, lists = story_with_everything()
    with stamped() as names:
        story.language = "ar" if story.language != "ar" else "en"
        story.save()
    assert names == {f"article:{story.pk}", *LISTS, *lists}


def test_a_new_live_story_changes_the_lists():
    with stamped() as names:
        story = make_article()
    assert names == {f"article:{story.pk}", *LISTS}


def test_a_new_translation_changes_its_original_not_the_other_stories():
    original = make_article(language="en")
    make_article(language="en")
    with stamped() as names:
        translation = make_article(language="ar", translation_of=original)
    assert names == {f"article:{translation.pk}", f"article:{original.pk}", *LISTS}


def test_an_original_going_offline_changes_its_translations_pages():
    original = make_article(language="en")
    translation = make_article(language="ar", translation_of=original)
    with stamped() as names:
        original.status = Article.Status.UNPUBLISHED
        original.save()
    assert names == {f"article:{original.pk}", f"article:{translation.pk}", *LISTS}


def test_unlinking_a_translation_changes_the_original_it_left():
    original = make_article(language="en")
    translation = make_draft(language="ar", translation_of=original)
    with stamped() as names:
        translation.translation_of = None
        translation.save()
    assert names == {f"article:{translation.pk}", f"article:{original.pk}"}


def test_rewording_a_translation_leaves_its_original_alone():
    original = make_article(language="en")
    translation = make_article(language="ar", translation_of=original)
    with stamped() as names:
        translation.headline = "Reworded"
        translation.save()
    assert names == {f"article:{translation.pk}", "search"}


def test_a_fixture_reloading_a_live_story_unchanged_changes_no_list():
    story, _ = story_with_everything(published_at=timezone.now().replace(microsecond=0))
    (record,) = serializers.deserialize("json", serializers.serialize("json", [story]))
    with stamped() as names:
        record.save()  # what loaddata does: a raw save of a row that exists
    assert names == {f"article:{story.pk}", "search"}


def test_deleting_a_story_changes_every_list_it_was_on():
    story, lists = story_with_everything()
    pk = story.pk
    with stamped() as names:
        story.delete()
    assert f"article:{pk}" in names
    assert {*LISTS, *lists} <= names


# What an article is linked to -----------------------------------------------------------------


@pytest.mark.parametrize("live", [True, False])
def test_a_theme_given_or_taken_from_a_story(live):
    story = make_article(status=Article.Status.PUBLISHED if live else Article.Status.DRAFT)
    theme = make_theme()
    expected = {f"article:{story.pk}"}
    if live:
        expected |= {f"theme-list:{theme.pk}", "articles", "themes", "search"}
    with stamped() as names:
        story.themes.add(theme)
    assert names == expected
    with stamped() as names:
        story.themes.remove(theme)
    assert names == expected


@pytest.mark.parametrize("live", [True, False])
def test_a_quote_changes_its_story_and_if_live_its_speakers_page(live):
    story = make_article(status=Article.Status.PUBLISHED if live else Article.Status.DRAFT)
    person = make_person()
    with stamped() as names:
        quote = make_quote_by(person, story)
    expected = {f"quote:{quote.pk}", f"article:{story.pk}"}
    if live:
        expected |= {f"person-list:{person.pk}", "articles", "search"}
    assert names == expected


@pytest.mark.parametrize("model", [Person, Organization])
def test_a_mention_added_to_a_live_story_changes_that_list(model):
    story = make_article()
    other = make_person() if model is Person else make_organization()
    related = story.people if model is Person else story.organizations
    kind = model._meta.model_name
    with stamped() as names:
        related.add(other)
    assert names == {f"article:{story.pk}", f"{kind}-list:{other.pk}", "articles", "search"}


def test_a_mention_added_to_a_draft_changes_only_the_draft():
    story, person = make_draft(), make_person()
    with stamped() as names:
        story.people.add(person)
    assert names == {f"article:{story.pk}"}


def test_mentions_cleared_from_a_live_story_change_each_list_they_left():
    first, second = make_person(), make_person()
    story = make_article(people=[first, second])
    with stamped() as names:
        story.people.clear()
    assert names == {
        f"article:{story.pk}",
        f"person-list:{first.pk}",
        f"person-list:{second.pk}",
        "articles",
        "search",
    }


def test_a_person_taken_off_stories_changes_those_stories_and_their_page():
    person = make_person()
    one, two = make_article(people=[person]), make_article(people=[person])
    make_article(people=[make_person()])
    with stamped() as names:
        person.articles.clear()
    assert names == {
        f"article:{one.pk}",
        f"article:{two.pk}",
        f"person-list:{person.pk}",
        "articles",
        "search",
    }


def test_an_organization_named_in_a_story_from_its_side():
    organization, story = make_organization(), make_draft()
    with stamped() as names:
        organization.articles.add(story)
    expected = {f"article:{story.pk}", f"organization-list:{organization.pk}"}
    assert names == expected | {"articles", "search"}


def test_a_correction_changes_its_story_and_the_corrections_feed():
    story = make_article()
    with stamped() as names:
        correction = make_correction(story, published_at=timezone.now())
    assert names == {f"correction:{correction.pk}", f"article:{story.pk}", "corrections"}


# Themes, people and organizations -------------------------------------------------------------


def test_renaming_a_theme_changes_its_page_its_index_and_what_searches_for_it():
    theme = make_theme()
    with stamped() as names:
        theme.name = "Renamed"
        theme.save()
    assert names == {f"theme:{theme.pk}", f"theme-list:{theme.pk}", "themes", "search", "articles"}


def test_renaming_a_person_changes_their_page_and_the_index():
    person = make_person()
    with stamped() as names:
        person.name = "Renamed"
        person.save()
    assert names == {
        f"person:{person.pk}",
        f"person-list:{person.pk}",
        "people",
        "search",
        "articles",
    }


def test_renaming_a_department_changes_its_parents_page_too():
    parent = make_organization()
    department = make_organization(parent=parent)
    with stamped() as names:
        department.name = "Renamed"
        department.save()
    assert names == {
        f"organization:{department.pk}",
        f"organization-list:{department.pk}",
        f"organization-list:{parent.pk}",
        "organizations",
        "search",
        "articles",
    }


def test_a_role_changes_its_person_and_organization_and_both_indexes():
    person, organization = make_person(), make_organization()
    with stamped() as names:
        role = make_role_at(person, organization)
    assert names == {
        f"role:{role.pk}",
        f"person-list:{person.pk}",
        f"organization-list:{organization.pk}",
        "people",
        "organizations",
    }


def test_changing_a_picture_changes_only_the_pages_that_show_it(settings, tmp_path):
    from .test_images_factories import make_image

    settings.MEDIA_ROOT = tmp_path
    picture = make_image()
    with stamped() as names:
        picture.alt = "Something else"
        picture.save()
    assert names == {f"image:{picture.pk}"}


def test_every_edit_changes_the_key_of_pages_showing_too_much_to_list():
    theme = make_theme()
    seq = Key.objects.filter(name=ALL).values_list("changed", flat=True).first()
    theme.save()
    assert Key.objects.get(name=ALL).changed > (seq or 0)
    assert Theme.objects.filter(pk=theme.pk).exists()


# The keys themselves (newsroom/invalidation/keys.py) ---------------------------------------------


def test_a_page_is_known_by_its_keys_up_to_the_limit_then_by_all_alone():
    names = [f"article:{n}" for n in range(keys.MAX_KEYS)]
    assert keys.page_keys(reversed(names)) == sorted(names)
    assert keys.page_keys([*names, "search"]) == [ALL]
    assert keys.page_keys(["search", ALL]) == [ALL]
    assert keys.page_keys([]) == [ALL]


def test_what_an_inner_block_renders_is_shown_by_the_outer_one_too():
    story = make_article()
    with keys.collecting() as outer:
        keys.shows("articles")
        with keys.collecting() as inner:
            Article.objects.get(pk=story.pk)
            Article(headline="Never saved")
            keys.shows("search")
        keys.shows("themes")
    keys.shows("people")  # outside any page: nobody collects it
    assert inner == {f"article:{story.pk}", "search"}
    assert outer == {f"article:{story.pk}", "search", "articles", "themes"}


def test_a_page_is_fresh_until_a_key_it_shows_changes():
    assert keys.clock() == (0, "")  # nothing changed yet
    assert keys.fresh(["search"], (0, ""))
    assert not keys.fresh(["search"], (0, "another database"))
    keys.changed("search")
    seen = keys.clock()
    assert keys.fresh(["search", "themes"], seen)
    keys.changed("articles")
    assert keys.fresh(["search"], seen)
    assert not keys.fresh(["articles"], seen) and not keys.fresh([ALL], seen)
    assert not keys.fresh(["search"], (seen[0], "a clock started again"))
    assert not keys.fresh(["search"], (seen[0] + 5, seen[1]))  # a count this clock never read


def test_a_model_tracked_later_is_a_key_of_the_pages_that_build_it():
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import post_init

    group = Group.objects.create(name="Desk")
    keys.track(Group)
    try:
        with keys.collecting() as names:
            Group.objects.get(pk=group.pk)
            Permission(pk=1)  # not tracked
    finally:
        post_init.disconnect(sender=Group, dispatch_uid="keys-auth.Group")
    assert names == {f"group:{group.pk}"}


def test_a_cached_page_sends_its_keys_under_the_names_caches_know(client):
    story = make_article()
    sent = client.get(story.get_absolute_url()).serialize_headers().decode()
    assert "\r\nSurrogate-Key: " in "\r\n" + sent and "\r\nCache-Tag: " in "\r\n" + sent
