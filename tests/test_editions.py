"""Two editions, English at / and Arabic at /ar/: each lists only its own language's stories, a
story and its translation link to each other (and say so to search engines with hreflang), and
nothing cached for one edition is served in the other."""

import re

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article

from .factories import (
    make_article,
    make_correction,
    make_person,
    make_two_editions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_two_editions()


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


# Each edition its own ---------------------------------------------------------------------------


def test_the_arabic_edition_lives_under_ar_with_the_same_shapes_and_an_arabic_slug(client, world):
    arabic, english = world["arabic"], world["english"]
    assert (
        arabic.get_absolute_url()
        == "/ar/articles/%D8%A7%D9%81%D8%AA%D8%AA%D8%A7%D8%AD-%D9%85%D8%A4%D8%AA%D9%85%D8%B1/"
    )
    assert english.get_absolute_url() == "/articles/conference-opens/"
    html = page(client, arabic.get_absolute_url())
    assert '<html lang="ar" dir="rtl">' in html
    assert arabic.headline in html
    # Each story exists in its own edition only.
    page(client, "/articles/افتتاح-مؤتمر/", status=404)
    page(client, "/ar/articles/conference-opens/", status=404)
    assert '<html lang="en" dir="ltr">' in page(client, english.get_absolute_url())


@pytest.mark.parametrize(
    "english_url, arabic_url",
    [("/", "/ar/"), ("/articles/", "/ar/articles/"), ("/feed/", "/ar/feed/")],
)
def test_each_editions_lists_and_feeds_show_only_its_language(
    client, world, english_url, arabic_url
):
    english, arabic = world["english"].headline, world["arabic"].headline
    in_english, in_arabic = page(client, english_url), page(client, arabic_url)
    assert english in in_english and arabic not in in_english
    assert arabic in in_arabic and english not in in_arabic


def test_the_arabic_feed_says_its_language(client, world):
    assert 'xml:lang="ar"' in page(client, "/ar/feed/")
    assert 'xml:lang="en"' in page(client, "/feed/")


def test_themes_belong_to_one_edition(client, world):
    theme_ar, theme_en = world["theme_ar"], world["theme_en"]
    assert theme_ar.language == "ar"  # made from an Arabic name
    assert theme_ar.get_absolute_url().startswith("/ar/themes/")
    assert world["arabic"].headline in page(client, theme_ar.get_absolute_url())
    page(client, "/themes/" + theme_ar.slug + "/", status=404)
    page(client, "/ar/themes/" + theme_en.slug + "/", status=404)
    arabic_list = page(client, "/ar/themes/")
    assert theme_ar.name in arabic_list and theme_en.name not in arabic_list
    english_list = page(client, "/themes/")
    assert theme_en.name in english_list and theme_ar.name not in english_list
    assert world["arabic"].headline in page(client, f"/ar/themes/{theme_ar.slug}/feed/")


def test_a_person_is_shared_and_each_edition_lists_their_quotes_and_stories_in_it(client, world):
    person = world["person"]
    english = page(client, f"/people/{person.slug}/")
    arabic = page(client, f"/ar/people/{person.slug}/")
    assert "Naela Gabr" in english and "نائلة جبر" not in english
    assert "نائلة جبر" in arabic
    assert world["said"].text in english and world["translated"].text not in english
    assert world["translated"].text in arabic and world["said"].text not in arabic
    assert world["english"].headline in english and world["arabic"].headline not in english
    assert world["arabic"].headline in arabic and world["english"].headline not in arabic


def test_an_organization_lists_each_editions_stories(client, world):
    organization = world["organization"]
    english = page(client, f"/organizations/{organization.slug}/")
    arabic = page(client, f"/ar/organizations/{organization.slug}/")
    assert world["english"].headline in english and world["arabic"].headline not in english
    assert world["arabic"].headline in arabic and world["english"].headline not in arabic
    assert "اللجنة الوطنية" in arabic
    assert "مصر" in arabic and "Egypt" not in arabic
    assert "Egypt" in english and "مصر" not in english
    directory = page(client, "/ar/organizations/")
    assert "مصر" in directory and "Egypt" not in directory


def test_corrections_are_listed_in_their_storys_edition(client, world):
    make_correction(world["arabic"], wrong="خطأ في التاريخ", right="التاريخ الصحيح")
    assert "خطأ في التاريخ" in page(client, "/ar/corrections/")
    assert "خطأ في التاريخ" not in page(client, "/corrections/")
    assert "خطأ في التاريخ" in page(client, "/ar/corrections/feed/")
    assert "خطأ في التاريخ" not in page(client, "/corrections/feed/")


def test_each_edition_has_its_sitemaps_and_robots_names_both(client, world):
    english = page(client, "/sitemap-articles.xml")
    arabic = page(client, "/ar/sitemap-articles.xml")
    assert (
        "/articles/conference-opens/" in english
        and "/ar/articles/" not in english.split("<xhtml:link")[0]
    )
    assert "<loc>http://testserver/ar/articles/" in arabic or "/ar/articles/" in arabic
    assert "conference-opens/</loc>" not in arabic
    assert "/ar/sitemap-articles.xml" in page(client, "/ar/sitemap.xml")
    news = page(client, "/ar/sitemap-news.xml")
    assert "<news:language>ar</news:language>" in news and world["arabic"].headline in news
    assert "<news:language>en</news:language>" in page(client, "/sitemap-news.xml")
    robots = page(client, "/robots.txt")
    assert re.search(r"Sitemap: \S+/sitemap\.xml", robots)
    assert re.search(r"Sitemap: \S+/ar/sitemap\.xml", robots)
    assert re.search(r"Sitemap: \S+/ar/sitemap-news\.xml", robots)


# Translations are links --------------------------------------------------------------------------


def hreflangs(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_a_story_and_its_translation_link_to_each_other_with_hreflang_both_ways(client, world):
    english, arabic = world["english"], world["arabic"]
    in_english = page(client, english.get_absolute_url())
    in_arabic = page(client, arabic.get_absolute_url())
    assert f'href="{arabic.get_absolute_url()}"' in in_english and "اقرأ بالعربية" in in_english
    assert f'href="{english.get_absolute_url()}"' in in_arabic and "Read in English" in in_arabic
    for html in (in_english, in_arabic):
        links = hreflangs(html)
        assert links["en"].endswith(english.get_absolute_url())
        assert links["ar"].endswith(arabic.get_absolute_url())
        assert links["x-default"] == links["en"]
    assert '<meta property="og:locale" content="ar_EG">' in in_arabic
    assert '<meta property="og:locale" content="en_US">' in in_english


def test_an_unpublished_translation_is_neither_linked_nor_announced(client, world):
    english, arabic = world["english"], world["arabic"]
    arabic.status = Article.Status.DRAFT
    arabic.save()
    html = page(client, english.get_absolute_url())
    assert "اقرأ بالعربية" not in html and arabic.get_absolute_url() not in html
    assert hreflangs(html) == {}


def test_publishing_a_translation_refreshes_the_cached_original(client, world):
    english, arabic = world["english"], world["arabic"]
    arabic.status = Article.Status.DRAFT
    arabic.save()
    assert "اقرأ بالعربية" not in page(client, english.get_absolute_url())
    assert client.get(english.get_absolute_url())["X-Cache"] == "hit"
    arabic.status = Article.Status.PUBLISHED
    arabic.save()
    response = client.get(english.get_absolute_url())
    assert response["X-Cache"] == "miss" and "اقرأ بالعربية" in response.content.decode()


def test_the_sitemaps_carry_the_translations_hreflang_with_x_default(client, world):
    english, arabic = world["english"], world["arabic"]
    for url in ("/sitemap-articles.xml", "/ar/sitemap-articles.xml"):
        xml = page(client, url)
        links = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', xml))
        assert links["en"].endswith(english.get_absolute_url())
        assert links["ar"].endswith(arabic.get_absolute_url())
        assert links["x-default"] == links["en"]
    people = page(client, "/ar/sitemap-people.xml")
    assert 'hreflang="en" href="http' in people and f"/ar/people/{world['person'].slug}/" in people


def test_shared_pages_announce_both_editions(client, world):
    links = hreflangs(page(client, "/ar/"))
    assert links["ar"].endswith("/ar/") and links["en"].endswith("/")
    links = hreflangs(page(client, f"/people/{world['person'].slug}/"))
    assert links["ar"].endswith(f"/ar/people/{world['person'].slug}/")
    # A theme is one edition's: no alternate to point at.
    assert hreflangs(page(client, world["theme_en"].get_absolute_url())) == {}


def test_a_translated_quote_is_marked_and_links_to_the_original_words(client, world):
    html = page(client, world["arabic"].get_absolute_url())
    translated, said = world["translated"], world["said"]
    figure = re.search(
        rf'<figure class="quote quote-translated" id="quote-{translated.pk}">(.*?)</figure>',
        html,
        re.S,
    )
    assert figure, "the translated quote is marked as a translation"
    assert "“" not in figure.group(1)  # not presented as the speaker's exact words
    assert f"{world['english'].get_absolute_url()}#quote-{said.pk}" in figure.group(1)
    # The original, on the English page, is the speaker's words, in quotation marks.
    assert f"“{said.text}”" in page(client, world["english"].get_absolute_url())


def test_a_translation_must_link_two_languages_and_one_original(world):
    english, arabic = world["english"], world["arabic"]
    other_english = make_article(headline="Another English story")
    for story, original in [
        (other_english, english),  # same language
        (english, english),  # itself
        (make_article(language="en", headline="x"), arabic),  # a translation is not an original
    ]:
        story.translation_of = original
        with pytest.raises(ValidationError) as error:
            story.full_clean()
        assert "translation_of" in error.value.message_dict
    english.translation_of = make_article(language="ar", headline="أصل")
    with pytest.raises(ValidationError):  # it has a translation of its own: it is an original
        english.full_clean()


# Right to left, mixed direction -----------------------------------------------------------------


def test_latin_runs_inside_arabic_text_are_isolated(client, world):
    html = page(client, world["arabic"].get_absolute_url())
    assert "اللجنة <bdi>NCCPIM&amp;TIP</bdi>، إن" in html  # the standfirst
    assert "الوطنية <bdi>NCCPIM&amp;TIP</bdi>، المؤتمر" in html  # the body
    english = page(client, world["english"].get_absolute_url())
    assert "<bdi>" not in english.split("<main")[1].split("Organizations in this story")[0]


# Caches never cross editions ---------------------------------------------------------------------


def test_cached_pages_and_remembered_lists_stay_in_their_edition(client, world):
    # The front page and the themes list of each edition, cached one after the other: the
    # remembered theme counts and kept teasers of one are not served to the other.
    for _round in range(2):
        english, arabic = page(client, "/themes/"), page(client, "/ar/themes/")
        assert world["theme_en"].name in english and world["theme_ar"].name not in english
        assert world["theme_ar"].name in arabic and world["theme_en"].name not in arabic
        english, arabic = page(client, "/"), page(client, "/ar/")
        assert world["english"].headline in english and world["arabic"].headline not in english
        assert world["arabic"].headline in arabic and world["english"].headline not in arabic
    assert client.get("/ar/")["X-Cache"] == "hit"
    assert client.get("/ar/")["Content-Language"] == "ar"
    assert client.get("/")["ETag"] != client.get("/ar/")["ETag"]


def test_the_arabic_directory_is_in_arabic_alphabetical_order(client, world):
    make_person(name="Aaron Adams", name_ar="ياسر عادل")
    make_person(name="Zoe Zaki", name_ar="أحمد زكي")
    english, arabic = page(client, "/people/"), page(client, "/ar/people/")
    assert english.index("Aaron Adams") < english.index("Zoe Zaki")
    assert arabic.index("أحمد زكي") < arabic.index("ياسر عادل")
