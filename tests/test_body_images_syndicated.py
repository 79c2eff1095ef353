"""Pictures inside a body reach partners too: the API's body_html, ninjs and the feeds' content
carry them as <figure>s with absolute addresses, with one query for a whole page of stories."""

import json

import pytest
from django.conf import settings
from django.core.cache import cache
from lxml import etree

from tests.factories import make_article
from tests.test_body_images import make_image
from tests.test_feed_validity import feed_problems, offline  # noqa: F401

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pictured_story(image, **fields):
    return make_article(
        body=f'<p>Opening.</p><figure data-image="{image.pk}"></figure><p>After.</p>', **fields
    )


def assert_expanded(html, image):
    assert "data-image=" not in html
    assert f'alt="{image.alt}"' in html
    assert f'srcset="{settings.SITE_URL}/media/renditions/' in html
    assert image.credit in html


def test_the_api_article_carries_its_body_pictures_with_absolute_addresses(client):
    image = make_image()
    story = pictured_story(image)
    data = client.get(f"/api/v1/articles/{story.slug}/").json()
    assert_expanded(data["body_html"], image)


def test_a_page_of_pictured_stories_costs_one_query_more_than_a_page_without(
    client, django_assert_max_num_queries, settings
):
    settings.PUBLIC_PAGE_CACHE = False
    plain = [make_article() for _ in range(3)]
    with django_assert_max_num_queries(100) as without:
        client.get("/api/v1/articles/")
    for story in plain:
        story.delete()
    cache.clear()
    for _ in range(3):
        pictured_story(make_image())
    with django_assert_max_num_queries(100) as with_pictures:
        items = client.get("/api/v1/articles/").json()["results"]
    assert len(items) == 3
    assert all("<picture>" in item["body_html"] for item in items)
    assert len(with_pictures.captured_queries) == len(without.captured_queries) + 1


def test_ninjs_carries_the_body_pictures(client):
    image = make_image()
    story = pictured_story(image)
    document = json.loads(client.get(f"/api/v1/articles/{story.slug}.ninjs").content)
    html = next(body["value"] for body in document["bodies"] if body["contenttype"] == "text/html")
    assert_expanded(html, image)


def test_the_feed_content_carries_the_body_pictures(client):
    image = make_image()
    story = pictured_story(image)
    feed = etree.fromstring(client.get("/feed/").content)
    entry = next(
        e for e in feed.iter(f"{ATOM}entry") if story.headline in e.findtext(f"{ATOM}title")
    )
    assert_expanded(entry.findtext(f"{ATOM}content"), image)


@pytest.mark.usefixtures("offline")
def test_a_feed_with_body_pictures_passes_the_w3c_validator(client):
    pictured_story(make_image(), lead_picture=make_image(alt="The hall"))
    assert feed_problems(client, "/feed/") == []
