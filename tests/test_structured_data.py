"""What search engines and social networks read from an article page: the NewsArticle JSON-LD
(image crops, author, source, publisher and its logo) and the Open Graph and Twitter tags, with
the site's default card for a story without a picture: never no image; each story in its own
edition's language, with its translation."""

import json
import re
from html import unescape
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from articles.sharing import news_article_data

from .factories import make_article, make_organization, make_person, make_theme
from .test_images_factories import make_image, picture_bytes

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')
STATIC = settings.BASE_DIR / "newsroom" / "static"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_PAGE_CACHE = False
    return tmp_path


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    (payload,) = JSON_LD.findall(page)
    return json.loads(payload), {name: unescape(value) for name, value in META.findall(page)}


def local_file(media_root, url):
    path = url.removeprefix(settings.SITE_URL)
    assert path.startswith("/media/renditions/"), url
    return media_root / path.removeprefix("/media/")


def test_json_ld_lists_the_16x9_4x3_and_1x1_crops_at_1200_pixels(client, media_root):
    picture = make_image(content=picture_bytes((1600, 1200)), alt="A boat at Rosetta")
    data, _ = page_of(client, make_article(lead_picture=picture))
    images = data["image"]
    assert [(image["width"], image["height"]) for image in images] == [
        (1200, 675),
        (1200, 900),
        (1200, 1200),
    ]
    for image in images:
        assert image["@type"] == "ImageObject"
        assert image["url"].startswith(settings.SITE_URL + "/media/renditions/")
        assert image["url"].endswith(".jpg")  # Google reads JPEG, PNG and GIF, not WebP
        with PILImage.open(local_file(media_root, image["url"])) as made:
            assert made.format == "JPEG"
            assert made.size == (image["width"], image["height"])


def test_a_small_picture_is_listed_at_its_own_size_never_enlarged(client):
    picture = make_image(content=picture_bytes((800, 600)))
    data, meta = page_of(client, make_article(lead_picture=picture))
    assert [(image["width"], image["height"]) for image in data["image"]] == [
        (800, 450),
        (800, 600),
        (600, 600),
    ]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("800", "450")


def test_a_transparent_picture_is_shared_as_png(client):
    picture = make_image(
        name="logo.png", content=picture_bytes((800, 450), (0, 0, 0, 0), "PNG", mode="RGBA")
    )
    data, meta = page_of(client, make_article(lead_picture=picture))
    assert all(image["url"].endswith(".png") for image in data["image"])
    assert meta["og:image:type"] == "image/png"


def test_open_graph_and_twitter_share_the_16x9_crop_with_its_size_and_alt(client, media_root):
    picture = make_image(content=picture_bytes((1600, 1200)), alt="Delegates in a hall")
    data, meta = page_of(client, make_article(lead_picture=picture))
    assert meta["og:image"] == data["image"][0]["url"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "675")
    assert meta["og:image:type"] == "image/jpeg"
    assert meta["og:image:alt"] == "Delegates in a hall"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["twitter:image:alt"] == "Delegates in a hall"
    with PILImage.open(local_file(media_root, meta["og:image"])) as made:
        assert made.size == (1200, 675)


def test_a_story_without_a_picture_is_shared_with_the_site_card(client):
    data, meta = page_of(client, make_article())
    card = settings.SITE_URL + "/static/newsroom/share-default.png"
    assert data["image"] == [{"@type": "ImageObject", "url": card, "width": 1200, "height": 675}]
    assert meta["og:image"] == meta["twitter:image"] == card
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "675")
    assert meta["og:image:alt"] == settings.SITE_NAME
    assert meta["twitter:card"] == "summary_large_image"
    with PILImage.open(STATIC / "newsroom" / "share-default.png") as made:
        assert made.size == (1200, 675)


def test_the_publisher_has_its_logo(client):
    data, _ = page_of(client, make_article())
    assert data["publisher"] == {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL,
        "logo": {
            "@type": "ImageObject",
            "url": settings.SITE_URL + "/static/newsroom/logo.png",
            "width": 600,
            "height": 60,
        },
    }
    with PILImage.open(STATIC / "newsroom" / "logo.png") as logo:
        assert logo.size == (600, 60)


def test_the_author_is_the_byline_as_a_person(client):
    data, _ = page_of(client, make_article(byline="By Amina Reporter"))
    assert data["author"] == {"@type": "Person", "name": "Amina Reporter"}


def test_an_author_with_a_page_here_links_to_it(client):
    amina = make_person(name="Amina Reporter")
    data, _ = page_of(client, make_article(byline="Amina Reporter"))
    assert data["author"] == {
        "@type": "Person",
        "name": "Amina Reporter",
        "url": settings.SITE_URL + amina.get_absolute_url(),
    }


def test_an_author_the_story_mentions_is_linked_without_another_query(
    client, django_assert_num_queries
):
    amina = make_person(name="Amina Reporter")
    article = make_article(byline="Amina Reporter", people=[amina])
    other = make_article(byline="")
    with CaptureQueriesContext(connection) as without_byline:
        page_of(client, other)
    cache.clear()  # as for the first: the next scheduled moment looked up again
    with django_assert_num_queries(len(without_byline)):
        data, _ = page_of(client, article)
    assert data["author"]["url"] == settings.SITE_URL + amina.get_absolute_url()


def test_each_author_of_a_shared_byline_is_listed(client):
    karim = make_person(name="Karim Said")
    data, _ = page_of(client, make_article(byline="By Amina Reporter and Karim Said"))
    assert data["author"] == [
        {"@type": "Person", "name": "Amina Reporter"},
        {
            "@type": "Person",
            "name": "Karim Said",
            "url": settings.SITE_URL + karim.get_absolute_url(),
        },
    ]


def test_agency_copy_is_authored_by_the_newsroom_and_sourced_to_the_agency(client):
    article = make_article(byline="", source="SEE News", source_url="https://example.org/")
    data, _ = page_of(client, article)
    assert data["author"] == data["publisher"]
    assert data["sourceOrganization"] == {
        "@type": "Organization",
        "name": "SEE News",
        "url": "https://example.org/",
    }
    assert "creator" not in data


def test_a_bylined_story_from_a_source_keeps_both(client):
    data, _ = page_of(client, make_article(byline="Amina Reporter", source="SEE News"))
    assert data["author"]["name"] == "Amina Reporter"
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "SEE News"}


# Editions: each story in its own language ------------------------------------------------------


def test_an_english_story_is_in_english(client):
    data, meta = page_of(client, make_article())
    assert data["inLanguage"] == "en"
    assert meta["og:locale"] == "en_US"


def test_an_arabic_story_is_in_arabic_and_names_people_as_its_edition_does(client):
    naela = make_person(name="Naela Gabr", name_ar="نائلة جبر", slug="naela-gabr")
    karim = make_person(name="Karim Said", slug="karim-said")  # no Arabic name: the English one
    committee = make_organization(
        name="National Coordinating Committee", name_ar="اللجنة الوطنية التنسيقية", slug="ncc"
    )
    theme = make_theme(name="الاتجار بالبشر")
    article = make_article(
        language="ar",
        headline="اللجنة الوطنية تحذر من الاتجار بالأطفال",
        slug="تحذير-من-الاتجار",
        standfirst="مؤتمر في القاهرة.",
        body="<p>قال المسؤولون إن الهجرة غير النظامية تزيد المخاطر.</p>",
        people=[naela, karim],
        organizations=[committee],
        themes=[theme],
    )
    data, meta = page_of(client, article)
    site = settings.SITE_URL
    assert data["inLanguage"] == "ar"
    assert meta["og:locale"] == "ar_EG"
    assert data["url"] == f"{site}/ar/articles/{quote(article.slug)}/"
    assert data["headline"] == article.headline
    assert data["mentions"] == [
        {"@type": "Person", "name": "Karim Said", "url": f"{site}/ar/people/karim-said/"},
        {"@type": "Person", "name": "نائلة جبر", "url": f"{site}/ar/people/naela-gabr/"},
        {
            "@type": "Organization",
            "name": "اللجنة الوطنية التنسيقية",
            "url": f"{site}/ar/organizations/ncc/",
        },
    ]
    assert data["keywords"] == ["الاتجار بالبشر"]
    assert data["about"][0]["url"] == f"{site}/ar/themes/{quote(theme.slug)}/"


def test_the_data_of_a_story_is_in_its_edition_whichever_is_active():
    naela = make_person(name="Naela Gabr", name_ar="نائلة جبر", slug="naela-gabr")
    article = make_article(language="ar", slug="قصة", people=[naela])
    data = news_article_data(article, [], article.updated_at)  # English active, as in a shell
    assert data["inLanguage"] == "ar"
    assert data["mentions"][0]["name"] == "نائلة جبر"


def test_a_translation_and_its_original_point_at_each_other():
    original = make_article(headline="IOM warns of child trafficking", slug="iom-warns")
    translation = make_article(
        language="ar", headline="تحذير من الاتجار", slug="تحذير", translation_of=original
    )
    site = settings.SITE_URL
    english = news_article_data(original, [], original.updated_at, translation)
    arabic = news_article_data(translation, [], translation.updated_at, original)
    assert english["workTranslation"] == {
        "@type": "NewsArticle",
        "url": f"{site}/ar/articles/{quote(translation.slug)}/",
        "headline": "تحذير من الاتجار",
        "inLanguage": "ar",
    }
    assert arabic["translationOfWork"] == {
        "@type": "NewsArticle",
        "url": f"{site}/articles/iom-warns/",
        "headline": "IOM warns of child trafficking",
        "inLanguage": "en",
    }
    assert "translationOfWork" not in english and "workTranslation" not in arabic
    assert "workTranslation" not in news_article_data(original, [], original.updated_at)
