"""What a partner reads through the API, as articles/api/queries.py fetches it: each story once,
its parts in the order the desk gave them, a translation link only to the other edition's
published story, and the same number of queries however many pictures and parents a page shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Image

from .factories import (
    make_article,
    make_correction,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
)

pytestmark = pytest.mark.django_db

RENDERING = 2  # the change clock and the next scheduled moment (as in tests/test_api.py)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.fixture
def uncached(settings):
    settings.PUBLIC_PAGE_CACHE = False


# Translation links -------------------------------------------------------------------------


def same_language_link(original, **fields):
    """A story saved around the desk's validation (a script, an import) as the "translation" of
    a story in its own edition: the database allows it, the desk's form does not."""
    article = make_article(**fields)
    Article.objects.filter(pk=article.pk).update(translation_of=original)
    return article


def test_a_story_linked_to_one_in_its_own_edition_is_not_offered_as_its_translation(client):
    original = make_article(headline="IOM warns of child trafficking", slug="iom-warns")
    copy = same_language_link(original, headline="IOM warns, again", slug="iom-warns-again")
    assert get(client, f"/api/v1/articles/{copy.slug}/")["translation"] is None
    assert get(client, f"/api/v1/articles/{original.slug}/")["translation"] is None
    assert "associations" not in get(client, f"/api/v1/articles/{copy.slug}.ninjs")


def test_a_story_is_listed_once_with_its_other_editions_translation(client):
    original = make_article(headline="IOM warns of child trafficking", slug="iom-warns")
    arabic = make_article(language="ar", slug="الهجرة-تحذر", translation_of=original)
    copy = same_language_link(original, slug="iom-warns-again")
    body = get(client, "/api/v1/articles/")
    listed = [item["slug"] for item in body["results"]]
    assert sorted(listed) == sorted([original.slug, arabic.slug, copy.slug])
    (shown,) = [item for item in body["results"] if item["slug"] == original.slug]
    assert shown["translation"]["id"] == str(arabic.uid)
    assert get(client, f"/api/v1/articles/{original.slug}/")["translation"]["language"] == "ar"


# Counts of mentions ---------------------------------------------------------------------------


def test_a_person_mentioned_and_quoted_in_two_stories_counts_two(client):
    person = make_person(name="Naela Gabr", slug="naela-gabr")
    organization = make_organization(name="IOM Egypt", slug="iom-egypt")
    make_role_at(person, organization)
    for _ in range(2):
        article = make_article(people=[person], organizations=[organization])
        make_quote_by(person, article)
        make_quote_by(person, article)
    make_article(people=[person], organizations=[organization], status=Article.Status.DRAFT)
    assert [p["article_count"] for p in get(client, "/api/v1/people/")["results"]] == [2]
    assert get(client, "/api/v1/people/naela-gabr/")["article_count"] == 2
    assert get(client, "/api/v1/organizations/iom-egypt/")["article_count"] == 2


# Order of a story's parts ---------------------------------------------------------------------


def test_quotes_read_in_the_desks_order_not_the_order_typed(client):
    article = make_article()
    make_quote_by(make_person(), article, text="Said last.", order=2)
    make_quote_by(make_person(), article, text="Said first.", order=1)
    body = get(client, f"/api/v1/articles/{article.slug}/")
    assert [q["text"] for q in body["quotes"]] == ["Said first.", "Said last."]


def test_corrections_read_in_the_order_they_were_published(client):
    article = make_article()
    now = timezone.now()
    make_correction(article, right="Published second.", published_at=now - timedelta(minutes=1))
    make_correction(article, right="Published first.", published_at=now - timedelta(minutes=2))
    body = get(client, f"/api/v1/articles/{article.slug}/")
    assert [c["right"] for c in body["corrections"]] == ["Published first.", "Published second."]


def test_a_persons_roles_read_in_the_desks_order(client):
    person = make_person(name="Naela Gabr", slug="naela-gabr")
    organization = make_organization(name="IOM Egypt")
    make_article(people=[person])
    make_role_at(person, organization, title="Listed last", order=2)
    make_role_at(person, organization, title="Listed first", order=1)
    body = get(client, "/api/v1/people/naela-gabr/")
    assert [role["title"] for role in body["roles"]] == ["Listed first", "Listed last"]
    document = get(client, f"/api/v1/articles/{person.articles.get().slug}.ninjs?version=3.1")
    assert document["people"][0]["rel"].startswith("Listed first, IOM Egypt")


# Rows whose ids do not follow the order they were written in (copied in from another database,
# say): PostgreSQL reads them back in the order written, so only the tie-break by id keeps the
# order the desk shows. (SQLite reads a table in id order, where the two cannot differ.)
FIRST, SECOND = 10**6, 10**6 - 1


def test_corrections_published_together_read_in_the_order_of_their_ids(client):
    article = make_article()
    moment = timezone.now() - timedelta(minutes=1)
    make_correction(article, pk=FIRST, right="Higher id.", published_at=moment)
    make_correction(article, pk=SECOND, right="Lower id.", published_at=moment)
    body = get(client, f"/api/v1/articles/{article.slug}/")
    assert [c["right"] for c in body["corrections"]] == ["Lower id.", "Higher id."]


def test_roles_in_the_same_place_read_in_the_order_of_their_ids(client):
    person = make_person(name="Naela Gabr", slug="naela-gabr")
    article = make_article(people=[person])
    organization = make_organization(name="IOM Egypt")
    make_role_at(person, organization, pk=FIRST, title="Higher id", order=1)
    make_role_at(person, organization, pk=SECOND, title="Lower id", order=1)
    body = get(client, "/api/v1/people/naela-gabr/")
    assert [role["title"] for role in body["roles"]] == ["Lower id", "Higher id"]
    document = get(client, f"/api/v1/articles/{article.slug}.ninjs?version=3.1")
    assert document["people"][0]["rel"] == "Lower id, IOM Egypt"


# Query budgets --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 5])
def test_lead_pictures_cost_no_query_more(client, uncached, django_assert_num_queries, count):
    for n in range(count):
        picture = Image.objects.create(
            file=f"library/{n}.jpg", width=800, height=600, alt=f"A hall, {n}"
        )
        make_article(lead_picture=picture)
    with django_assert_num_queries(RENDERING + 6):
        body = get(client, "/api/v1/articles/")
    assert all(item["lead_image"]["alt"].startswith("A hall") for item in body["results"])


@pytest.mark.parametrize("count", [1, 5])
def test_parent_organizations_cost_no_query_more(
    client, uncached, django_assert_num_queries, count
):
    for _ in range(count):
        make_organization(parent=make_organization())
    with django_assert_num_queries(RENDERING + 1):
        body = get(client, "/api/v1/organizations/")
    assert sum(item["parent"] is not None for item in body["results"]) == count
