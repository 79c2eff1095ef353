"""Teasers are rendered once per version of what they show (articles/templatetags/teasers.py):
a list rendered again reuses the teasers of the stories that did not change, and a teaser never
shows an old headline, theme or picture."""

from unittest import mock

import pytest
from django.template.backends.django import Template

from .factories import make_article, make_theme
from .test_images_factories import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_rendered(settings, tmp_path):
    """Every page rendered: what is tested here is the teasers' own cache."""
    settings.PUBLIC_PAGE_CACHE = False
    settings.MEDIA_ROOT = tmp_path


def teaser_renders():
    """Count renders of the teaser template."""
    real = Template.render

    def counting(self, *args, **kwargs):
        if self.template.name == "includes/article_teaser.html":
            counting.calls += 1
        return real(self, *args, **kwargs)

    counting.calls = 0
    return counting


def test_a_list_rendered_again_renders_only_the_teasers_that_changed(client):
    stories = [make_article(headline=f"Story {n}") for n in range(5)]
    counter = teaser_renders()
    with mock.patch.object(Template, "render", counter):
        client.get("/articles/")
        assert counter.calls == 5
        client.get("/articles/")
        assert counter.calls == 5  # all five reused
        stories[2].headline = "Story 2, corrected"
        stories[2].save()
        page = client.get("/articles/").content.decode()
        assert counter.calls == 6
    assert "Story 2, corrected" in page


def test_a_teaser_shows_its_themes_new_name(client):
    theme = make_theme(name="Asylum")
    make_article(headline="A story", themes=[theme])
    assert "Asylum" in client.get("/articles/").content.decode()
    theme.name = "Asylum and refuge"
    theme.save()
    assert "Asylum and refuge" in client.get("/articles/").content.decode()


def test_a_teaser_shows_its_pictures_new_description(client):
    image = make_image(alt="Delegates in a hall")
    make_article(headline="A story", lead_picture=image)
    assert 'alt="Delegates in a hall"' in client.get("/articles/").content.decode()
    image.alt = "Delegates listening to the minister"
    image.save()
    page = client.get("/articles/").content.decode()
    assert 'alt="Delegates listening to the minister"' in page
    assert "Delegates in a hall" not in page


def test_the_same_story_in_two_kinds_of_list_keeps_two_teasers(client):
    theme = make_theme(name="Asylum")
    story = make_article(headline="A story", themes=[theme])
    articles = client.get("/articles/").content.decode()
    on_theme = client.get(theme.get_absolute_url()).content.decode()
    assert 'class="kicker"><a href="/themes/' in articles  # the theme label
    assert f"{story.headline}" in on_theme
    assert 'class="kicker"><a href="/themes/' not in on_theme.split('<div class="teaser-list">')[1]
