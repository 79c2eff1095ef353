"""The feeds pass the W3C feed validator with no error and no warning, and every sitemap and the
sitemap index pass the sitemaps.org schemas (and Google's News sitemap schema).

The W3C feed validator (github.com/w3c/feedvalidator) is vendored in tests/vendor/feedvalidator
and run in-process, as its own demo.py does: `validateString(..., firstOccurrenceOnly=1)`, then
`compatibility.AA`, the level of the online validator at validator.w3.org/feed (errors and
warnings; its "info" notes are not counted). It needs html5lib to check HTML content. It is given
the text of the feed and never reaches the network (urlopen is refused while it runs).

The schemas are in tests/standards/sitemaps (see its README); lxml loads them from there only.
"""

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from lxml import etree

from .factories import make_article, make_correction, make_draft, make_person, make_theme

sys.path.insert(0, str(Path(__file__).parent / "vendor" / "feedvalidator"))
import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402

pytestmark = pytest.mark.django_db

STANDARDS = Path(__file__).parent / "standards" / "sitemaps"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
AWKWARD = {
    "headline": 'R&D, a < b and "quotes": café in القاهرة',
    "standfirst": "R&D, a < b, <img src=x onerror=alert(1)>, NCCPIM&TIP, naïve ‘quotes’ & more",
    "body": "<p>R&amp;D &lt;b&gt; “curly” <a href='https://example.org/?a=1&amp;b=2'>link</a></p>",
    "byline": "Amina O’Reporter & Sons",
}


# The W3C feed validator --------------------------------------------------------------------


@pytest.fixture
def offline(monkeypatch):
    """The validator is handed the feed's text: it must not fetch anything."""

    def refuse(*args, **kwargs):
        raise AssertionError("the feed validator tried to reach the network")

    monkeypatch.setattr("urllib.request.urlopen", refuse)


def feed_problems(client, path):
    """The validator's errors and warnings for the feed at `path`, as its text formatter says
    them (an empty list: valid, nothing to improve)."""
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    events = feedvalidator.validateString(
        response.content.decode(), firstOccurrenceOnly=1, base="http://127.0.0.1:8000" + quote(path)
    )["loggedEvents"]
    return list(Formatter(compatibility.AA(events)))


@pytest.fixture
def launch():
    call_command("loaddata", "conference", verbosity=0)


def all_feeds(theme_slug):
    return ["/feed/", f"/themes/{theme_slug}/feed/", "/corrections/feed/"]


@pytest.mark.parametrize("hub", ["", "https://hub.example.org/"])
def test_the_launch_feeds_pass_the_w3c_validator(client, launch, offline, hub):
    from articles.models import Article

    make_correction(Article.objects.get(), published_at=timezone.now() - timedelta(minutes=5))
    with override_settings(WEBSUB_HUB_URL=hub):
        for path in all_feeds("child-protection"):
            assert feed_problems(client, path) == [], path
            if hub:
                assert f'<link href="{hub}" rel="hub"' in client.get(path).content.decode()


def test_awkward_text_passes_the_w3c_validator(client, offline):
    theme = make_theme(name="R&D <trafficking> & “quotes”")
    story = make_article(themes=[theme], **AWKWARD)
    make_correction(story, wrong="It said 5 < 6 & R&D.", right="<b>Now</b> it says é.")
    for path in all_feeds(theme.slug):
        assert feed_problems(client, path) == [], path


def test_empty_feeds_pass_the_w3c_validator(client, offline):
    assert feed_problems(client, "/feed/") == []
    assert feed_problems(client, "/corrections/feed/") == []


def test_the_validator_does_find_faults(offline):
    """It is really running: the fault the issue reported (`&` escaped once in an html
    summary) is a warning it reports."""
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>t</title><link href='http://example.org/'/><id>urn:uuid:1b4e28ba-2fa1-11d2-883f-"
        "0016d3cca427</id><updated>2025-01-01T00:00:00Z</updated><author><name>a</name></author>"
        "<entry><title>t</title><link href='http://example.org/1'/><id>urn:uuid:1b4e28ba-2fa1-"
        "11d2-883f-0016d3cca428</id><updated>2025-01-01T00:00:00Z</updated>"
        '<summary type="html">NCCPIM&amp;TIP</summary></entry></feed>'
    )
    events = feedvalidator.validateString(feed, firstOccurrenceOnly=1)["loggedEvents"]
    assert any("Invalid HTML" in line for line in Formatter(compatibility.AA(events)))


# The sitemaps.org schemas ------------------------------------------------------------------


class LocalSchemas(etree.Resolver):
    """Every schema lxml asks for comes from tests/standards/sitemaps, never from the web."""

    def resolve(self, system_url, public_id, context):
        name = system_url.rsplit("/", 1)[-1]
        if (STANDARDS / name).exists():
            return self.resolve_filename(str(STANDARDS / name), context)
        raise AssertionError(f"schema {system_url} is not in {STANDARDS}")


def load_schema(text):
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.fromstring(text.encode(), parser, base_url=str(STANDARDS) + "/"))


# A urlset may carry elements of other namespaces (processContents="strict"): the schema of
# those it uses comes with it, as it would in a validator given both.
URLSET_SCHEMA = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:import namespace="{SITEMAP}" schemaLocation="sitemap.xsd"/>
  <xsd:import namespace="{NEWS}" schemaLocation="sitemap-news.xsd"/>
</xsd:schema>"""
INDEX_SCHEMA = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:import namespace="{SITEMAP}" schemaLocation="siteindex.xsd"/>
</xsd:schema>"""


@pytest.fixture(scope="module")
def schemas():
    return {"urlset": load_schema(URLSET_SCHEMA), "sitemapindex": load_schema(INDEX_SCHEMA)}


def assert_valid(schemas, response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    document = etree.fromstring(response.content, parser)
    check_hreflang_links(document)
    schema = schemas[etree.QName(document).localname]
    assert schema.validate(document), schema.error_log
    return document


def check_hreflang_links(document):
    """Google's hreflang alternates (<xhtml:link rel="alternate" hreflang href>) checked here,
    then taken out: the urlset schema validates other namespaces strictly, and W3C's XHTML schema
    (which would declare <link>) is not among the standards' files kept here."""
    for link in document.iter(f"{{{XHTML}}}link"):
        assert set(link.attrib) == {"rel", "hreflang", "href"}, link.attrib
        assert link.get("rel") == "alternate"
        assert link.get("hreflang") in {"en", "ar", "x-default"}
        assert link.get("href").startswith(("http://", "https://"))
        assert etree.QName(link.getparent()).localname == "url" and not len(link)
        link.getparent().remove(link)


def validate_every_sitemap(client, schemas, index_path="/sitemap.xml"):
    """The index and every file it lists; returns the paths of those files."""
    index = assert_valid(schemas, client.get(index_path))
    assert etree.QName(index).localname == "sitemapindex"
    paths = [
        loc.text.split("://", 1)[1].split("/", 1)[1]
        for loc in index.iterfind(f"{{{SITEMAP}}}sitemap/{{{SITEMAP}}}loc")
    ]
    for path in paths:
        assert_valid(schemas, client.get("/" + path))
    return ["/" + path for path in paths]


def test_the_schemas_refuse_an_empty_urlset(schemas):
    """Why an empty news sitemap was a fault: a urlset holds at least one url."""
    empty = etree.fromstring(f'<urlset xmlns="{SITEMAP}"/>'.encode())
    assert not schemas["urlset"].validate(empty)


def test_sitemaps_with_nothing_published_are_valid(client, schemas):
    make_draft(headline="A draft")
    paths = validate_every_sitemap(client, schemas)
    assert "/sitemap-news.xml" in paths
    assert "/sitemap-pages.xml" in paths
    news = client.get("/sitemap-news.xml").content.decode()
    assert "A draft" not in news


def test_sitemaps_of_the_launch_story_are_valid(client, launch, schemas):
    # Published on 4 August 2024: no recent story for the News sitemap.
    make_draft(headline="A draft", published_at=timezone.now() - timedelta(hours=1))
    paths = validate_every_sitemap(client, schemas)
    assert {"/sitemap-articles.xml", "/sitemap-themes.xml", "/sitemap-news.xml"} <= set(paths)


def test_sitemaps_with_recent_awkward_stories_are_valid(client, schemas):
    theme = make_theme(name="R&D <x>")
    make_article(themes=[theme], published_at=timezone.now() - timedelta(hours=1), **AWKWARD)
    make_person(name="Ó’Brien & <Co>")
    make_draft(headline="A draft", published_at=timezone.now() - timedelta(hours=1))
    validate_every_sitemap(client, schemas)
    news = assert_valid(schemas, client.get("/sitemap-news.xml"))
    titles = [title.text for title in news.iterfind(f".//{{{NEWS}}}title")]
    assert titles == [AWKWARD["headline"]]


def test_the_arabic_editions_feeds_and_sitemaps_are_valid(client, schemas, offline):
    theme = make_theme(name="الاتجار بالبشر")
    english = make_article(
        headline="Conference opens", published_at=timezone.now() - timedelta(hours=2)
    )
    story = make_article(
        language="ar",
        slug="افتتاح-المؤتمر",
        headline="افتتاح مؤتمر NCCPIM&TIP في القاهرة",
        standfirst="قالت اللجنة NCCPIM&TIP، إن المؤتمر يبدأ اليوم & غدًا.",
        body="<p>نظمت اللجنة الوطنية NCCPIM&amp;TIP، المؤتمر.</p>",
        themes=[theme],
        translation_of=english,
        published_at=timezone.now() - timedelta(hours=1),
    )
    make_correction(story, wrong="خطأ < صواب", right="الصواب & الخطأ")
    make_person(name="Naela Gabr", name_ar="نائلة جبر")
    for path in ("/ar/feed/", f"/ar/themes/{theme.slug}/feed/", "/ar/corrections/feed/"):
        assert feed_problems(client, path) == [], path
    paths = validate_every_sitemap(client, schemas, "/ar/sitemap.xml")
    assert {"/ar/sitemap-articles.xml", "/ar/sitemap-news.xml", "/ar/sitemap-people.xml"} <= set(
        paths
    )
    news = assert_valid(schemas, client.get("/ar/sitemap-news.xml"))
    assert [lang.text for lang in news.iterfind(f".//{{{NEWS}}}language")] == ["ar"]
    articles = etree.fromstring(client.get("/ar/sitemap-articles.xml").content)
    assert sorted(link.get("hreflang") for link in articles.iter(f"{{{XHTML}}}link")) == [
        "ar",
        "en",
        "x-default",
    ]
