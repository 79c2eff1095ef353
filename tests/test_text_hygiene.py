"""Whatever text editors paste, every feed, sitemap, page and API response still answers.

One U+000B (what Word's Shift+Enter pastes) in a headline used to take every feed down with a 500
("Control characters are not supported in XML 1.0"). Text is cleaned on save (newsroom/text.py):
no C0 control but tab and the newlines, and NFC. Here Hypothesis writes arbitrary text, heavy in
control characters, markup and combining marks, into every text field of the content models,
saves them through save(), and reads everything public back.

Not written: slugs, choices and URL fields (their form fields refuse what is not one of those),
and the text an article derives on save (body_text, search_keywords).
"""

import json
import re
import unicodedata
from urllib.parse import quote as urlquote

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from articles.models import Article, Correction, Quote, Theme
from people.models import Organization, Person, Role

pytestmark = pytest.mark.django_db

NASTY = "\x00\x02\x03\x07\x0b\x0c\x1b\x1f\x7f\t\n\r&<>\"';\u0301\u0308\u200f\ufeff\ufffd"
# Any character but lone surrogates (which no form or UTF-8 request can carry), with the
# troublesome ones often.
CHARACTERS = st.characters(blacklist_categories=("Cs",))
TEXT = st.text(alphabet=st.one_of(st.sampled_from(NASTY), CHARACTERS), max_size=40)
NOT_WRITTEN = {"body_text", "search_keywords"}
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
XML_PATHS = ["/feed/", "/corrections/feed/", "/sitemap.xml", "/sitemap-news.xml"]


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.URLField)
        and not field.choices
        and field.name not in NOT_WRITTEN
    ]


def fill(model, draw_text, **fields):
    """An unsaved `model` with arbitrary text in every text field (kept within max_length even
    if NFC lengthens it: at most a third of it)."""
    for field in text_fields(model):
        value = draw_text()
        if field.max_length:
            value = value[: field.max_length // 3]
        fields.setdefault(field.name, value)
    return model(**fields)


def assert_clean(instance):
    instance.refresh_from_db()
    for field in text_fields(type(instance)):
        value = getattr(instance, field.attname)
        assert not FORBIDDEN.search(value), (type(instance).__name__, field.name, value)
        assert unicodedata.is_normalized("NFC", value), (type(instance).__name__, field.name)


def get(client, path):
    response = client.get(path)
    assert response.status_code < 500, path
    return response


@pytest.fixture
def page_cache_off(settings):
    settings.PUBLIC_PAGE_CACHE = False


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_text_in_any_field_is_stored_clean_and_read_back_without_a_500(
    client, page_cache_off, data
):
    def draw():
        return data.draw(TEXT)

    with transaction.atomic():
        now = timezone.now()
        theme = fill(Theme, draw)
        theme.save()
        person = fill(Person, draw, slug="someone")
        person.save()
        organization = fill(Organization, draw, slug="somewhere")
        organization.save()
        role = fill(Role, draw, person=person, organization=organization)
        role.save()
        article = fill(
            Article, draw, slug="story", status=Article.Status.PUBLISHED, published_at=now
        )
        article.save()
        article.themes.add(theme)
        article.people.add(person)
        article.organizations.add(organization)
        quote = fill(Quote, draw, article=article, person=person, order=1)
        quote.save()
        correction = fill(Correction, draw, article=article, published_at=now)
        correction.save()

        for instance in (theme, person, organization, role, article, quote, correction):
            assert_clean(instance)

        paths = XML_PATHS + [
            f"/themes/{urlquote(theme.slug)}/feed/",
            *[f"/sitemap-{section}.xml" for section in ("pages", "articles", "themes", "people")],
            "/sitemap-organizations.xml",
        ]
        for path in paths:
            response = get(client, path)
            assert response.status_code == 200, path
            etree.fromstring(response.content)  # well-formed XML 1.0, or this raises

        for path in (
            "/",
            "/articles/",
            article.get_absolute_url(),
            "/themes/",
            theme.get_absolute_url(),
            person.get_absolute_url(),
            organization.get_absolute_url(),
            "/corrections/",
            "/search/?q=" + urlquote(article.headline[:30]),
            "/search/?q=" + urlquote(person.name[:30]),
            "/api/v1/articles/",
            f"/api/v1/articles/{article.slug}/",
            f"/api/v1/articles/{article.slug}.ninjs",
            "/api/v1/themes/",
            "/api/v1/people/",
            "/api/v1/organizations/",
            "/api/v1/corrections/",
        ):
            get(client, path)
        transaction.set_rollback(True)


def test_a_loaded_fixture_is_cleaned_too(tmp_path):
    fixture = tmp_path / "pasted.json"
    headline = "Conference\x0bopens\x1b in Cairo\x02\x03"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "articles.article",
                    "fields": {
                        "headline": headline,
                        "slug": "conference-opens",
                        "standfirst": "Cafe\u0301 talk\x0c",
                        "body": "<p>Words\x0b</p>",
                        "status": "published",
                        "published_at": "2025-05-01T10:00:00Z",
                        "created_at": "2025-05-01T10:00:00Z",
                        "updated_at": "2025-05-01T10:00:00Z",
                    },
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    article = Article.objects.get(slug="conference-opens")
    assert article.headline == "Conferenceopens in Cairo"
    assert article.standfirst == "Café talk"
    assert "\x0b" not in article.body


def test_a_control_character_does_not_take_the_feeds_down(client):
    story = Article.objects.create(
        headline="Shift\x0bEnter",
        slug="shift-enter",
        body="<p>x</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    story.themes.add(Theme.objects.create(name="Migration\x1b"))
    Correction.objects.create(article=story, wrong="\x02was\x03", right="is")
    for path in ("/feed/", "/themes/migration/feed/", "/corrections/feed/"):
        response = client.get(path)
        assert response.status_code == 200, path
        etree.fromstring(response.content)
