"""An edit replaces only the cached pages that show what it changed, and every process sees it.

Each test caches a set of public pages, makes one kind of edit, and asks every page again: the
pages that show the edit are rendered anew (`X-Cache: miss`) and show it; the others are served
from the cache (`X-Cache: hit`). The zero-stale rule itself, for every kind of edit, is
tests/test_caching.py's."""

import pytest
from django.utils import timezone

from articles.models import Article
from newsroom.invalidation import keys

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


@pytest.fixture
def newsroom():
    """Two stories with nothing in common: different themes, people and organizations."""
    world = {}
    for side in ("a", "b"):
        theme = make_theme(name=f"Theme {side}")
        person = make_person(name=f"Person {side}")
        organization = make_organization(name=f"Organization {side}")
        make_role_at(person, organization, title="Director")
        story = make_article(
            headline=f"Story {side}",
            themes=[theme],
            people=[person],
            organizations=[organization],
            published_at=timezone.now() - timezone.timedelta(days=2 if side == "a" else 1),
        )
        world[side] = {"theme": theme, "person": person, "org": organization, "story": story}
    return world


def pages_of(side):
    return {
        "story": side["story"].get_absolute_url(),
        "theme": side["theme"].get_absolute_url(),
        "person": side["person"].get_absolute_url(),
        "organization": side["org"].get_absolute_url(),
    }


def cache_everything(client, newsroom):
    urls = {
        "front": "/",
        "articles": "/articles/",
        "feed": "/feed/",
        "people": "/people/",
        "organizations": "/organizations/",
        "themes": "/themes/",
        "search": "/search/?q=story",
    }
    for name, side in newsroom.items():
        urls |= {f"{page} {name}": url for page, url in pages_of(side).items()}
    for url in urls.values():
        assert client.get(url).status_code == 200, url
    return urls


def rendered_again(client, urls):
    """The names of the pages not served from the cache on the next request (a page now gone,
    a 404, among them)."""
    again = set()
    for name, url in urls.items():
        response = client.get(url)
        if response.status_code != 200 or response["X-Cache"] != "hit":
            again.add(name)
    return again


def test_editing_a_story_renders_again_only_the_pages_that_show_it(client, newsroom):
    urls = cache_everything(client, newsroom)
    story = newsroom["a"]["story"]
    story.headline = "Story a, corrected"
    story.save()
    assert rendered_again(client, urls) == {
        "story a",
        "theme a",
        "person a",
        "organization a",
        "front",
        "articles",
        "feed",
        "search",
    }
    assert "Story a, corrected" in client.get(story.get_absolute_url()).content.decode()


def test_publishing_a_story_renders_again_the_lists_it_joins(client, newsroom):
    urls = cache_everything(client, newsroom)
    a = newsroom["a"]
    draft = make_draft(headline="Story c", themes=[a["theme"]], people=[a["person"]])
    assert rendered_again(client, urls) == set()  # a draft shows nowhere
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    again = rendered_again(client, urls)
    assert {"front", "articles", "feed", "themes", "theme a", "person a", "search"} <= again
    assert not again & {"story b", "theme b", "person b", "organization b", "people"}
    assert "Story c" in client.get(a["theme"].get_absolute_url()).content.decode()
    assert "Story c" in client.get(a["person"].get_absolute_url()).content.decode()


def test_a_story_joining_a_theme_renders_again_that_themes_page(client, newsroom):
    urls = cache_everything(client, newsroom)
    newsroom["a"]["story"].themes.add(newsroom["b"]["theme"])
    again = rendered_again(client, urls)
    assert {"theme b", "story a", "story b"} <= again  # story b lists related stories
    assert not again & {"person b", "organization b"}
    assert "Story a" in client.get(newsroom["b"]["theme"].get_absolute_url()).content.decode()


def test_a_new_mention_or_quote_renders_again_that_persons_page(client, newsroom):
    urls = cache_everything(client, newsroom)
    story, person = newsroom["a"]["story"], newsroom["b"]["person"]
    story.people.add(person)
    assert {"person b", "story a"} <= rendered_again(client, urls)
    make_quote_by(person, story, text="Every child counts.")
    again = rendered_again(client, urls)
    assert {"person b", "story a"} <= again
    assert not again & {"story b", "theme b"}
    assert "organization b" in again  # it counts its people's quotes
    assert "Every child counts." in client.get(person.get_absolute_url()).content.decode()


def test_a_correction_renders_again_its_story_not_the_others(client, newsroom):
    urls = cache_everything(client, newsroom)
    make_correction(newsroom["a"]["story"], published_at=timezone.now())
    again = rendered_again(client, urls)
    assert "story a" in again
    assert not again & {"story b", "theme b", "person b", "people", "organizations"}


def test_renaming_a_person_renders_again_the_pages_that_name_them(client, newsroom):
    urls = cache_everything(client, newsroom)
    person = newsroom["a"]["person"]
    person.name = "Person a, renamed"
    person.save()
    again = rendered_again(client, urls)
    assert {"person a", "story a", "people", "organization a"} <= again
    assert not again & {"story b", "theme b", "person b"}
    assert "Person a, renamed" in client.get("/people/").content.decode()


def test_a_new_role_renders_again_its_person_and_organization(client, newsroom):
    urls = cache_everything(client, newsroom)
    make_role_at(newsroom["a"]["person"], newsroom["b"]["org"], title="Adviser")
    again = rendered_again(client, urls)
    assert {"person a", "organization b", "people", "organizations"} <= again
    assert not again & {"story b", "theme b", "person b"}


def test_renaming_a_theme_renders_again_the_pages_that_show_it(client, newsroom):
    urls = cache_everything(client, newsroom)
    theme = newsroom["b"]["theme"]
    theme.name = "Theme b, renamed"
    theme.save()
    again = rendered_again(client, urls)
    assert {"theme b", "story b", "themes", "front"} <= again
    assert not again & {"story a", "theme a", "person a"}


def test_cached_pages_name_what_they_show_in_surrogate_key_headers(client, newsroom):
    story = newsroom["a"]["story"]
    response = client.get(story.get_absolute_url())
    names = response["Surrogate-Key"].split()
    assert {f"article:{story.pk}", f"theme:{newsroom['a']['theme'].pk}"} <= set(names)
    assert response["Cache-Tag"] == ",".join(names)
    again = client.get(story.get_absolute_url())
    assert again["X-Cache"] == "hit"
    assert again["Surrogate-Key"] == response["Surrogate-Key"]
    assert "articles" in client.get("/").headers["Surrogate-Key"].split()


def test_a_page_showing_too_much_to_list_is_known_by_one_key(client, newsroom):
    assert client.get("/sitemap-articles.xml")["Surrogate-Key"] == keys.ALL


def test_an_edit_rolled_back_changes_nothing(client, newsroom):
    from django.db import transaction

    urls = cache_everything(client, newsroom)
    story = newsroom["a"]["story"]
    with pytest.raises(RuntimeError), transaction.atomic():
        story.headline = "Never saved"
        story.save()
        raise RuntimeError
    assert rendered_again(client, urls) == set()


def test_merging_themes_renders_again_the_survivors_page_and_the_moved_stories(client, newsroom):
    from articles.services import merge_themes

    urls = cache_everything(client, newsroom)
    survivor, duplicate = newsroom["a"]["theme"], newsroom["b"]["theme"]
    merge_themes(survivor=survivor, duplicates=[duplicate])
    again = rendered_again(client, urls)
    assert {"theme a", "story b", "themes", "front"} <= again
    assert not again & {"people", "organizations"}
    assert "Story b" in client.get(survivor.get_absolute_url()).content.decode()


def test_unpublishing_a_story_renders_again_the_lists_it_leaves(client, newsroom):
    urls = cache_everything(client, newsroom)
    story = newsroom["b"]["story"]
    story.status = Article.Status.UNPUBLISHED
    story.save()
    again = rendered_again(client, urls)
    assert {"front", "articles", "feed", "themes", "search", "theme b", "person b"} <= again
    assert not again & {"story a", "theme a", "person a", "organization a"}
    assert "Story b" not in client.get("/").content.decode()


def test_deleting_a_story_renders_again_the_lists_it_leaves(client, newsroom):
    urls = cache_everything(client, newsroom)
    newsroom["a"]["story"].delete()
    again = rendered_again(client, urls)
    assert {"front", "articles", "feed", "theme a", "person a"} <= again
    assert "Story a" not in client.get("/").content.decode()


def test_changing_a_picture_renders_again_the_pages_that_show_it(
    client, newsroom, settings, tmp_path
):
    from .test_images_factories import make_image

    settings.MEDIA_ROOT = tmp_path
    picture = make_image(alt="Delegates in a hall")
    story = newsroom["a"]["story"]
    story.lead_picture = picture
    story.save()
    urls = cache_everything(client, newsroom)
    picture.alt = "Delegates listening"
    picture.save()
    again = rendered_again(client, urls)
    assert {"story a", "front", "articles", "theme a"} <= again
    assert not again & {"story b", "theme b", "person b", "people"}
    assert 'alt="Delegates listening"' in client.get(story.get_absolute_url()).content.decode()


def test_renaming_an_organization_renders_again_the_pages_that_name_it(client, newsroom):
    urls = cache_everything(client, newsroom)
    organization = newsroom["b"]["org"]
    organization.name = "Organization b, renamed"
    organization.save()
    again = rendered_again(client, urls)
    assert {"organization b", "organizations", "person b", "story b"} <= again
    assert not again & {"story a", "theme a", "person a", "organization a"}
