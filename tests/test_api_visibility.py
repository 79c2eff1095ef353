"""The visibility matrix of the content API: a story in each hidden state (draft, in review,
scheduled, unpublished) is a 404 by slug, by id and as ninjs, and absent from every list, filter,
count and correction; the published story beside it is everywhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import (
    make_article,
    make_correction,
    make_organization,
    make_person,
    make_quote_by,
    make_theme,
)

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": {"status": Article.Status.DRAFT},
    "review": {"status": Article.Status.REVIEW},
    "scheduled": {"published_at_offset": timedelta(days=1)},
    "unpublished": {"status": Article.Status.UNPUBLISHED},
}
SECRET = "Nobody may read this yet"


@pytest.fixture(params=list(HIDDEN_STATES))
def world(request):
    """One published story and one hidden story (the param's state), sharing a theme, a person
    and an organization, each quoted and corrected."""
    theme = make_theme(name="Only theme")
    person = make_person(name="Only person", slug="only-person")
    organization = make_organization(name="Only organization", slug="only-org")
    links = {"themes": [theme], "people": [person], "organizations": [organization]}
    published = make_article(
        headline="The public story", published_at=timezone.now() - timedelta(hours=2), **links
    )
    state = dict(HIDDEN_STATES[request.param])
    offset = state.pop("published_at_offset", -timedelta(hours=1))
    hidden = make_article(
        headline=SECRET,
        standfirst=SECRET,
        published_at=timezone.now() + offset,
        **state,
        **links,
    )
    assert not hidden.is_published
    make_quote_by(person, published, text="Public words")
    make_quote_by(person, hidden, text=SECRET)
    make_correction(published, published_at=timezone.now() - timedelta(minutes=5))
    make_correction(hidden, wrong=SECRET, published_at=timezone.now() - timedelta(minutes=5))
    return {"published": published, "hidden": hidden, "theme": theme}


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code in (200, 404), (url, response.status_code)
    assert SECRET not in response.content.decode(), url
    return response


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/articles/{a.slug}/",
        "/api/v1/articles/{a.uid}/",
        "/api/v1/articles/{a.slug}.ninjs",
        "/api/v1/articles/{a.uid}.ninjs",
        "/api/v1/articles/{a.slug}.ninjs?version=3.1",
    ],
)
def test_a_hidden_story_is_a_404_by_slug_id_and_ninjs(client, world, address):
    assert fetch(client, address.format(a=world["hidden"])).status_code == 404
    assert fetch(client, address.format(a=world["published"])).status_code == 200


@pytest.mark.parametrize(
    "accept", ["application/ninjs+json", "application/ninjs+json; version=3.1"]
)
def test_a_hidden_story_is_a_404_in_ninjs_by_accept(client, world, accept):
    url = "/api/v1/articles/{}/"
    assert fetch(client, url.format(world["hidden"].slug), accept=accept).status_code == 404
    assert fetch(client, url.format(world["published"].slug), accept=accept).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?theme=only-theme",
        "?person=only-person",
        "?organization=only-org",
        "?published_since=2000-01-01",
        "?published_until=2999-12-31",
        "?updated_since=2000-01-01",
        "?theme=only-theme&person=only-person&organization=only-org&published_since=2000-01-01",
        "?page_size=100",
    ],
)
def test_a_hidden_story_is_absent_from_every_list_and_filter(client, world, query):
    body = fetch(client, "/api/v1/articles/" + query).json()
    assert [a["slug"] for a in body["results"]] == [world["published"].slug]


def test_a_hidden_story_counts_nowhere(client, world):
    themes = fetch(client, "/api/v1/themes/").json()["results"]
    assert [(t["slug"], t["article_count"]) for t in themes] == [("only-theme", 1)]
    assert fetch(client, "/api/v1/themes/only-theme/").json()["article_count"] == 1
    for url in ("/api/v1/people/", "/api/v1/organizations/"):
        assert [item["article_count"] for item in fetch(client, url).json()["results"]] == [1]
    assert fetch(client, "/api/v1/people/only-person/").json()["article_count"] == 1
    assert fetch(client, "/api/v1/organizations/only-org/").json()["article_count"] == 1


def test_a_theme_with_only_hidden_stories_is_not_listed(client, world):
    lonely = make_theme(name="Lonely")
    world["hidden"].themes.add(lonely)
    assert "lonely" not in [t["slug"] for t in fetch(client, "/api/v1/themes/").json()["results"]]
    assert fetch(client, "/api/v1/themes/lonely/").status_code == 404


def test_a_hidden_storys_corrections_are_not_listed(client, world):
    body = fetch(client, "/api/v1/corrections/").json()
    assert [c["article"]["slug"] for c in body["results"]] == [world["published"].slug]


def test_the_published_story_shows_only_its_own_quotes_and_corrections(client, world):
    body = fetch(client, f"/api/v1/articles/{world['published'].slug}/").json()
    assert [q["text"] for q in body["quotes"]] == ["Public words"]
    assert len(body["corrections"]) == 1


def test_a_scheduled_story_appears_when_its_time_comes(client, world):
    hidden = world["hidden"]
    if hidden.status != Article.Status.PUBLISHED:
        pytest.skip("only a scheduled story goes live by itself")
    assert fetch(client, f"/api/v1/articles/{hidden.slug}/").status_code == 404
    Article.objects.filter(pk=hidden.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/api/v1/articles/{hidden.slug}/").status_code == 200
