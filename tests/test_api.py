"""The content API's endpoints, fields and filters, its cursor pagination and its query budgets.
Visibility is in test_api_visibility.py, HTTP behaviour (cache, limits, keys, errors) in
test_api_http.py, the OpenAPI document and schemathesis in test_api_schema.py."""

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest
from django.utils import timezone

from articles.models import Article, Quote

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


def get(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def slugs(body):
    return [item["slug"] for item in body["results"]]


@pytest.fixture
def story():
    """A published story with every part an article can have."""
    theme = make_theme(name="Human trafficking", iptc_code="medtop:20001283")
    person = make_person(name="Naela Gabr", slug="naela-gabr")
    org = make_organization(name="International Organization for Migration", short_name="IOM")
    article = make_article(
        headline="A conference on child trafficking",
        slug="conference",
        standfirst="What happened.",
        body="<p>R&amp;D <em>matters</em>.</p>",
        dateline="CAIRO",
        byline="By Staff",
        source="IOM Egypt",
        source_url="https://egypt.iom.int/",
        published_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        themes=[theme],
        people=[person],
        organizations=[org],
    )
    make_quote_by(person, article, text="Exact words.", capacity="Chairperson")
    make_correction(article, published_at=timezone.now() - timedelta(minutes=1))
    make_correction(article, published_at=timezone.now() + timedelta(days=1), wrong="Not yet")
    return article


def test_an_article_carries_its_structured_parts(client, story):
    body = get(client, "/api/v1/articles/conference/")
    assert body["id"] == str(story.uid)
    assert body["slug"] == "conference"
    assert body["headline"] == "A conference on child trafficking"
    assert body["body_html"] == "<p>R&amp;D <em>matters</em>.</p>"
    assert body["body_text"].strip() == "R&D matters."
    assert body["dateline"] == "CAIRO"
    assert body["byline"] == "By Staff"
    assert body["source"] == "IOM Egypt"
    assert body["source_url"] == "https://egypt.iom.int/"
    # ISO 8601 with the zone's offset (the newsroom's, Cairo).
    assert datetime.fromisoformat(body["published_at"]) == story.published_at
    assert body["published_at"].endswith("+02:00")
    assert datetime.fromisoformat(body["updated_at"]) >= story.updated_at
    assert body["url"] == "http://127.0.0.1:8000/articles/conference/"
    assert body["themes"] == [
        {
            "slug": "human-trafficking",
            "name": "Human trafficking",
            "iptc_code": "medtop:20001283",
            "url": "http://127.0.0.1:8000/themes/human-trafficking/",
        }
    ]
    assert body["people"] == [
        {
            "slug": "naela-gabr",
            "name": "Naela Gabr",
            "url": "http://127.0.0.1:8000/people/naela-gabr/",
        }
    ]
    assert body["organizations"][0]["short_name"] == "IOM"
    assert body["quotes"] == [
        {
            "text": "Exact words.",
            "capacity": "Chairperson",
            "person": {
                "slug": "naela-gabr",
                "name": "Naela Gabr",
                "url": "http://127.0.0.1:8000/people/naela-gabr/",
            },
        }
    ]
    # The correction dated tomorrow is not published yet.
    assert [c["wrong"] for c in body["corrections"]] == ["It said the wrong thing."]
    assert body["lead_image"] is None


def test_an_article_is_found_by_its_permanent_id_too(client, story):
    assert get(client, f"/api/v1/articles/{story.uid}/")["slug"] == "conference"


def test_unknown_articles_are_json_404s(client, story):
    for key in ("no-such-story", "5b0d8a3e-6c1f-4e0b-9a57-3f2c8e1d4b61", str(story.pk)):
        body = get(client, f"/api/v1/articles/{key}/", 404)
        assert body == {"detail": "No published article here.", "status": 404, "code": "not_found"}


def test_the_list_is_newest_first(client):
    old = make_article(published_at=timezone.now() - timedelta(days=2))
    new = make_article(published_at=timezone.now() - timedelta(hours=1))
    assert slugs(get(client, "/api/v1/articles/")) == [new.slug, old.slug]


def test_articles_filter_by_theme_person_and_organization(client):
    theme, person, org = make_theme(), make_person(), make_organization()
    themed = make_article(themes=[theme])
    mentioning = make_article(people=[person])
    naming = make_article(organizations=[org])
    make_article()
    assert slugs(get(client, f"/api/v1/articles/?theme={theme.slug}")) == [themed.slug]
    assert slugs(get(client, f"/api/v1/articles/?person={person.slug}")) == [mentioning.slug]
    assert slugs(get(client, f"/api/v1/articles/?organization={org.slug}")) == [naming.slug]
    both = f"/api/v1/articles/?theme={theme.slug}&person={person.slug}"
    assert slugs(get(client, both)) == []


@pytest.mark.parametrize("parameter", ["theme", "person", "organization"])
def test_an_unknown_slug_finds_nothing(client, parameter):
    make_article()
    assert get(client, f"/api/v1/articles/?{parameter}=nobody-%C3%A9%F0%9F%98%80")["results"] == []


def test_articles_filter_by_publication_time(client):
    march = make_article(published_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    april = make_article(published_at=datetime(2026, 4, 1, 9, 30, tzinfo=UTC))
    since = "/api/v1/articles/?published_since="
    until = "/api/v1/articles/?published_until="
    assert slugs(get(client, since + "2026-03-02")) == [april.slug]
    assert slugs(get(client, since + "2026-03-01T09:30:00Z")) == [april.slug, march.slug]
    # An offset is honoured: 11:31 in Cairo is 09:31 UTC, after the March story.
    assert slugs(get(client, since + "2026-03-01T11:31:00%2B02:00")) == [april.slug]
    # A date "until" includes the whole day.
    assert slugs(get(client, until + "2026-03-01")) == [march.slug]
    assert slugs(get(client, until + "2026-03-01T09:29:59")) == []
    window = "/api/v1/articles/?published_since=2026-03-15&published_until=2026-04-30"
    assert slugs(get(client, window)) == [april.slug]


def test_updated_since_finds_edits_and_new_corrections(client):
    moment = timezone.now() - timedelta(hours=1)
    edited, corrected, untouched = (
        make_article(published_at=moment - timedelta(days=2)) for _ in range(3)
    )
    make_correction(corrected, published_at=moment + timedelta(minutes=1))
    make_correction(untouched, published_at=moment - timedelta(days=1))
    make_correction(untouched, published_at=timezone.now() + timedelta(days=1))  # not yet
    Article.objects.filter(pk__in=[corrected.pk, untouched.pk]).update(
        updated_at=moment - timedelta(days=1)
    )
    since = moment.isoformat().replace("+", "%2B")
    found = slugs(get(client, f"/api/v1/articles/?updated_since={since}"))
    assert sorted(found) == sorted([edited.slug, corrected.slug])


def test_updated_since_finds_a_scheduled_story_gone_live_since(client):
    """Scheduled at 08:00 for 10:00, read by a partner syncing at 11:00 with updated_since=09:00:
    last saved before the sync's moment, but new to the partner all the same."""
    since = timezone.now() - timedelta(hours=1)
    gone_live = make_article(published_at=timezone.now() - timedelta(minutes=30))
    old_news = make_article(published_at=since - timedelta(days=1))
    Article.objects.filter(pk__in=[gone_live.pk, old_news.pk]).update(
        updated_at=since - timedelta(hours=2)
    )
    query = since.isoformat().replace("+", "%2B")
    assert slugs(get(client, f"/api/v1/articles/?updated_since={query}")) == [gone_live.slug]
    # Nor does it say it was updated before it was published.
    body = get(client, f"/api/v1/articles/{gone_live.slug}/")
    assert body["updated_at"] == body["published_at"]


@pytest.mark.parametrize("parameter", ["published_since", "published_until", "updated_since"])
@pytest.mark.parametrize(
    "value", ["yesterday", "2026-13-01", "2026-02-30T10:00", "0001-01-01T00:00:00%2B14:00", "%00"]
)
def test_a_bad_moment_is_a_400_naming_the_parameter(client, parameter, value):
    body = get(client, f"/api/v1/articles/?{parameter}={value}", 400)
    assert body["parameter"] == parameter
    assert body["code"] == "invalid_parameter"
    assert "ISO 8601" in body["detail"]


@pytest.mark.parametrize("value", ["0", "101", "-1", "ten", "1e2", ""])
def test_page_size_is_1_to_100(client, value):
    body = get(client, f"/api/v1/articles/?page_size={value}", 400)
    assert body["parameter"] == "page_size"


def test_pages_follow_the_cursor(client):
    articles = [make_article() for _ in range(5)]  # newest first, by construction
    first = get(client, "/api/v1/articles/?page_size=2")
    assert first["previous"] is None
    second = get(client, first["next"])
    third = get(client, second["next"])
    assert slugs(first) + slugs(second) + slugs(third) == [a.slug for a in articles]
    assert third["next"] is None
    assert slugs(get(client, second["previous"])) == slugs(first)


def test_pages_are_stable_while_a_story_is_published_between_them(client):
    articles = [make_article() for _ in range(4)]
    first = get(client, "/api/v1/articles/?page_size=2")
    make_article(headline="Breaking", published_at=timezone.now())
    second = get(client, first["next"])
    assert slugs(first) + slugs(second) == [a.slug for a in articles]
    # The new story is on the first page of a fresh read.
    assert slugs(get(client, "/api/v1/articles/?page_size=2"))[0].startswith("headline-")
    assert get(client, "/api/v1/articles/?page_size=1")["results"][0]["headline"] == "Breaking"


def test_pages_hold_stories_published_at_the_same_moment(client):
    moment = timezone.now() - timedelta(hours=1)
    same = [make_article(published_at=moment) for _ in range(3)]
    seen, url = [], "/api/v1/articles/?page_size=1"
    while url:
        body = get(client, url)
        seen += slugs(body)
        url = body["next"]
    assert sorted(seen) == sorted(a.slug for a in same)


@pytest.mark.parametrize(
    "cursor", ["zzz", "cD0yMDI2", "cD1ub3QtYS1kYXRl", "cD0lMDA%3D", "%F0%9F%98%80", "cj1ub3Q="]
)
def test_a_cursor_the_api_did_not_give_is_a_404(client, cursor):
    make_article()
    body = get(client, f"/api/v1/articles/?cursor={cursor}", 404)
    assert body["detail"] == "Invalid cursor"


def cursor_at(position):
    return base64.b64encode(urlencode({"p": position}).encode()).decode()


@pytest.mark.parametrize(
    "position",
    # Python parses these, then SQLite overflows converting them to UTC, or PostgreSQL refuses
    # an offset past 15:59.
    ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "2026-03-01 10:00:00+20:00"],
)
def test_a_forged_cursor_at_an_impossible_moment_is_a_404_or_a_page(client, position):
    make_article(published_at=timezone.now() - timedelta(days=1))
    response = client.get("/api/v1/articles/", {"cursor": cursor_at(position)})
    assert response.status_code in (200, 404), response.content
    assert response["Content-Type"] == "application/json"


def test_a_cursor_in_any_offset_reads_the_same_moment(client):
    older = make_article(published_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    make_article(published_at=datetime(2026, 3, 1, 11, 0, tzinfo=UTC))
    for position in ["2026-03-01 10:00:00+00:00", "2026-03-01T22:00:00+12:00", "2026-03-01T10:00"]:
        body = get(client, f"/api/v1/articles/?cursor={quote(cursor_at(position))}")
        assert slugs(body) == [older.slug], position


def test_themes_list_those_with_published_articles_and_count_them(client):
    theme = make_theme(name="Migration", iptc_code="medtop:20000770", description="Moving.")
    make_theme(name="Empty")
    make_article(themes=[theme])
    make_article(themes=[theme])
    body = get(client, "/api/v1/themes/")
    assert body == {
        "results": [
            {
                "slug": "migration",
                "name": "Migration",
                "iptc_code": "medtop:20000770",
                "url": "http://127.0.0.1:8000/themes/migration/",
                "description": "Moving.",
                "language": "en",
                "article_count": 2,
            }
        ]
    }
    assert get(client, "/api/v1/themes/migration/") == body["results"][0]
    get(client, "/api/v1/themes/empty/", 404)
    get(client, "/api/v1/themes/nothing-%C3%A9/", 404)


def test_people_and_organizations(client):
    iom = make_organization(name="IOM", slug="iom", short_name="IOM")
    egypt = make_organization(name="IOM Egypt", slug="iom-egypt", parent=iom, country="Egypt")
    person = make_person(name="Carlos Oliver Cruz", slug="carlos", honorific="Mr")
    make_role_at(person, egypt, title="Chief of Mission")
    make_article(people=[person], organizations=[egypt])
    people = get(client, "/api/v1/people/")
    assert slugs(people) == ["carlos"]
    assert people["results"][0]["roles"][0]["title"] == "Chief of Mission"
    assert people["results"][0]["roles"][0]["organization"]["slug"] == "iom-egypt"
    assert people["results"][0]["article_count"] == 1
    assert get(client, "/api/v1/people/carlos/") == people["results"][0]
    organizations = get(client, "/api/v1/organizations/")
    assert slugs(organizations) == ["iom", "iom-egypt"]
    detail = get(client, "/api/v1/organizations/iom-egypt/")
    assert detail["parent"]["slug"] == "iom"
    assert (detail["article_count"], organizations["results"][0]["article_count"]) == (1, 0)
    get(client, "/api/v1/people/nobody/", 404)
    get(client, "/api/v1/organizations/nobody/", 404)


def test_people_are_paged_alphabetically(client):
    for name in ("Zed", "Amal", "Mona", "Amal"):
        make_person(name=name)
    first = get(client, "/api/v1/people/?page_size=2")
    rest = get(client, first["next"])
    names = [p["name"] for p in first["results"] + rest["results"]]
    assert names == ["Amal", "Amal", "Mona", "Zed"]


def test_corrections_list_the_published_ones_newest_first(client, story):
    newer = make_correction(story, published_at=timezone.now() - timedelta(seconds=1))
    body = get(client, "/api/v1/corrections/")
    assert [c["wrong"] for c in body["results"]] == [newer.wrong, "It said the wrong thing."]
    assert body["results"][0]["article"] == {
        "id": str(story.uid),
        "slug": "conference",
        "headline": story.headline,
        "url": "http://127.0.0.1:8000/articles/conference/",
    }


def test_the_launch_story_reads_back_whole(client):
    from django.core.management import call_command

    call_command("loaddata", "conference", verbosity=0)
    article = Article.objects.get()
    body = get(client, f"/api/v1/articles/{article.slug}/")
    assert body["id"] == str(article.uid)
    assert len(body["quotes"]) == Quote.objects.count() > 0
    assert {t["iptc_code"] for t in body["themes"]} >= {"medtop:20001283"}
    assert len(body["people"]) == article.people.count()


# Query budgets: the same number of queries for one item and for a hundred ---------------------


@pytest.fixture
def uncached(settings):
    settings.PUBLIC_PAGE_CACHE = False


def populate(count):
    theme = make_theme()
    for _ in range(count):
        person, org = make_person(), make_organization()
        make_role_at(person, org)
        article = make_article(themes=[theme], people=[person], organizations=[org])
        make_quote_by(person, article)
        make_correction(article, published_at=timezone.now() - timedelta(minutes=5))


# Rendered as for a cache miss, every answer first reads the change clock and the next scheduled
# moment (newsroom.pagecache): RENDERING, then its own queries.
RENDERING = 2
BUDGETS = {
    # The page, then themes, people, organizations, quotes and corrections.
    "/api/v1/articles/?page_size={n}": RENDERING + 6,
    "/api/v1/people/?page_size={n}": RENDERING + 2,  # page (with counts), roles, organizations
    "/api/v1/organizations/?page_size={n}": RENDERING + 1,
    "/api/v1/corrections/?page_size={n}": RENDERING + 1,
    "/api/v1/themes/": RENDERING + 2,  # the counted themes, of each edition
}


@pytest.mark.parametrize("url", list(BUDGETS))
@pytest.mark.parametrize("count", [1, 100])
def test_lists_cost_a_fixed_number_of_queries(
    client, uncached, django_assert_num_queries, url, count
):
    populate(count)
    with django_assert_num_queries(BUDGETS[url]):
        body = get(client, url.format(n=count))
    if "results" in body and "{n}" in url:
        assert len(body["results"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_an_article_costs_a_fixed_number_of_queries(
    client, uncached, django_assert_num_queries, count
):
    populate(count)
    article = Article.objects.order_by("pk").first()
    for person in list(article.people.all()) + [make_person() for _ in range(count)]:
        article.people.add(person)
        make_quote_by(person, article)
    with django_assert_num_queries(RENDERING + 6):
        get(client, f"/api/v1/articles/{article.slug}/")
    # The next scheduled moment is kept until the clock moves: only the clock is read again.
    with django_assert_num_queries(1 + 6):
        get(client, f"/api/v1/articles/{article.uid}/")
    # ninjs reads the people's roles too.
    with django_assert_num_queries(1 + 7):
        client.get(f"/api/v1/articles/{article.slug}.ninjs")
