"""A fresh-eyes review of issue 16's two editions: what a reader, an editor, a partner or a
security reviewer would hit. Each test states the behaviour the issue (or DESIGN.md) promises;
a failing one is a defect, a passing one a check that held."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article, Quote
from newsroom import editions

from .factories import (
    make_article,
    make_correction,
    make_draft,
    make_quote_by,
    make_theme,
    make_two_editions,
)

pytestmark = pytest.mark.django_db

DAY = timezone.timedelta(days=1)


@pytest.fixture
def world():
    return make_two_editions()


def get(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code)
    return response


def text(client, url, status=200):
    return get(client, url, status).content.decode()


def hreflangs(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))


def render(source, value, language=editions.ARABIC):
    with editions.override(language):
        return Template("{% load editions %}" + source).render(Context({"value": value}))


# Translations: what the model lets an editor save -------------------------------------------


def test_an_original_cannot_move_into_its_translations_language(world):
    """Both stories in Arabic, each linking to the other as its translation: the check on the
    translation's side is bypassed by editing the original."""
    english = world["english"]
    english.language = editions.ARABIC
    with pytest.raises(ValidationError):
        english.full_clean()


def test_a_second_translation_in_the_same_language_is_a_validation_error(world):
    again = Article(
        headline="ترجمة ثانية",
        slug="ترجمة-ثانية",
        language="ar",
        translation_of=world["english"],
        body="<p>نص.</p>",
    )
    with pytest.raises(ValidationError):
        again.full_clean()


def test_a_translation_of_a_translation_and_loops_are_refused(world):
    chained = Article(
        headline="Chained", slug="chained", language="en", translation_of=world["arabic"]
    )
    with pytest.raises(ValidationError):
        chained.full_clean()
    english = world["english"]
    english.translation_of = world["arabic"]
    with pytest.raises(ValidationError):
        english.full_clean()
    same = Article(headline="Same", slug="same", language="en", translation_of=world["english"])
    with pytest.raises(ValidationError):
        same.full_clean()


def test_deleting_an_original_leaves_the_translation_standing_alone(client, world):
    arabic = world["arabic"]
    before = get(client, arabic.get_absolute_url())
    assert "Read in English" in before.content.decode() or "English" in hreflangs(
        before.content.decode()
    ).get("en", "English")
    assert get(client, arabic.get_absolute_url())["X-Cache"] == "hit"
    world["english"].delete()
    after = get(client, arabic.get_absolute_url())
    assert after["X-Cache"] == "miss"
    assert hreflangs(after.content.decode()) == {}
    assert "/articles/conference-opens/" not in after.content.decode()


def test_a_translated_quote_must_translate_words_from_the_other_edition(world):
    """A 'translation' of a quote in an article of the same language is no translation."""
    person = world["person"]
    other_english = make_article(headline="Another English story", people=[person])
    quote = Quote(
        person=person,
        article=other_english,
        text="Trafficking is a crime against children.",
        order=99,
        translation_of=world["said"],
    )
    with pytest.raises(ValidationError):
        quote.full_clean()


def test_a_translated_quote_cannot_translate_a_translation(world):
    """The original words are the ones said: a translation of a translation links to more
    translated words, never to what was said."""
    person = world["person"]
    another_english = make_article(headline="Yet another English story", people=[person])
    quote = Quote(
        person=person,
        article=another_english,
        text="Trafficking is a crime against children.",
        order=98,
        translation_of=world["translated"],
    )
    with pytest.raises(ValidationError):
        quote.full_clean()


# Nothing unpublished, nothing of the other edition ------------------------------------------


def test_the_theme_counts_of_each_edition_count_its_published_stories_only(client, world):
    theme_ar = world["theme_ar"]
    make_draft(headline="مسودة", slug="مسودة", language="ar", themes=[theme_ar])
    make_article(headline="English on an Arabic theme", themes=[theme_ar])
    html = text(client, "/ar/")
    assert re.search(r"الاتجار بالبشر</a> <span class=\"count\">1<", html), html
    assert not re.search(r"الاتجار بالبشر</a> <span class=\"count\">", text(client, "/"))


def theme_links(html):
    return set(re.findall(r'href="((?:/ar)?/themes/[^"/]+/)"', html))


def test_an_english_page_links_to_no_theme_page_that_is_missing(client, world):
    """An editor may tag an English story with an Arabic theme (the desk's autocomplete offers
    every theme): its teaser's kicker and its page's chips then link to the Arabic edition's
    page of that theme, a 404 when no Arabic story is on it."""
    lonely = make_theme(name="موضوع عربي")
    story = make_article(headline="English story, Arabic theme", slug="mixed", themes=[lonely])
    for url in ("/", "/articles/", story.get_absolute_url()):
        for link in theme_links(text(client, url)):
            assert client.get(link).status_code == 200, (url, link)


def test_search_in_each_edition_finds_its_own_stories_only(client, world):
    make_article(headline="English story quoting البشر", body="<p>البشر in English.</p>")
    make_draft(headline="مسودة عن البشر", slug="مسودة-البشر", language="ar")
    html = text(client, "/ar/search/?q=البشر")
    assert world["arabic"].headline in html
    assert "English story quoting" not in html and "مسودة عن البشر" not in html
    assert world["arabic"].headline not in text(client, "/search/?q=البشر")


def test_arabic_snippets_show_the_text_as_written(client, world):
    html = text(client, "/ar/search/?q=بشر")
    assert "البَشَرِ" in html


@pytest.mark.parametrize(
    "query",
    [
        "\u064e\u064f\u0650",  # only vowel marks
        "\u0640\u0640\u0640",  # only tatweel
        "ال",
        "ال ال ال",
        '"البشر',
        'البشر" OR headline : "x',
        "NEAR(البشر الاتجار)",
        "بشر* ^بشر {headline}:بشر",
        "-البشر",
        "البشر -",
        "\u200f\u200eالبشر\u061c",
    ],
)
def test_odd_arabic_queries_are_answered(client, world, query):
    response = client.get("/ar/search/", {"q": query})
    assert response.status_code == 200, query
    html = response.content.decode()
    assert "<mark>" not in html or world["arabic"].headline in html


def test_the_person_page_in_each_edition_lists_only_its_quotes_and_stories(client, world):
    person = world["person"]
    draft = make_draft(headline="مسودة نائلة", slug="مسودة-نائلة", language="ar", people=[person])
    make_quote_by(person, draft, text="كلمات في مسودة.")
    html = text(client, f"/ar/people/{person.slug}/")
    assert "الاتجار جريمة بحق الأطفال." in html
    assert "Trafficking is a crime against children." not in html
    assert "كلمات في مسودة." not in html and "مسودة نائلة" not in html
    html = text(client, f"/people/{person.slug}/")
    assert "الاتجار جريمة" not in html and world["arabic"].headline not in html


def test_the_organization_page_in_each_edition_lists_its_stories(client, world):
    org = world["organization"]
    html = text(client, f"/ar/organizations/{org.slug}/")
    assert world["arabic"].headline in html and world["english"].headline not in html


def test_related_stories_stay_in_the_edition(client, world):
    shared = make_theme(name="Shared theme")
    world["english"].themes.add(shared)
    world["arabic"].themes.add(shared)
    make_article(headline="Another English story on it", themes=[shared])
    html = text(client, world["arabic"].get_absolute_url())
    assert "Another English story on it" not in html


def test_the_news_sitemap_gives_each_edition_its_language(client, world):
    xml = text(client, "/ar/sitemap-news.xml")
    assert "<news:language>ar</news:language>" in xml
    assert "conference-opens" not in xml
    xml = text(client, "/sitemap-news.xml")
    assert "<news:language>en</news:language>" in xml and "<news:language>ar<" not in xml


def test_corrections_of_the_other_edition_stay_there(client, world):
    make_correction(world["english"], wrong="An English mistake.", right="English truth.")
    assert "An English mistake." not in text(client, "/ar/corrections/")
    assert "An English mistake." not in text(client, "/ar/corrections/feed/")
    assert "An English mistake." in text(client, "/corrections/feed/")


def test_the_api_lists_an_edition_without_drafts(client, world):
    make_draft(headline="مسودة في الواجهة", slug="مسودة-واجهة", language="ar")
    results = get(client, "/api/v1/articles/?language=ar").json()["results"]
    assert [item["slug"] for item in results] == [world["arabic"].slug]
    assert client.get("/api/v1/articles/?language=xx").status_code == 400


def test_a_theme_feed_is_there_only_when_the_edition_has_stories_on_it(client, world):
    """Like the theme's page (a 404 without a published story of the edition on it)."""
    lonely = make_theme(name="موضوع بلا قصص")
    make_article(headline="English story on the Arabic theme", themes=[lonely])
    get(client, lonely.get_absolute_url(), 404)
    get(client, lonely.get_absolute_url() + "feed/", 404)


# Cached pages: nothing crosses, nothing goes stale ------------------------------------------


def cached(client, url):
    get(client, url)
    assert get(client, url)["X-Cache"] == "hit", url


def test_the_original_words_link_goes_when_the_original_story_is_withdrawn(client, world):
    arabic, english = world["arabic"], world["english"]
    html = text(client, arabic.get_absolute_url())
    assert f"#quote-{world['said'].pk}" in html
    cached(client, arabic.get_absolute_url())
    english.status = Article.Status.UNPUBLISHED
    english.save()
    html = text(client, arabic.get_absolute_url())
    assert f"#quote-{world['said'].pk}" not in html
    assert hreflangs(html) == {} and english.get_absolute_url() not in html
    person_page = text(client, f"/ar/people/{world['person'].slug}/")
    assert f"#quote-{world['said'].pk}" not in person_page


def test_a_story_moved_to_the_other_edition_leaves_the_first(client, world):
    story = make_article(headline="Moving story", slug="moving-story")
    for url in ("/", "/articles/", "/articles/moving-story/", "/feed/"):
        cached(client, url)
    story.language = editions.ARABIC
    story.save()
    get(client, "/articles/moving-story/", 404)
    assert get(client, "/ar/articles/moving-story/").status_code == 200
    for url in ("/", "/articles/", "/feed/"):
        assert "Moving story" not in text(client, url), url
    assert "Moving story" in text(client, "/ar/")


def test_a_theme_moved_to_the_other_edition_leaves_the_english_front(client, world):
    theme_en = world["theme_en"]
    cached(client, "/")
    cached(client, f"/themes/{theme_en.slug}/")
    theme_en.language = editions.ARABIC
    theme_en.save()
    assert not re.search(r"Human trafficking</a> <span class=\"count\">", text(client, "/"))
    get(client, f"/themes/{theme_en.slug}/", 404)


def test_a_kept_teaser_follows_its_themes_move_to_the_other_edition(client, world):
    """The teaser cache's fingerprint names the kicker theme's language, which decides its
    address: once the theme is the other edition's, the English teaser no longer names it (it
    would link to /themes/human-trafficking/, a 404 since the move)."""
    theme_en = world["theme_en"]
    cached(client, "/")
    theme_en.language = editions.ARABIC
    theme_en.save()
    response = get(client, "/")
    assert response["X-Cache"] == "miss"
    html = response.content.decode()
    assert f'href="/themes/{theme_en.slug}/"' not in html
    assert f'href="{theme_en.get_absolute_url()}"' not in html


def test_relinking_a_translation_refreshes_both_originals(client, world):
    english, arabic = world["english"], world["arabic"]
    other = make_article(headline="Second English story", slug="second-english")
    cached(client, english.get_absolute_url())
    cached(client, other.get_absolute_url())
    arabic.translation_of = other
    arabic.save()
    assert arabic.get_absolute_url() not in text(client, english.get_absolute_url())
    assert "اقرأ بالعربية" in text(client, other.get_absolute_url())


def test_deleting_a_translation_refreshes_the_original(client, world):
    english = world["english"]
    cached(client, english.get_absolute_url())
    world["translated"].delete()
    world["arabic"].delete()
    html = text(client, english.get_absolute_url())
    assert "اقرأ بالعربية" not in html and hreflangs(html) == {}


def test_the_same_api_answer_is_not_served_for_the_other_language(client, world):
    english = get(client, "/api/v1/articles/?language=en").json()["results"]
    arabic = get(client, "/api/v1/articles/?language=ar").json()["results"]
    assert {item["language"] for item in english} == {"en"}
    assert {item["language"] for item in arabic} == {"ar"}


def test_an_etag_of_one_edition_gets_no_304_in_the_other(client, world):
    person = world["person"]
    english = get(client, f"/people/{person.slug}/")
    etag = english.get("ETag")
    assert etag
    response = client.get(f"/ar/people/{person.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200


# The isolate filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script> NCCPIM&TIP",
        '"><img src=x onerror=alert(1)> IOM',
        "IOM</bdi><script>x</script>",
        "&lt;script&gt; IOM",
    ],
)
def test_isolate_latin_escapes_plain_text(value):
    out = render("{{ value|isolate_latin }}", value)
    assert "<script" not in out and "<img" not in out
    assert out.count("<bdi>") == out.count("</bdi>")


def test_isolate_latin_keeps_entities_and_markup_of_a_body():
    body = mark_safe(
        '<p>قال <a href="https://x.org/?a=1&amp;b=2" title="a&gt;b">IOM &amp; UNICEF</a> '
        "&lt;script&gt; إن AT&amp;T</p>"
    )
    out = render("{{ value|isolate_latin }}", body)
    assert 'href="https://x.org/?a=1&amp;b=2"' in out and 'title="a&gt;b"' in out
    assert "<bdi>IOM</bdi> &amp; <bdi>UNICEF</bdi>" in out and "&lt;<bdi>script</bdi>&gt;" in out
    assert "<script" not in out and "&amp;amp;" not in out and "<bdi>AT&amp;T</bdi>" in out


def test_isolate_latin_in_english_and_through_linebreaksbr_escapes_once():
    out = render("{{ value|isolate_latin|linebreaksbr }}", "a < b & c\nd", editions.ENGLISH)
    assert out == "a &lt; b &amp; c<br>d"
    out = render("{{ value|isolate_latin|linebreaksbr }}", "أ < ب & IOM\nد")
    assert out == "أ &lt; ب &amp; <bdi>IOM</bdi><br>د"


def test_isolate_escapes_names():
    assert render("{{ value|isolate }}", "<b>Naela</b>") == "<bdi>&lt;b&gt;Naela&lt;/b&gt;</bdi>"
    out = render("{{ value|isolate }}", "<b>نائلة</b>", editions.ENGLISH)
    assert out == "<bdi>&lt;b&gt;نائلة&lt;/b&gt;</bdi>"


def test_a_crafted_body_stays_inert_on_the_arabic_page(client, world):
    arabic = world["arabic"]
    arabic.body = (
        '<p>نص <a href="https://x.org/" title="x>y">IOM</a> و'
        '<a href="https://x.org/" title=" onmouseover=alert(1) ">W</a>'
        "<!-- a > b --> &lt;img src=x onerror=alert(1)&gt;</p>"
    )
    arabic.save()
    html = text(client, arabic.get_absolute_url())
    body = html.split('class="story-body', 1)[-1] if 'class="story-body' in html else html
    assert "<img src=x" not in body and " onmouseover=alert(1) " not in body.replace(
        'title=" onmouseover=alert(1) "', ""
    )


# Addresses ----------------------------------------------------------------------------------


def test_ar_without_a_slash_goes_to_the_arabic_front_page(client, world):
    response = client.get("/ar")
    assert response.status_code in (301, 302) and response["Location"].endswith("/ar/")


@pytest.mark.parametrize(
    "url",
    [
        "/ar/ar/",
        "/ar/ar/articles/افتتاح-مؤتمر/",
        "/en/",
        "/ar/articles/conference-opens/",
        "/articles/افتتاح-مؤتمر/",
        "/ar/articles/%FF/",
        "/ar/articles/%D8/",
        "/ar/themes/%FF/",
        "/ar/themes/%FF/feed/",
        "/ar/people/%D9%86/",
        "/ar/people/%FF/",
        "/ar/organizations/%FF/",
        "/ar/preview/garbage/",
        "/ar/sitemap-nothing.xml",
        "/ar/sitemap-articles.xml?p=abc",
        "/ar/sitemap-articles.xml?p=99",
        "/ar/themes/human-trafficking/",
        "/themes/%D8%A7%D9%84%D8%A7%D8%AA%D8%AC%D8%A7%D8%B1-%D8%A8%D8%A7%D9%84%D8%A8%D8%B4%D8%B1/",
    ],
)
def test_odd_addresses_are_404s(client, world, url):
    assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "url",
    [
        "/ar/articles/?page=abc",
        "/ar/articles/?page=0",
        "/ar/articles/?page=99999999999999999999",
        "/ar/people/?page=abc",
        "/ar/organizations/?page=abc",
        "/ar/corrections/?page=abc",
        "/ar/search/?q=البشر&page=abc",
        "/ar/themes/?page=abc",
        "/ar/people/naela-gabr/?page=abc",
        "/ar/organizations/?page=-1",
        "/ar/?page=abc",
    ],
)
def test_odd_pages_are_never_500s(client, world, url):
    assert client.get(url).status_code < 500, url


def test_an_arabic_slug_works_percent_encoded_and_not(client, world):
    arabic = world["arabic"]
    url = arabic.get_absolute_url()
    assert "%D8" in url  # the address as links carry it
    assert client.get(url).status_code == 200
    assert client.get("/ar/articles/افتتاح-مؤتمر/").status_code == 200
    # And the arabic theme's page, addressed as its link is
    assert client.get(world["theme_ar"].get_absolute_url()).status_code == 200


def test_hreflang_links_point_at_pages_that_exist(client, world):
    for url in (
        world["english"].get_absolute_url(),
        world["arabic"].get_absolute_url(),
        "/",
        "/ar/",
        "/ar/people/naela-gabr/",
        "/ar/themes/",
        "/ar/corrections/",
        "/ar/organizations/",
    ):
        for alternate in hreflangs(text(client, url)).values():
            path = alternate.split("://", 1)[-1].split("/", 1)[-1]
            assert client.get("/" + path).status_code == 200, (url, alternate)


def test_sitemap_alternates_point_at_pages_that_exist(client, world):
    make_draft(headline="مسودة", slug="مسودة-ترجمة", language="ar", translation_of=None)
    for url in ("/sitemap-articles.xml", "/ar/sitemap-articles.xml", "/ar/sitemap-pages.xml"):
        for link in re.findall(r'hreflang="[^"]+" href="([^"]+)"', text(client, url)):
            path = link.split("://", 1)[-1].split("/", 1)[-1]
            assert client.get("/" + path).status_code == 200, (url, link)


# The desk's language ------------------------------------------------------------------------


def test_the_desk_follows_the_editors_cookie(editor_client):
    editor_client.cookies["django_language"] = "ar"
    html = text(editor_client, "/admin/")
    assert 'lang="ar"' in html and 'dir="rtl"' in html


def test_the_desk_follows_accept_language_without_a_cookie(editor_client):
    html = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9").content.decode()
    assert 'lang="ar"' in html


def test_a_bad_desk_language_is_ignored(editor_client):
    editor_client.cookies["django_language"] = "xx"
    html = text(editor_client, "/admin/")
    assert 'lang="en"' in html
    response = editor_client.post("/i18n/setlang/", {"language": "xx", "next": "/admin/"})
    assert response.status_code in (302, 204)
    assert response.cookies.get("django_language") is None


def test_set_language_never_sends_the_editor_off_site(editor_client):
    for next_url in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = editor_client.post("/i18n/setlang/", {"language": "ar", "next": next_url})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"], next_url


def test_the_desk_cookie_does_not_change_a_public_page(client, world):
    client.cookies["django_language"] = "ar"
    response = get(client, "/")
    assert 'lang="en"' in response.content.decode() and response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_desks_choice_then_back_to_the_desk(editor_client):
    response = editor_client.post("/i18n/setlang/", {"language": "ar", "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert 'lang="ar"' in text(editor_client, "/admin/")


# Database constraints answer as forms would --------------------------------------------------


def test_the_unique_translation_constraint_is_a_database_guard_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            headline="ترجمة أخرى",
            slug="ترجمة-أخرى",
            language="ar",
            translation_of=world["english"],
            body="<p>نص.</p>",
        )


def test_a_translated_quote_stays_marked_when_its_original_goes(client, world):
    """'A translated quote ... is never shown as the speaker's exact words': deleting the English
    story (its quotes go with it) sets the Arabic quote's translation_of to NULL, and the page
    then prints the translated words in quotation marks as what was said."""
    world["english"].delete()
    html = text(client, world["arabic"].get_absolute_url())
    assert "quote-translated" in html
    assert "“الاتجار جريمة بحق الأطفال.”" not in html


# Search: the language column of the SQLite index -------------------------------------------


def test_the_word_en_finds_only_stories_that_say_it(client, world):
    """SQLite's FTS5 index holds each story's language as a word in a column of its own; a
    reader's terms are not confined to the text columns, so "en" (or "ar" in the Arabic
    edition) matches every story of the edition through that column."""
    make_article(headline="Nothing about it", body="<p>Plain words.</p>")
    html = text(client, "/search/?q=en")
    assert "Nothing about it" not in html and world["english"].headline not in html
    html = text(client, "/ar/search/?q=ar")
    assert world["arabic"].headline not in html


def test_the_desks_search_for_en_finds_only_stories_that_say_it(world):
    from articles.search import Search

    make_article(headline="Nothing about it", body="<p>Plain words.</p>")
    found = Search.from_input("en").within(Article.objects.all())
    assert list(found) == []


def test_latin_words_in_arabic_stories_are_found_in_the_arabic_edition(client, world):
    assert world["arabic"].headline in text(client, "/ar/search/?q=NCCPIM")


def test_an_arabic_drafts_preview_is_an_arabic_page(client, world, editor):
    from workflow.services import create_preview_link

    draft = make_draft(
        headline="مسودة للمعاينة", slug="مسودة-معاينة", language="ar", body="<p>نص IOM.</p>"
    )
    _link, token = create_preview_link(article=draft, by=editor, lifetime=DAY)
    for url in (f"/preview/{token}/", f"/ar/preview/{token}/"):
        response = get(client, url)
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html and "<bdi>IOM</bdi>" in html, url
        assert response["Content-Language"] == "ar", url


def test_the_desks_form_refuses_a_second_translation_with_a_message(rf, world, editor):
    """Lightly (the desk is in progress): the admin's own form, not a 500 from the constraint."""
    from django.contrib import admin

    request = rf.get("/admin/articles/article/add/")
    request.user = editor
    model_admin = admin.site._registry[Article]
    form_class = model_admin.get_form(request)
    form = form_class(
        data={
            "headline": "ترجمة ثانية",
            "slug": "ترجمة-ثانية",
            "language": "ar",
            "translation_of": world["english"].pk,
            "body": "<p>نص.</p>",
            "status": "draft",
        }
    )
    assert not form.is_valid()
    assert "translation_of" in form.errors or "__all__" in form.errors, form.errors


# The API's editions ------------------------------------------------------------------------


def test_the_api_finds_an_arabic_story_by_its_slug_and_hides_a_draft_translation(client, world):
    arabic, english = world["arabic"], world["english"]
    body = get(client, f"/api/v1/articles/{arabic.slug}/").json()
    assert body["language"] == "ar"
    assert get(client, f"/api/v1/articles/{english.slug}/").json()["translation"]
    arabic.status = Article.Status.DRAFT
    arabic.save()
    assert client.get(f"/api/v1/articles/{arabic.slug}/").status_code == 404
    assert not get(client, f"/api/v1/articles/{english.slug}/").json()["translation"]
    ninjs = text(client, f"/api/v1/articles/{english.slug}.ninjs")
    assert arabic.slug not in ninjs and str(arabic.uid) not in ninjs


def test_the_api_counts_each_editions_themes_without_drafts(client, world):
    theme_ar = world["theme_ar"]
    make_draft(headline="مسودة", slug="مسودة-موضوع", language="ar", themes=[theme_ar])
    make_article(headline="English on the Arabic theme", themes=[theme_ar])
    results = get(client, "/api/v1/themes/?language=ar").json()["results"]
    counts = {item["slug"]: item["article_count"] for item in results}
    assert counts == {theme_ar.slug: 1}, results


def test_remembered_counts_stay_in_their_edition(client, world):
    person = world["person"]
    for n in range(21):
        make_article(headline=f"English story {n}", people=[person])
    assert client.get("/articles/?page=2").status_code == 200
    assert client.get("/ar/articles/?page=2").status_code == 404
    english = text(client, f"/people/{person.slug}/?page=2")
    arabic = text(client, f"/ar/people/{person.slug}/?page=2")
    assert world["english"].headline in english and "English story" not in arabic
    assert 'rel="next"' not in text(client, f"/ar/people/{person.slug}/")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_desks_pages_for_an_arabic_story_answer(editor_client, world, language):
    """Lightly (the desk is in progress): its lists and forms in either language."""
    editor_client.cookies["django_language"] = language
    arabic = world["arabic"]
    for url in (
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/?q=البشر",
        "/admin/articles/article/?q=ال",
        f"/admin/articles/article/{arabic.pk}/change/",
        "/admin/articles/article/add/",
        f"/admin/articles/quote/{world['translated'].pk}/change/",
        f"/admin/people/person/{world['person'].pk}/change/",
        f"/admin/articles/theme/{world['theme_ar'].pk}/change/",
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
