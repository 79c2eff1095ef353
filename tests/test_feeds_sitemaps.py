"""Feeds for feed readers, sitemaps and robots.txt for search engines."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import lxml.html
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article

from .factories import make_article, make_correction, make_organization, make_person, make_theme

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 (our own output, in a test)


@pytest.fixture
def theme():
    return make_theme(name="Human trafficking", description="Trade in people.")


@pytest.fixture
def story(theme):
    return make_article(
        headline="Conference opens",
        standfirst="Officials compare what works.",
        byline="Amina Reporter",
        published_at=timezone.now() - timedelta(hours=3),
        themes=[theme, make_theme(name="Migration")],
    )


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def test_site_feed_is_atom_with_full_entries(client, story):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == f"{settings.SITE_NAME}: latest articles"
    (entry,) = entries(feed)
    assert entry.find(f"{ATOM}title").text == "Conference opens"
    link = settings.SITE_URL + story.get_absolute_url()
    assert entry.find(f"{ATOM}link").get("href") == link
    assert entry.find(f"{ATOM}summary").text == "Officials compare what works."
    assert entry.find(f"{ATOM}published").text == story.published_at.isoformat()
    assert entry.find(f"{ATOM}updated").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Amina Reporter"
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {
        "Human trafficking",
        "Migration",
    }
    assert entry.find(f"{ATOM}id").text == f"urn:uuid:{story.uid}"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert content.text == story.body
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == settings.SITE_URL + "/feed/"


def test_entries_are_newest_first_and_have_distinct_ids(client, story):
    newer = make_article(published_at=timezone.now())
    feed = parse(client.get("/feed/"))
    titles = [entry.find(f"{ATOM}title").text for entry in entries(feed)]
    assert titles == [newer.headline, story.headline]
    ids = [entry.find(f"{ATOM}id").text for entry in entries(feed)]
    assert len(set(ids)) == 2


def test_agency_copy_is_credited_to_its_source(client):
    make_article(byline="", source="SEE News")
    (entry,) = entries(parse(client.get("/feed/")))
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "SEE News"


def test_theme_feed_holds_only_that_themes_articles(client, theme, story):
    other = make_article(headline="Elsewhere", themes=[make_theme()])
    feed = parse(client.get(f"/themes/{theme.slug}/feed/"))
    assert feed.find(f"{ATOM}title").text == f"{settings.SITE_NAME}: Human trafficking"
    titles = [entry.find(f"{ATOM}title").text for entry in entries(feed)]
    assert titles == [story.headline]
    assert other.headline not in titles


def test_feed_text_is_escaped(client):
    make_article(headline="Fish & <chips>", standfirst="<script>x</script>")
    (entry,) = entries(parse(client.get("/feed/")))
    assert entry.find(f"{ATOM}title").text == "Fish & <chips>"


def sitemap_files(client):
    """The files /sitemap.xml (a sitemap index) points at, as paths on this site."""
    index = parse(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations = [entry.find(f"{SITEMAP}loc").text for entry in index.findall(f"{SITEMAP}sitemap")]
    assert all(location.startswith(settings.SITE_URL + "/sitemap-") for location in locations)
    return [location.removeprefix(settings.SITE_URL) for location in locations]


def mapped_urls(client, *, news=True):
    urls = []
    for path in sitemap_files(client):
        if path == "/sitemap-news.xml" and not news:
            continue
        urlset = parse(client.get(path))
        assert urlset.tag == f"{SITEMAP}urlset"
        urls += urlset.findall(f"{SITEMAP}url")
    return urls


def test_sitemap_lists_articles_themes_people_and_organizations(client, story, theme):
    person = make_person()
    organization = make_organization()
    urls = mapped_urls(client)
    locations = {url.find(f"{SITEMAP}loc").text for url in urls}
    for path in (
        story.get_absolute_url(),
        theme.get_absolute_url(),
        person.get_absolute_url(),
        organization.get_absolute_url(),
    ):
        assert settings.SITE_URL + path in locations
    # Every page has its date (the News sitemap has publication dates instead), but the
    # corrections page while there is no correction.
    dated = [
        url
        for url in mapped_urls(client, news=False)
        if not url.find(f"{SITEMAP}loc").text.endswith("/corrections/")
    ]
    assert all(url.find(f"{SITEMAP}lastmod") is not None for url in dated)


def test_sitemap_index_has_one_file_per_section_and_page(client, monkeypatch, story):
    from articles.sitemaps import PAGE_SIZE, ArticleSitemap

    assert PAGE_SIZE == 5000  # the protocol allows 50,000 per file; smaller ones load faster
    files = sitemap_files(client)
    assert files[:2] == ["/sitemap-pages.xml", "/sitemap-articles.xml"]
    assert files[-1] == "/sitemap-news.xml"
    assert "/sitemap-articles.xml?p=2" not in files
    index = parse(client.get("/sitemap.xml"))
    assert index.find(f"{SITEMAP}sitemap/{SITEMAP}lastmod") is not None

    newer = make_article(headline="A newer story", published_at=timezone.now())
    monkeypatch.setattr(ArticleSitemap, "limit", 1)
    files = sitemap_files(client)
    assert files[1:3] == ["/sitemap-articles.xml", "/sitemap-articles.xml?p=2"]
    first, second = (parse(client.get(path)) for path in files[1:3])
    assert first.find(f"{SITEMAP}url/{SITEMAP}loc").text.endswith(newer.get_absolute_url())
    assert second.find(f"{SITEMAP}url/{SITEMAP}loc").text.endswith(story.get_absolute_url())
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404


def test_an_unknown_sitemap_section_is_a_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_uses_the_site_address_not_the_request_host(client, story):
    for path in ["/sitemap.xml", *sitemap_files(client)]:
        page = client.get(path, HTTP_HOST="localhost").content.decode()
        assert "//localhost" not in page
        if path in ("/sitemap.xml", "/sitemap-articles.xml"):
            assert settings.SITE_URL in page


def test_news_sitemap_holds_the_last_two_days(client, story):
    old = make_article(headline="Last week", published_at=timezone.now() - timedelta(days=7))
    urlset = parse(client.get("/sitemap-news.xml"))
    urls = urlset.findall(f"{SITEMAP}url")
    assert len(urls) == 1
    url = urls[0]
    assert url.find(f"{SITEMAP}loc").text == settings.SITE_URL + story.get_absolute_url()
    news = url.find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == settings.SITE_NAME
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    assert news.find(f"{NEWS}title").text == "Conference opens"
    published = news.find(f"{NEWS}publication_date").text
    assert published == timezone.localtime(story.published_at).isoformat()
    assert old.get_absolute_url() not in client.get("/sitemap-news.xml").content.decode()


def test_with_nothing_published_the_index_lists_only_the_pages_and_news_sitemaps(client):
    make_article(status="draft", headline="A draft")
    assert sitemap_files(client) == ["/sitemap-pages.xml", "/sitemap-news.xml"]
    # An empty section has no file: a <urlset> holds at least one <url>.
    for section in ("articles", "themes", "people", "organizations"):
        assert client.get(f"/sitemap-{section}.xml").status_code == 404
    assert entries(parse(client.get("/feed/"))) == []


def test_news_sitemap_with_no_recent_story_lists_the_front_page(client):
    make_article(published_at=timezone.now() - timedelta(days=7))
    urls = parse(client.get("/sitemap-news.xml")).findall(f"{SITEMAP}url")
    assert [url.find(f"{SITEMAP}loc").text for url in urls] == [settings.SITE_URL + "/"]
    assert urls[0].find(f"{NEWS}news") is None
    assert client.get("/sitemap-news.xml?p=2").status_code == 404


def test_pages_sitemap_lists_the_front_page_and_the_listings(client, story):
    urls = parse(client.get("/sitemap-pages.xml")).findall(f"{SITEMAP}url")
    locations = [url.find(f"{SITEMAP}loc").text.removeprefix(settings.SITE_URL) for url in urls]
    assert locations == [
        "/",
        "/articles/",
        "/themes/",
        "/people/",
        "/organizations/",
        "/corrections/",
    ]
    front = urls[0]
    assert front.find(f"{SITEMAP}priority").text == "1.0"
    assert front.find(f"{SITEMAP}lastmod").text == f"{story.updated_at:%Y-%m-%d}"


def test_robots_txt_points_at_the_sitemaps_and_keeps_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap-news.xml" in lines


def test_pages_advertise_the_feeds(client, theme, story):
    front = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in front and 'href="/feed/"' in front
    page = client.get(theme.get_absolute_url()).content.decode()
    assert f'href="/themes/{theme.slug}/feed/"' in page


# What the validators found (issue 12) -------------------------------------------------------


def summary_as_read(entry):
    """The summary as a feed reader shows it: decoded as its `type` says."""
    summary = entry.find(f"{ATOM}summary")
    if summary.get("type") == "html":
        return lxml.html.fragment_fromstring(summary.text, create_parent="div").text_content()
    return summary.text


@pytest.mark.parametrize(
    "standfirst",
    ["R&D", "a < b", "<img src=x onerror=alert(1)>", "NCCPIM&TIP", "&amp; is how & is written"],
)
def test_a_plain_text_standfirst_reaches_the_reader_as_that_text(client, standfirst):
    make_article(standfirst=standfirst)
    (entry,) = entries(parse(client.get("/feed/")))
    assert summary_as_read(entry) == standfirst
    assert entry.find(f"{ATOM}summary").get("type") == "html"


def test_a_correction_reaches_the_reader_as_its_text(client):
    make_correction(make_article(), wrong="It said <b>5</b> & R&D.", right="It is 6.")
    (entry,) = entries(parse(client.get("/corrections/feed/")))
    assert summary_as_read(entry) == "This article said: It said <b>5</b> & R&D. It is 6."


def test_the_launch_story_keeps_its_permanent_feed_id(client):
    call_command("loaddata", "conference", verbosity=0)
    (entry,) = entries(parse(client.get("/feed/")))
    assert entry.find(f"{ATOM}id").text == "urn:uuid:5b0d8a3e-6c1f-4e0b-9a57-3f2c8e1d4b60"


def feed_ids(client):
    return {
        path: [entry.find(f"{ATOM}id").text for entry in entries(parse(client.get(path)))]
        for path in ("/feed/", "/corrections/feed/")
    }


def test_entry_ids_survive_a_new_domain_and_a_dump_and_load(client, settings, tmp_path, story):
    make_correction(story, published_at=timezone.now() - timedelta(minutes=1))
    make_correction(make_article(), published_at=timezone.now() - timedelta(minutes=2))
    before = feed_ids(client)
    assert all(
        len(ids) == 2 and all(i.startswith("urn:uuid:") for i in ids) for ids in before.values()
    )

    settings.SITE_URL = "https://news.example.org"
    cache.clear()
    assert feed_ids(client) == before

    dump = tmp_path / "dump.json"
    call_command("dumpdata", "articles", "people", "taggit", output=str(dump), verbosity=0)
    if connection.vendor == "postgresql":
        # Inside the test's transaction: run the deferred foreign-key checks before TRUNCATE.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as loaddata expects
    assert not Article.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    cache.clear()
    assert feed_ids(client) == before


def test_the_corrections_feed_is_updated_when_its_newest_correction_is(client):
    story = make_article(published_at=timezone.now() - timedelta(days=3))
    newest = make_correction(story, published_at=timezone.now() - timedelta(hours=1))
    make_correction(story, published_at=timezone.now() - timedelta(hours=5))
    make_correction(story, published_at=timezone.now() + timedelta(hours=1))  # not yet shown
    feed = parse(client.get("/corrections/feed/"))
    assert feed.find(f"{ATOM}updated").text == newest.published_at.isoformat()


def test_an_empty_corrections_feed_is_updated_at_a_moment_from_the_data(client):
    first = make_article(published_at=timezone.now() - timedelta(days=9))
    make_article(published_at=timezone.now() - timedelta(days=1))
    updated = parse(client.get("/corrections/feed/")).find(f"{ATOM}updated").text
    assert updated == first.published_at.isoformat()
    cache.clear()
    assert parse(client.get("/corrections/feed/")).find(f"{ATOM}updated").text == updated


def test_an_empty_site_feed_is_not_updated_at_the_time_of_the_request(client):
    updated = parse(client.get("/feed/")).find(f"{ATOM}updated").text
    assert updated == "2025-01-01T00:00:00+00:00"


def test_the_corrections_feed_has_validators_and_is_cached(client):
    make_correction(make_article(), published_at=timezone.now() - timedelta(hours=1))
    response = client.get("/corrections/feed/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert response["Last-Modified"]
    again = client.get("/corrections/feed/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "grow"),
    [
        ("/corrections/feed/", lambda: make_correction(make_article(themes=[make_theme()]))),
        ("/sitemap-pages.xml", lambda: (make_article(), make_person(), make_organization())),
    ],
)
def test_query_count_does_not_grow_with_the_content(client, settings, path, grow):
    settings.PUBLIC_PAGE_CACHE = False
    grow()
    with CaptureQueriesContext(connection) as with_one:
        assert client.get(path).status_code == 200
    # Besides its own: the change clock and the next scheduled moment (newsroom.pagecache).
    assert len(with_one) == 2 + {"/corrections/feed/": 1, "/sitemap-pages.xml": 4}[path]
    for _ in range(29):
        grow()
    with CaptureQueriesContext(connection) as with_thirty:
        assert client.get(path).status_code == 200
    assert len(with_thirty) == len(with_one)


def test_feeds_name_the_websub_hub_when_there_is_one(client, settings, story, theme):
    make_correction(story, published_at=timezone.now() - timedelta(hours=1))
    paths = ["/feed/", f"/themes/{theme.slug}/feed/", "/corrections/feed/"]
    for path in paths:
        links = {link.get("rel") for link in parse(client.get(path)).findall(f"{ATOM}link")}
        assert links == {"alternate", "self"}, path
    settings.WEBSUB_HUB_URL = "https://hub.example.org/"
    cache.clear()
    for path in paths:
        feed = parse(client.get(path))
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["hub"] == "https://hub.example.org/", path
        assert links["self"] == settings.SITE_URL + path
