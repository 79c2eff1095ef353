"""The content API and the two editions: each article's language, a `language` filter, the link
between a story and its translation (JSON and ninjs, valid against IPTC's schemas), Arabic names
in ninjs for an Arabic story, Arabic slugs, and the same query budgets with translations."""

from urllib.parse import quote

import pytest
from django.conf import settings

from articles.models import Article

from .factories import (
    make_article,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_theme,
)
from .test_ninjs import assert_valid

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
RENDERING = 2  # the change clock and the next scheduled moment (as in tests/test_api.py)


def get(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:300]
    return response.json()


def slugs(body):
    return [item["slug"] for item in body["results"]]


def make_arabic(**fields):
    fields.setdefault("headline", "المنظمة الدولية للهجرة تحذر من الاتجار بالأطفال")
    fields.setdefault("standfirst", "مؤتمر في القاهرة عن حماية الطفل.")
    fields.setdefault("body", "<p>قال المسؤولون إن الهجرة غير النظامية تزيد المخاطر.</p>")
    return make_article(language="ar", **fields)


@pytest.fixture
def pair():
    """An English story and its published Arabic translation (with an Arabic slug)."""
    original = make_article(headline="IOM warns of child trafficking", slug="iom-warns")
    translation = make_arabic(slug="الهجرة-تحذر", translation_of=original)
    return original, translation


def test_every_article_says_its_language(client, pair):
    original, translation = pair
    body = get(client, "/api/v1/articles/")
    assert {item["slug"]: item["language"] for item in body["results"]} == {
        original.slug: "en",
        translation.slug: "ar",
    }


def test_the_list_filters_by_edition(client, pair):
    original, translation = pair
    other = make_article()
    assert set(slugs(get(client, "/api/v1/articles/"))) == {
        original.slug,
        translation.slug,
        other.slug,
    }
    assert set(slugs(get(client, "/api/v1/articles/?language=en"))) == {original.slug, other.slug}
    assert slugs(get(client, "/api/v1/articles/?language=ar")) == [translation.slug]


@pytest.mark.parametrize("value", ["fr", "AR", "", "en-GB", "ar,en"])
def test_an_unknown_language_is_a_400_naming_the_parameter(client, value):
    body = get(client, f"/api/v1/articles/?language={quote(value)}", 400)
    assert body["parameter"] == "language"
    assert body["code"] == "invalid_parameter"
    assert "one of en, ar" in body["detail"]


def test_the_translation_links_both_ways(client, pair):
    original, translation = pair
    english = get(client, f"/api/v1/articles/{original.slug}/")
    arabic = get(client, f"/api/v1/articles/{quote(translation.slug)}/")
    assert english["translation"] == {
        "id": str(translation.uid),
        "slug": translation.slug,
        "language": "ar",
        "headline": translation.headline,
        "url": f"{SITE}/ar/articles/{quote(translation.slug)}/",
    }
    assert arabic["translation"] == {
        "id": str(original.uid),
        "slug": original.slug,
        "language": "en",
        "headline": original.headline,
        "url": f"{SITE}/articles/{original.slug}/",
    }
    assert arabic["url"] == f"{SITE}/ar/articles/{quote(translation.slug)}/"


def test_an_unpublished_translation_is_not_linked(client):
    original = make_article()
    make_draft(language="ar", headline="مسودة", slug="مسودة", translation_of=original)
    assert get(client, f"/api/v1/articles/{original.slug}/")["translation"] is None
    get(client, f"/api/v1/articles/{quote('مسودة')}/", 404)
    scheduled_original = make_draft()
    shown = make_arabic(translation_of=scheduled_original)
    assert get(client, f"/api/v1/articles/{shown.uid}/")["translation"] is None


def test_ninjs_carries_the_language_and_the_translation_as_an_association(client, pair):
    original, translation = pair
    for version in ("2.2", "3.1"):
        english = get(client, f"/api/v1/articles/{original.slug}.ninjs?version={version}")
        arabic = get(client, f"/api/v1/articles/{quote(translation.slug)}.ninjs?version={version}")
        assert_valid(english, version)
        assert_valid(arabic, version)
        assert (english["language"], arabic["language"]) == ("en", "ar")
        page = "versionCreated" if version == "3.1" else "versioncreated"
        assert page in english
        (to_arabic,) = english["associations"]
        (to_english,) = arabic["associations"]
        web = {"name": "web", "href": f"{SITE}/ar/articles/{quote(translation.slug)}/"}
        assert to_arabic["name"] == "translation"
        assert to_arabic["uri"] == f"urn:uuid:{translation.uid}"
        assert to_arabic["language"] == "ar"
        assert to_arabic["headlines"][0]["value"] == translation.headline
        (rendition,) = to_arabic["renditions"]
        assert {key: rendition[key] for key in web} == web
        assert to_english["name"] == "original"
        assert to_english["uri"] == f"urn:uuid:{original.uid}"
        assert to_english["language"] == "en"
        # ninjs 3 says how the two relate; ninjs 2 has no place for it.
        expected_rel = "translation" if version == "3.1" else None
        assert to_arabic.get("rel") == to_english.get("rel") == expected_rel


def test_a_story_without_a_translation_has_no_association(client):
    article = make_article()
    document = get(client, f"/api/v1/articles/{article.slug}.ninjs")
    assert "associations" not in document
    assert get(client, f"/api/v1/articles/{article.slug}/")["translation"] is None


def test_ninjs_of_an_arabic_story_names_people_and_organizations_in_arabic(client):
    person = make_person(name="Naela Gabr", name_ar="نائلة جبر", slug="naela-gabr")
    organization = make_organization(
        name="National Coordinating Committee", name_ar="اللجنة الوطنية التنسيقية", slug="nccpim"
    )
    plain = make_person(name="Karim Said", slug="karim-said")  # no Arabic name: the English one
    make_role_at(person, organization, title="Chairperson", title_ar="رئيسة اللجنة")
    arabic = make_arabic(people=[person, plain], organizations=[organization])
    english = make_article(people=[person], organizations=[organization])
    make_quote_by(plain, arabic, capacity="")
    for version in ("2.2", "3.1"):
        document = get(client, f"/api/v1/articles/{arabic.uid}.ninjs?version={version}")
        assert_valid(document, version)
        assert document["people"] == [
            {"name": "Karim Said", "uri": f"{SITE}/people/karim-said/"},
            {
                "name": "نائلة جبر",
                "uri": f"{SITE}/people/naela-gabr/",  # their one identity, in either edition
                "rel": "رئيسة اللجنة, اللجنة الوطنية التنسيقية",
            },
        ]
        assert document["organisations"] == [
            {"name": "اللجنة الوطنية التنسيقية", "uri": f"{SITE}/organizations/nccpim/"}
        ]
    document = get(client, f"/api/v1/articles/{english.slug}.ninjs")
    assert [p["name"] for p in document["people"]] == ["Naela Gabr"]
    assert document["people"][0]["rel"] == "Chairperson, National Coordinating Committee"
    assert [o["name"] for o in document["organisations"]] == ["National Coordinating Committee"]


def test_arabic_themes_are_the_arabic_storys_subjects(client):
    theme = make_theme(name="الاتجار بالبشر")
    assert theme.language == "ar"
    article = make_arabic(themes=[theme])
    document = get(client, f"/api/v1/articles/{article.uid}.ninjs")
    assert document["subjects"] == [
        {"name": "الاتجار بالبشر", "uri": f"{SITE}/ar/themes/{quote(theme.slug)}/"}
    ]


def test_the_document_describes_the_language_filter_and_fields(client, db):
    document = client.get("/api/v1/schema/").json()
    parameters = document["paths"]["/api/v1/articles/"]["get"]["parameters"]
    (language,) = [p for p in parameters if p["name"] == "language"]
    assert language["in"] == "query"
    assert set(language["schema"]["enum"]) == {"en", "ar"}
    assert "Arabic" in language["description"]
    fields = document["components"]["schemas"]["Article"]["properties"]
    assert {"language", "translation"} <= set(fields)
    assert set(document["paths"]) >= {"/api/v1/articles/{key}/", "/api/v1/articles/{key}.ninjs"}


# Query budgets: translations come by joins, so the budgets of tests/test_api.py hold ---------


@pytest.fixture
def uncached(settings):
    settings.PUBLIC_PAGE_CACHE = False


def translated_pairs(count):
    for n in range(count):
        person = make_person()
        make_role_at(person, make_organization())
        original = make_article(people=[person])
        make_arabic(slug=f"قصة-{n}", translation_of=original, people=[person])


@pytest.mark.parametrize("count", [1, 30])
def test_translations_add_no_query(client, uncached, django_assert_num_queries, count):
    translated_pairs(count)
    with django_assert_num_queries(RENDERING + 6):
        body = get(client, f"/api/v1/articles/?page_size={2 * count}")
    assert len(body["results"]) == 2 * count
    assert all(item["translation"] is not None for item in body["results"])
    arabic = Article.objects.filter(language="ar").first()
    with django_assert_num_queries(1 + 6):  # the next scheduled moment is kept: the clock only
        get(client, f"/api/v1/articles/{arabic.uid}/")
    with django_assert_num_queries(1 + 7):
        get(client, f"/api/v1/articles/{arabic.uid}.ninjs")


def test_cached_answers_never_cross_editions(client, settings, pair):
    settings.PUBLIC_PAGE_CACHE = True
    original, translation = pair
    for _ in range(2):  # the second time from the cache
        assert slugs(get(client, "/api/v1/articles/?language=ar")) == [translation.slug]
        assert slugs(get(client, "/api/v1/articles/?language=en")) == [original.slug]


def test_the_themes_api_lists_both_editions_themes_or_one(client):
    from .factories import make_article, make_theme

    english, arabic = make_theme(name="Migration"), make_theme(name="الهجرة")
    make_article(themes=[english])
    make_article(language="ar", themes=[arabic])
    slugs = lambda url: [theme["slug"] for theme in client.get(url).json()["results"]]  # noqa: E731
    assert slugs("/api/v1/themes/") == [english.slug, arabic.slug]
    assert slugs("/api/v1/themes/?language=ar") == [arabic.slug]
    assert slugs("/api/v1/themes/?language=en") == [english.slug]
    found = client.get(f"/api/v1/themes/{arabic.slug}/").json()
    assert found["language"] == "ar" and found["url"].endswith(f"/ar/themes/{quote(arabic.slug)}/")
    assert client.get("/api/v1/themes/?language=fr").status_code == 400
