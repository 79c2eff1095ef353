"""What a reader finds on each public page."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import loader
from django.utils import timezone

from articles.models import Image
from people.models import Organization

from .factories import (
    make_article,
    make_correction,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_theme,
)

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def html(response):
    return response.content.decode()


def structured_data(response):
    (payload,) = JSON_LD.findall(html(response))
    return json.loads(payload)


@pytest.fixture
def world():
    """One story with everything a page can show, and the people and bodies around it."""
    migration = make_theme(name="Migration", description="People on the move.")
    trafficking = make_theme(name="Human trafficking", description="Trade in people.")
    iom = make_organization(name="International Organization for Migration", short_name="IOM")
    iom_egypt = make_organization(
        name="IOM Egypt",
        short_name="IOM Egypt",
        parent=iom,
        kind=Organization.Kind.UN_AGENCY,
        country="Egypt",
    )
    cruz = make_person(name="Carlos Oliver Cruz", honorific="Mr", bio="Heads IOM in Egypt.")
    make_role_at(cruz, iom_egypt, title="Chief of Mission")
    story = make_article(
        headline="Conference on child trafficking opens in Cairo",
        standfirst="Officials meet to compare what works.",
        body="<p>The conference opened on <strong>Sunday</strong>.</p>",
        dateline="CAIRO",
        byline="Amina Reporter",
        source="SEE News",
        source_url="https://example.org/original",
        published_at=timezone.now() - timedelta(days=1),
        themes=[migration, trafficking],
        people=[cruz],
        organizations=[iom_egypt],
    )
    make_quote_by(cruz, story, text="Trafficking is one of the worst forms of violence.",
                  capacity="Chief of Mission, IOM Egypt")  # fmt: skip
    older = make_article(
        headline="Earlier story on migration routes",
        published_at=timezone.now() - timedelta(days=5),
        themes=[migration],
        people=[cruz],
        organizations=[iom_egypt],
    )
    return {
        "migration": migration,
        "trafficking": trafficking,
        "iom": iom,
        "iom_egypt": iom_egypt,
        "cruz": cruz,
        "story": story,
        "older": older,
    }


def public_urls(world):
    return [
        "/",
        "/articles/",
        world["story"].get_absolute_url(),
        "/themes/",
        world["migration"].get_absolute_url(),
        "/people/",
        world["cruz"].get_absolute_url(),
        "/organizations/",
        world["iom_egypt"].get_absolute_url(),
        "/feed/",
        f"/themes/{world['migration'].slug}/feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-themes.xml",
        "/sitemap-people.xml",
        "/sitemap-organizations.xml",
        "/sitemap-news.xml",
        "/robots.txt",
    ]


def test_every_public_url_answers_with_content(client, world):
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 100 or url == "/robots.txt", url


HTML_PAGES = [0, 1, 2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize("index", HTML_PAGES)
def test_html_pages_have_landmarks_one_h1_a_skip_link_and_the_search_form(client, world, index):
    url = public_urls(world)[index]
    page = html(client.get(url))
    assert '<html lang="en" dir="ltr">' in page
    assert page.count("<h1") == 1, url
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in page
    assert 'role="search"' in page
    assert 'name="q"' in page
    assert '<label for="site-search">' in page
    assert 'action="/search/"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-story/",
        "/themes/no-such-theme/",
        "/themes/no-such-theme/feed/",
        "/people/nobody/",
        "/organizations/nothing/",
    ],
)
def test_unknown_slugs_are_404_with_the_sites_own_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in html(response)


def test_article_page_shows_the_story_and_its_sources(client, world):
    story = world["story"]
    page = html(client.get(story.get_absolute_url()))
    assert "<h1>Conference on child trafficking opens in Cairo</h1>" in page
    assert "Officials meet to compare what works." in page
    assert "CAIRO" in page
    assert "Amina Reporter" in page
    assert '<a href="https://example.org/original" rel="noopener noreferrer">SEE News</a>' in page
    # The body is the sanitized HTML, not escaped text.
    assert "<p>The conference opened on <strong>Sunday</strong>.</p>" in page
    # Publication time sits between the headline and the body, in Cairo time.
    published = timezone.localtime(story.published_at)
    time_tag = f'<time datetime="{published.isoformat()}">'
    assert published.utcoffset() == timezone.localtime(story.published_at).utcoffset()
    assert page.index("<h1>") < page.index(time_tag) < page.index("<p>The conference opened")


def test_article_page_attributes_quotes_and_links_what_it_mentions(client, world):
    page = html(client.get(world["story"].get_absolute_url()))
    assert "“Trafficking is one of the worst forms of violence.”" in page
    assert f'href="{world["cruz"].get_absolute_url()}">Carlos Oliver Cruz</a>' in page
    assert "Chief of Mission, IOM Egypt" in page
    assert f'href="{world["iom_egypt"].get_absolute_url()}"' in page
    assert f'href="{world["migration"].get_absolute_url()}">Migration</a>' in page
    assert f'href="{world["trafficking"].get_absolute_url()}">Human trafficking</a>' in page


def test_article_page_lists_related_published_articles_newest_first_without_itself(client, world):
    newest = make_article(
        headline="Newest related", published_at=timezone.now(), themes=[world["trafficking"]]
    )
    unrelated = make_article(headline="Not on these themes", themes=[make_theme()])
    page = html(client.get(world["story"].get_absolute_url()))
    related = page[page.index('id="related-heading"') :]
    assert newest.headline in related
    assert world["older"].headline in related
    assert related.index(newest.headline) < related.index(world["older"].headline)
    assert unrelated.headline not in related
    assert related.count(world["story"].headline) == 0


def test_related_articles_are_a_few(client, world):
    for _ in range(8):
        make_article(themes=[world["migration"]])
    page = html(client.get(world["story"].get_absolute_url()))
    related = page[page.index('id="related-heading"') :]
    assert related.count('<article class="teaser') == 4


def test_article_shows_dated_corrections_and_the_update_time(client, world):
    story = world["story"]
    make_correction(story, wrong="It said Giza.", right="It was Cairo.")
    page = html(client.get(story.get_absolute_url()))
    assert "Corrections" in page
    assert "It said Giza." in page and "It was Cairo." in page
    assert "Updated <time" in page


def test_update_time_is_hidden_when_it_is_the_publication_time(client):
    article = make_article(published_at=timezone.now())
    page = html(client.get(article.get_absolute_url()))
    assert "Updated <time" not in page


def test_lead_image_has_alt_caption_and_credit(client):
    picture = Image.objects.create(
        file="library/2024/08/hall.jpg",
        width=1600,
        height=900,
        alt="Delegates seated in a conference hall",
        credit="IOM Egypt",
    )
    article = make_article(lead_picture=picture, lead_image_caption="The opening session.")
    response = client.get(article.get_absolute_url())
    page = html(response)
    assert 'alt="Delegates seated in a conference hall"' in page
    assert "The opening session." in page
    assert '<span class="credit">IOM Egypt</span>' in page
    # Readers get renditions, never the original.
    assert f'<meta property="og:image" content="{settings.SITE_URL}/media/renditions/' in page
    assert "/media/library/" not in page


def test_article_head_has_canonical_description_open_graph_and_twitter_card(client, world):
    story = world["story"]
    page = html(client.get(story.get_absolute_url()))
    canonical = settings.SITE_URL + story.get_absolute_url()
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert '<meta name="description" content="Officials meet to compare what works.">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert f'<meta property="og:title" content="{story.headline}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_article_json_ld_describes_the_news_article(client, world):
    story = world["story"]
    correction = make_correction(story, published_at=timezone.now() + timedelta(seconds=-1))
    story.refresh_from_db()
    data = structured_data(client.get(story.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["description"] == story.standfirst
    assert data["datePublished"] == story.published_at.isoformat()
    expected_modified = max(story.updated_at, correction.published_at)
    assert data["dateModified"] == expected_modified.isoformat()
    assert data["author"] == {"@type": "Person", "name": "Amina Reporter"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == settings.SITE_NAME
    assert sorted(data["keywords"]) == ["Human trafficking", "Migration"]
    assert {about["name"] for about in data["about"]} == {"Human trafficking", "Migration"}
    assert {
        "@type": "Person",
        "name": "Carlos Oliver Cruz",
        "url": settings.SITE_URL + world["cruz"].get_absolute_url(),
    } in data["mentions"]
    assert {
        "@type": "Organization",
        "name": "IOM Egypt",
        "url": settings.SITE_URL + world["iom_egypt"].get_absolute_url(),
    } in data["mentions"]


def test_editor_text_cannot_break_out_of_the_page_or_the_json_ld(client):
    hostile = '</script><script>alert("x")</script> & <b>'
    article = make_article(headline=hostile, standfirst=hostile, byline=hostile)
    response = client.get(article.get_absolute_url())
    page = html(response)
    assert '<script>alert("x")</script>' not in page
    assert page.count("</script>") == 1  # only the JSON-LD element's own end tag
    assert structured_data(response)["headline"] == hostile


def test_person_page_shows_roles_quotes_and_articles(client, world):
    page = html(client.get(world["cruz"].get_absolute_url()))
    assert "Carlos Oliver Cruz" in page
    assert "Mr" in page
    assert "Heads IOM in Egypt." in page
    assert "Chief of Mission" in page
    assert f'href="{world["iom_egypt"].get_absolute_url()}">IOM Egypt</a>' in page
    assert "“Trafficking is one of the worst forms of violence.”" in page
    assert f'href="{world["story"].get_absolute_url()}"' in page
    assert world["older"].headline in page


def test_person_page_paginates_the_articles_that_mention_them(client):
    person = make_person()
    for _ in range(25):
        make_article(people=[person])
    first = html(client.get(person.get_absolute_url()))
    assert "Page 1 of 2" in first
    second = client.get(person.get_absolute_url() + "?page=2")
    assert second.status_code == 200
    assert "Page 2 of 2" in html(second)


def test_organization_page_shows_its_family_people_and_articles(client, world):
    page = html(client.get(world["iom_egypt"].get_absolute_url()))
    assert "IOM Egypt" in page
    assert "UN agency" in page
    assert "Egypt" in page
    assert f'href="{world["iom"].get_absolute_url()}">International Organization' in page
    person_link = f'href="{world["cruz"].get_absolute_url()}">Carlos Oliver Cruz</a>'
    assert person_link + ", Chief of Mission" in page
    assert world["story"].headline in page
    parent = html(client.get(world["iom"].get_absolute_url()))
    assert f'href="{world["iom_egypt"].get_absolute_url()}">IOM Egypt</a>' in parent


def test_theme_page_lists_its_articles_newest_first_and_links_its_feed(client, world):
    page = html(client.get(world["migration"].get_absolute_url()))
    assert "<h1>Migration</h1>" in page
    assert "People on the move." in page
    assert page.index(world["story"].headline) < page.index(world["older"].headline)
    assert f'href="/themes/{world["migration"].slug}/feed/"' in page


def test_theme_page_is_paginated(client):
    theme = make_theme()
    for _ in range(21):
        make_article(themes=[theme])
    assert "Page 1 of 2" in html(client.get(theme.get_absolute_url()))
    assert client.get(theme.get_absolute_url() + "?page=2").status_code == 200


def test_theme_index_counts_published_articles(client, world):
    page = html(client.get("/themes/"))
    assert "Migration" in page and "2 articles" in page
    assert "Human trafficking" in page and "1 article<" in page


def test_people_and_organization_indexes_say_who_is_who(client, world):
    people = html(client.get("/people/"))
    assert f'href="{world["cruz"].get_absolute_url()}"' in people
    assert "Chief of Mission, IOM Egypt" in people
    organizations = html(client.get("/organizations/"))
    assert "UN agency" in organizations
    assert f'href="{world["iom_egypt"].get_absolute_url()}">IOM Egypt</a>' in organizations
    assert "part of IOM" in organizations


def test_front_page_leads_with_the_newest_story(client, world):
    page = html(client.get("/"))
    lead = page[page.index('id="lead-heading"') : page.index('id="latest-heading"')]
    assert world["story"].headline in lead
    latest = page[page.index('id="latest-heading"') :]
    assert world["older"].headline in latest
    assert 'id="themes-heading"' in page
    assert f'href="{world["migration"].get_absolute_url()}">Migration</a>' in page


def test_front_page_without_articles_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing has been published yet." in html(response)


def test_article_list_is_newest_first_and_paginated(client):
    now = timezone.now()
    articles = [make_article(published_at=now - timedelta(hours=n)) for n in range(21)]
    first = html(client.get("/articles/"))
    assert first.index(articles[0].headline) < first.index(articles[1].headline)
    assert articles[20].headline not in first
    assert articles[20].headline in html(client.get("/articles/?page=2"))


ODD_PAGES = ["0", "-1", "abc", "1e400", "9" * 30, "last", "", "1.5", "%00", "2"]


@pytest.mark.parametrize("value", ODD_PAGES)
@pytest.mark.parametrize(
    "path", ["/articles/", "/themes/{theme}/", "/people/", "/people/{person}/"]
)
def test_odd_page_values_never_fail(client, value, path):
    theme = make_theme()
    person = make_person()
    make_article(themes=[theme], people=[person])
    url = path.format(theme=theme.slug, person=person.slug)
    response = client.get(url, {"page": value})
    assert response.status_code in (200, 404)


def test_500_page_is_standalone(rf):
    # Rendered with no request and no context processors, as Django does when a view fails.
    page = loader.get_template("500.html").render()
    assert "Something went wrong" in page
    assert "{%" not in page and "{{" not in page
    assert '<html lang="en">' in page


def test_every_page_of_the_launch_story_answers(client):
    from articles.models import Article, Theme
    from people.models import Person

    call_command("loaddata", "conference", verbosity=0)
    urls = ["/", "/articles/", "/themes/", "/people/", "/organizations/", "/feed/"]
    urls += ["/sitemap.xml", "/sitemap-news.xml", "/robots.txt"]
    urls += [f"/sitemap-{section}.xml" for section in ("articles", "themes", "people")]
    urls += [article.get_absolute_url() for article in Article.objects.published()]
    urls += [theme.get_absolute_url() for theme in Theme.objects.all()]
    urls += [f"/themes/{theme.slug}/feed/" for theme in Theme.objects.all()]
    urls += [person.get_absolute_url() for person in Person.objects.all()]
    urls += [organization.get_absolute_url() for organization in Organization.objects.all()]
    assert Article.objects.published().exists()
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_launch_story_shows_its_day_without_inventing_a_time(client):
    """FACTS.md confirms the day (5 August 2024, Cairo), not an hour: none is printed."""
    from django.core.management import call_command

    call_command("loaddata", "conference", verbosity=0)
    page = client.get(
        "/articles/nccpimtip-iom-hold-conference-on-addressing-child-trafficking/"
    ).content.decode()
    assert 'datetime="2024-08-05T00:00:00+03:00">5 August 2024</time>' in page
    assert "5 August 2024, 00:00" not in page
