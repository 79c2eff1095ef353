"""Pictures on the reader's pages: the article's lead picture, the front page's top story and the
teasers' thumbnails are renditions (srcset, sizes, width and height, alt), lazy below the fold,
and no page ever links to an original in the library."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from articles.renditions import renditions

from .factories import make_article, make_organization, make_person, make_theme
from .test_feed_validity import feed_problems, offline  # noqa: F401 - a fixture
from .test_images_factories import make_image, picture_bytes

pytestmark = pytest.mark.django_db

IMG = re.compile(r"<img [^>]*>")
PICTURE = re.compile(r"<picture>.*?</picture>", re.DOTALL)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_PAGE_CACHE = False
    return tmp_path


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def attributes(tag):
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))


def pictures(page):
    """Each <picture> on the page as (its <source> attributes, its <img> attributes)."""
    found = []
    for element in PICTURE.findall(page):
        (source,) = re.findall(r"<source [^>]*>", element)
        (img,) = IMG.findall(element)
        found.append((attributes(source), attributes(img)))
    return found


def srcset_widths(srcset):
    return [int(candidate.rsplit(" ", 1)[1].removesuffix("w")) for candidate in srcset.split(", ")]


@pytest.fixture
def hall():
    return make_image(
        content=picture_bytes((1000, 750)),
        alt="Delegates seated in a conference hall",
        caption="The opening session.",
        credit="IOM Egypt / Jane Doe",
    )


def test_the_picture_tag_renders_webp_and_a_fallback_with_the_shape_and_alt():
    hall = make_image(content=picture_bytes((2000, 1500)), alt="Delegates in a hall")
    page = Template('{% load pictures %}{% picture image ratio="4x3" sizes="10rem" %}').render(
        Context({"image": hall})
    )
    ((source, img),) = pictures(page)
    assert source["type"] == "image/webp"
    assert source["srcset"].endswith(".webp 1920w") and ".webp 320w" in source["srcset"]
    assert srcset_widths(source["srcset"]) == [320, 480, 640, 960, 1280, 1920]
    assert source["sizes"] == img["sizes"] == "10rem"
    assert img["src"].endswith(".jpg") and "640x480" in img["src"]
    assert (img["width"], img["height"]) == ("640", "480")
    assert img["alt"] == "Delegates in a hall"
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert "fetchpriority" not in img
    assert img["srcset"] == ", ".join(
        f"{made.url} {made.width}w" for made in renditions(hall, "4x3", fmt="fallback")
    )


def test_the_picture_tag_shows_nothing_without_a_picture():
    page = Template("{% load pictures %}[{% picture None %}]").render(Context({}))
    assert page == "[]"


def test_srcset_stops_at_the_width_of_a_small_original():
    small = make_image(content=picture_bytes((700, 525)))
    page = Template('{% load pictures %}{% picture image ratio="4x3" %}').render(
        Context({"image": small})
    )
    ((source, img),) = pictures(page)
    assert srcset_widths(source["srcset"]) == [320, 480, 640, 700]
    assert (img["width"], img["height"]) == ("640", "480")


def test_the_article_shows_its_lead_picture_in_16x9_first_with_caption_and_credit(client, hall):
    article = make_article(lead_picture=hall)
    page = html(client.get(article.get_absolute_url()))
    ((source, img),) = pictures(page)
    assert (int(img["width"]) * 9) == (int(img["height"]) * 16)
    assert "16x9" in img["src"] and "16x9" in source["srcset"]
    assert img["alt"] == "Delegates seated in a conference hall"
    assert img["loading"] == "eager" and img["fetchpriority"] == "high"
    assert "40rem" in img["sizes"]
    assert "<figcaption>The opening session. " in page
    assert '<span class="credit">IOM Egypt / Jane Doe</span>' in page


def test_the_story_may_override_the_caption_but_not_the_credit(client, hall):
    article = make_article(lead_picture=hall, lead_image_caption="Delegates on the second day.")
    page = html(client.get(article.get_absolute_url()))
    assert "Delegates on the second day." in page
    assert "The opening session." not in page
    assert '<span class="credit">IOM Egypt / Jane Doe</span>' in page


def test_a_story_without_a_picture_shows_no_figure(client):
    page = html(client.get(make_article().get_absolute_url()))
    assert "<picture>" not in page and 'class="lead-image"' not in page


def test_the_front_page_lead_is_large_and_eager_the_other_teasers_small_and_lazy(client, hall):
    now = timezone.now()
    make_article(
        headline="Older story",
        lead_picture=make_image(alt="A shelter in Aswan"),
        published_at=now - timedelta(hours=2),
    )
    make_article(headline="Top story", lead_picture=hall, published_at=now - timedelta(hours=1))
    page = html(client.get("/"))
    (lead_source, lead), (_, thumbnail) = pictures(page)
    assert page.index("Top story") < page.index("Older story")
    assert "16x9" in lead["src"] and lead["loading"] == "eager" and lead["fetchpriority"] == "high"
    assert lead["alt"] == "Delegates seated in a conference hall"
    assert "4x3" in thumbnail["src"] and thumbnail["loading"] == "lazy"
    assert thumbnail["alt"] == "A shelter in Aswan"
    assert "fetchpriority" not in thumbnail
    assert thumbnail["sizes"] == "(min-width: 40em) 10rem, 6rem"


@pytest.mark.parametrize("listing", ["articles", "theme", "person", "organization", "related"])
def test_listings_show_lazy_thumbnails(client, hall, listing):
    theme, person, organization = make_theme(), make_person(), make_organization()
    shown = make_article(
        lead_picture=hall, themes=[theme], people=[person], organizations=[organization]
    )
    reader = make_article(themes=[theme])
    url = {
        "articles": "/articles/",
        "theme": theme.get_absolute_url(),
        "person": person.get_absolute_url(),
        "organization": organization.get_absolute_url(),
        "related": reader.get_absolute_url(),
    }[listing]
    page = html(client.get(url))
    assert shown.headline in page
    ((source, img),) = pictures(page)
    assert "4x3" in img["src"] and img["loading"] == "lazy"
    assert source["type"] == "image/webp" and img["width"] and img["height"]


def test_no_public_page_links_to_an_original(client, hall):
    theme, person = make_theme(), make_person()
    article = make_article(lead_picture=hall, themes=[theme], people=[person])
    make_article(
        lead_picture=make_image(
            name="second.png", content=picture_bytes((900, 600), image_format="PNG")
        ),
        themes=[theme],
    )
    assert hall.file.url.startswith("/media/library/")
    for url in [
        "/",
        "/articles/",
        theme.get_absolute_url(),
        person.get_absolute_url(),
        article.get_absolute_url(),
        "/feed/",
        theme.get_absolute_url() + "feed/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "/media/library/" not in body, url
        assert "/media/renditions/" in body, url


def test_a_missing_original_is_a_broken_picture_not_an_error(client, hall, media_root):
    article = make_article(lead_picture=hall)
    (media_root / hall.file.name).unlink()
    page = html(client.get(article.get_absolute_url()))
    ((_, img),) = pictures(page)
    assert img["alt"] == "Delegates seated in a conference hall"


@pytest.mark.usefixtures("offline")
def test_the_feeds_carry_the_lead_picture_and_still_pass_the_w3c_validator(client, hall):
    theme = make_theme()
    make_article(lead_picture=hall, themes=[theme])
    make_article(themes=[theme])  # and one without
    for path in ["/feed/", f"/themes/{theme.slug}/feed/"]:
        assert feed_problems(client, path) == [], path
        feed = client.get(path).content.decode()
        assert 'xmlns:media="http://search.yahoo.com/mrss/"' in feed
        (content,) = re.findall(r"<media:content [^>]*>", feed)
        found = attributes(content)
        assert found["url"].startswith("http") and "/media/renditions/" in found["url"]
        assert (found["medium"], found["type"]) == ("image", "image/jpeg")
        assert (found["width"], found["height"]) == ("1000", "562")  # 16:9, at most 1200 wide
        assert '<media:description type="plain">Delegates seated in a conference hall<' in feed
