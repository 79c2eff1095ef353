"""The content model's rules: what is published, what HTML survives, themes, ancestry, services."""

import html
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, Theme, ThemedArticle
from people.models import Organization
from tests.factories import (
    make_article,
    make_draft,
    make_organization,
    make_person,
    make_role,
    make_scheduled,
    make_theme,
)

pytestmark = pytest.mark.django_db


# Published --------------------------------------------------------------------------------------


def test_published_excludes_drafts_and_scheduled_articles():
    live = make_article()
    make_draft()
    make_draft(status=Article.Status.UNPUBLISHED)
    make_draft(status=Article.Status.REVIEW)
    make_scheduled()

    assert list(Article.objects.published()) == [live]


def test_scheduled_article_goes_live_by_itself_when_its_time_comes():
    scheduled = make_scheduled(published_at=timezone.now() + timedelta(hours=2))
    assert scheduled not in Article.objects.published()
    assert scheduled.is_scheduled

    later = timezone.now() + timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert list(Article.objects.published()) == [scheduled]
        assert Article.objects.get(pk=scheduled.pk).is_published


def test_published_article_without_time_gets_the_current_time_on_save():
    article = make_article(published_at=None)
    assert article.published_at is not None
    assert article in Article.objects.published()


# Sanitizing -------------------------------------------------------------------------------------

HOSTILE_BODIES = [
    "<p>Hi</p><script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT><p>text</p>",
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)">click</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    '<form action="https://evil.example/"><input name="password"></form>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<a href="https://example.org/" onmouseover="alert(1)">x</a>',
    "<!-- <script>alert(1)</script> -->",
    "<<script>script>alert(1)<</script>/script>",
]

FORBIDDEN = re.compile(
    r"<\s*(script|iframe|form|input|svg|img|style|object|embed|meta|base|div)\b"
    r"|\son\w+\s*="
    r"|\sstyle\s*="
    r"|\ssrc\s*=",
    re.IGNORECASE,
)
HREF = re.compile(r'href="([^"]*)"', re.IGNORECASE)


def assert_harmless(body):
    assert not FORBIDDEN.search(body), body
    for href in HREF.findall(body):
        # What a browser would see: entities decoded, tabs and newlines dropped from the scheme.
        url = re.sub(r"[\x00-\x20]", "", html.unescape(href)).lower()
        scheme = url.split(":", 1)[0] if ":" in url.split("/", 1)[0] else ""
        assert scheme in {"http", "https", "mailto"}, href


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_harmlessness_check_would_catch_each_hostile_body_if_stored_raw(body):
    with pytest.raises(AssertionError):
        assert_harmless(body)


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_body_is_neutralized_on_plain_create(body):
    article = Article.objects.create(headline="Hostile", slug="hostile", body=body)
    stored = Article.objects.get(pk=article.pk).body
    assert_harmless(stored)


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_body_is_neutralized_when_an_existing_article_is_saved(body):
    article = make_article()
    article.body = body
    article.save()
    stored = Article.objects.get(pk=article.pk).body
    assert_harmless(stored)


def test_links_keep_http_https_and_mailto_and_gain_noopener():
    body = (
        '<p><a href="https://example.org/a">one</a> <a href="http://example.org/b">two</a> '
        '<a href="mailto:desk@example.org">three</a> <a href="ftp://example.org/c">four</a></p>'
    )
    article = Article.objects.create(headline="Links", slug="links", body=body)
    hrefs = HREF.findall(Article.objects.get(pk=article.pk).body)
    assert hrefs == ["https://example.org/a", "http://example.org/b", "mailto:desk@example.org"]
    assert 'rel="noopener noreferrer nofollow"' in article.body


def test_allowed_formatting_survives_sanitizing():
    body = "<h2>Sub</h2><p><strong>bold</strong> <em>it</em></p><ul><li>one</li></ul>"
    article = Article.objects.create(headline="Fmt", slug="fmt", body=body)
    assert Article.objects.get(pk=article.pk).body == body


# Article validation -----------------------------------------------------------------------------


def test_publishing_without_headline_or_body_is_refused_with_clear_messages():
    article = Article(slug="empty", headline=" ", body="<p></p>", status=Article.Status.PUBLISHED)
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert caught.value.message_dict["headline"] == ["A published article needs a headline."]
    assert caught.value.message_dict["body"] == ["A published article needs a body."]


def test_a_draft_may_be_saved_without_a_body():
    Article(slug="draft", headline="Draft", body="", status=Article.Status.DRAFT).full_clean()


def test_duplicate_article_slug_is_a_validation_error_not_a_database_error():
    make_article(slug="same")
    article = Article(headline="Other", slug="same", body="<p>x</p>")
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "slug" in caught.value.message_dict


def test_overlong_headline_is_a_validation_error():
    article = Article(headline="x" * 256, slug="long", body="<p>x</p>")
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "at most 255 characters" in caught.value.message_dict["headline"][0]


# Themes -----------------------------------------------------------------------------------------


def test_case_variant_theme_names_give_one_theme():
    article = make_article()
    article.themes.add("Migration")
    article.themes.add("migration")
    other = make_article()
    other.themes.add("MIGRATION")

    assert Theme.objects.count() == 1
    assert Theme.objects.get().name == "Migration"
    assert ThemedArticle.objects.filter(content_object=article).count() == 1


def test_theme_name_clash_ignoring_case_is_a_validation_error():
    make_theme(name="Human trafficking")
    with pytest.raises(ValidationError) as caught:
        Theme(name="human TRAFFICKING", slug="other").full_clean()
    assert caught.value.message_dict["name"] == [
        'There is already a theme called "Human trafficking".'
    ]


def test_theme_made_of_punctuation_gets_a_usable_slug_and_address():
    theme = make_theme(name="!!!")
    assert theme.slug
    assert re.fullmatch(r"[-\w]+", theme.slug)
    assert theme.get_absolute_url() == f"/themes/{theme.slug}/"


def test_two_punctuation_themes_get_different_slugs():
    assert make_theme(name="!!!").slug != make_theme(name="???").slug


# Organizations and roles ------------------------------------------------------------------------


def test_organization_cannot_be_its_own_parent():
    org = make_organization()
    org.parent = org
    with pytest.raises(ValidationError) as caught:
        org.full_clean()
    assert "cannot belong to itself" in caught.value.message_dict["parent"][0]


def test_organization_cannot_belong_to_its_own_member():
    parent = make_organization(name="IOM")
    child = make_organization(name="IOM Egypt", parent=parent)
    grandchild = make_organization(name="IOM Cairo office", parent=child)
    parent.parent = grandchild
    with pytest.raises(ValidationError):
        parent.full_clean()
    parent.parent = make_organization()
    parent.full_clean()


def test_role_cannot_end_before_it_starts():
    role = make_role()
    role.start_date = timezone.localdate()
    role.end_date = role.start_date - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        role.full_clean()
    assert caught.value.message_dict["end_date"] == ["A role cannot end before it starts."]


# Services ---------------------------------------------------------------------------------------


def test_merge_themes_retags_articles_without_duplicate_links(django_capture_on_commit_callbacks):
    keep = make_theme(name="Trafficking")
    dup = make_theme(name="Human trafficking")
    dup2 = make_theme(name="Trafficking in persons")
    only_dup = make_article(themes=[dup])
    both = make_article(themes=[keep, dup, dup2])
    untouched = make_article(themes=[make_theme(name="Migration")])

    with django_capture_on_commit_callbacks(execute=True):
        count = services.merge_themes(survivor=keep, duplicates=[dup, dup2])

    assert count == 2
    assert not Theme.objects.filter(pk__in=[dup.pk, dup2.pk]).exists()
    assert list(only_dup.themes.names()) == ["Trafficking"]
    assert list(both.themes.names()) == ["Trafficking"]
    assert ThemedArticle.objects.filter(tag=keep).count() == 2
    assert list(untouched.themes.names()) == ["Migration"]
    # Search keywords follow the merge.
    only_dup.refresh_from_db()
    assert "Trafficking" in only_dup.search_keywords
    assert "Human trafficking" not in only_dup.search_keywords


def test_merge_themes_needs_another_theme():
    keep = make_theme()
    with pytest.raises(ValidationError):
        services.merge_themes(survivor=keep, duplicates=[keep])


def test_organization_roles_link_people():
    person = make_person()
    org = make_organization(short_name="IOM")
    role = make_role(person=person, organization=org, title="Chief of Mission")
    assert str(role) == "Chief of Mission, IOM"
    assert list(Organization.objects.filter(roles__person=person)) == [org]


@pytest.mark.django_db
def test_published_and_not_published_split_every_article_between_them():
    from .factories import make_article, make_draft, make_scheduled

    make_article(), make_draft(), make_scheduled()
    make_article(status=Article.Status.UNPUBLISHED)
    published = set(Article.objects.published().values_list("pk", flat=True))
    hidden = set(Article.objects.not_published().values_list("pk", flat=True))
    assert len(published) == 1 and len(hidden) == 3
    assert published | hidden == set(Article.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_long_theme_name_that_clashes_still_gets_a_slug_that_fits():
    first = Theme.objects.create(name="a" * 99 + "!")
    second = Theme.objects.create(name="a" * 99 + "?")
    assert first.slug != second.slug
    assert len(second.slug) <= 100


@pytest.mark.django_db
def test_an_articles_own_is_published_agrees_with_the_published_queryset():
    """Templates and views ask an article whether it is published; lists ask the queryset.
    Both must give the same answer for every state, or a draft could leak."""
    from .factories import make_article, make_draft, make_scheduled

    articles = [
        make_article(),
        make_draft(),
        make_scheduled(),
        make_article(status=Article.Status.UNPUBLISHED),
        make_article(status=Article.Status.REVIEW),
        make_article(published_at=timezone.now() + timedelta(seconds=30)),
    ]
    published = set(Article.objects.published().values_list("pk", flat=True))
    for article in articles:
        assert article.is_published == (article.pk in published), article.status
        assert article.is_scheduled == (
            article.status == Article.Status.PUBLISHED and article.pk not in published
        )


@pytest.mark.django_db
def test_a_fixture_cannot_store_a_script_either(client, tmp_path):
    """loaddata saves raw, skipping Article.save(); the body is sanitized all the same."""
    import json

    from django.core.management import call_command

    fixture = tmp_path / "hostile.json"
    stamp = "2024-08-05T09:00:00+03:00"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "articles.article",
                    "fields": {
                        "headline": "Hostile",
                        "slug": "hostile",
                        "body": "<p>Hello</p><script>alert(1)</script><img src=x onerror=alert(2)>",
                        "status": "published",
                        "published_at": stamp,
                        "created_at": stamp,
                        "updated_at": stamp,
                    },
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    article = Article.objects.get(slug="hostile")
    assert article.body == "<p>Hello</p>"
    assert article.body_text == "Hello"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "alert(" not in page and "onerror" not in page
