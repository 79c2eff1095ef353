"""Feeds for feed readers, sitemaps and robots.txt for search engines."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from .factories import make_article, make_organization, make_person, make_theme

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
    assert entry.find(f"{ATOM}id").text.startswith("tag:")
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


def mapped_urls(client):
    urls = []
    for path in sitemap_files(client):
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
    assert all(url.find(f"{SITEMAP}lastmod") is not None for url in urls)


def test_sitemap_index_has_one_file_per_section_and_page(client, monkeypatch, story):
    from articles.sitemaps import PAGE_SIZE, SiteURLSitemap

    assert PAGE_SIZE == 5000  # the protocol allows 50,000 per file; smaller ones load faster
    files = sitemap_files(client)
    assert files[0] == "/sitemap-articles.xml"
    assert "/sitemap-articles.xml?p=2" not in files
    index = parse(client.get("/sitemap.xml"))
    assert index.find(f"{SITEMAP}sitemap/{SITEMAP}lastmod") is not None

    newer = make_article(headline="A newer story", published_at=timezone.now())
    monkeypatch.setattr(SiteURLSitemap, "limit", 1)
    files = sitemap_files(client)
    assert files[:2] == ["/sitemap-articles.xml", "/sitemap-articles.xml?p=2"]
    first, second = (parse(client.get(path)) for path in files[:2])
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


def test_empty_sitemaps_are_still_valid(client):
    assert mapped_urls(client) == []
    assert parse(client.get("/sitemap-news.xml")).tag == f"{SITEMAP}urlset"
    assert entries(parse(client.get("/feed/"))) == []


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
