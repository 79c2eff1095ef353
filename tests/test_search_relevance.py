"""What comes first when a reader searches: a set of queries and the story each must return first
(issue 14), and the bound on how many matches are ranked (articles/searchrank.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import searchrank

from .factories import make_article, make_draft, make_scheduled

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")


def story(slug, headline, body="<p>A report from the desk.</p>", days_ago=1, **fields):
    return make_article(
        slug=slug,
        headline=headline,
        standfirst="",
        body=body,
        published_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def found(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    page = response.context["page_obj"]
    return [a.slug for a in page.object_list] if page else []


@pytest.fixture
def desk(db):
    """A small archive, written oldest first as a newsroom writes it."""
    story("old-ring", "Trafficking ring broken up in Aswan", days_ago=400)
    story("notes", "Weekly notes", "<p>Aswan, Aswan and Aswan: the week in Aswan.</p>", 4)
    story("budget", "Budget report", "<p>Trafficking, trafficking and trafficking again.</p>", 3)
    story("cairo-talks", "Cairo hosts trafficking talks", days_ago=30)
    story("cairo-budget", "Trafficking budget", "<p>The ministry in Cairo said so.</p>", 2)
    story("phrase", "Courts report", "<p>Cases of child trafficking rose.</p>", 20)
    story("apart", "Schools report", "<p>A child was moved; trafficking was suspected.</p>", 1)
    story("shelter-old", "Shelter opens for survivors", "<p>Survivors find a home.</p>", 50)
    story("shelter-new", "Shelter opens for survivors", "<p>Survivors find a home.</p>", 5)
    make_draft(slug="draft", headline="Survivors of trafficking: the draft", body="")
    make_scheduled(slug="embargo", headline="Survivors of trafficking: embargoed", body="")


QUERIES = [
    # A headline match beats newer stories that only mention the word, however often.
    ("aswan", "old-ring"),
    # Both words in the headline beat one in the headline and one in the body.
    ("trafficking cairo", "cairo-talks"),
    # Equal matches: the most recently published first.
    ("shelter survivors", "shelter-new"),
    ('"shelter opens"', "shelter-new"),
    # A quoted phrase finds the words together before the same words apart.
    ('"child trafficking"', "phrase"),
    # Excluded words leave out the stories that have them.
    ("trafficking -aswan -cairo", "budget"),
]


@pytest.mark.parametrize(("query", "first"), QUERIES)
def test_the_expected_story_comes_first(client, desk, query, first):
    assert found(client, query)[0] == first


def test_headline_matches_all_come_before_body_matches(client, desk):
    results = found(client, "trafficking")
    headline_matches = ["old-ring", "cairo-talks", "cairo-budget"]
    assert sorted(results[:3]) == sorted(headline_matches)
    assert set(results[3:]) == {"budget", "phrase", "apart"}


def test_among_equals_the_publication_time_decides_not_the_writing_order(client):
    story("written-first", "Shelter opens", days_ago=1)
    story("written-later", "Shelter opens", days_ago=9)
    assert found(client, "shelter") == ["written-first", "written-later"]


def test_a_quoted_phrase_leaves_out_the_words_apart(client, desk):
    assert "apart" in found(client, "child trafficking")
    assert found(client, '"child trafficking"') == ["phrase"]


def test_drafts_and_scheduled_stories_never_appear(client, desk):
    for query in ("trafficking", "survivors", "draft", "embargoed"):
        assert not {"draft", "embargo"} & set(found(client, query)), query


@pytest.fixture
def bound(monkeypatch):
    """A bound of two, so a handful of stories shows what 100,000 would."""
    monkeypatch.setattr(searchrank, "CANDIDATES", 2)
    return 2


def test_an_old_headline_match_comes_first_past_the_bound(client, bound):
    story("old-headline", "Migration routes mapped", days_ago=900)
    for n in range(6):
        story(f"mention-{n}", f"Report {n}", "<p>Migration was discussed.</p>", days_ago=10 - n)
    results = found(client, "migration")
    # The headline match, then the newest matches (the bound and one more), newest first.
    assert results == ["old-headline", "mention-5", "mention-4", "mention-3"]


def test_past_the_bound_the_page_says_more_match_instead_of_a_total(client, bound):
    for n in range(5):
        story(f"mention-{n}", f"Report {n}", "<p>Migration was discussed.</p>", days_ago=10 - n)
    response = client.get(URL, {"q": "migration"})
    assert response.context["page_obj"].paginator.object_list.more
    assert b"More than 2 articles match" in response.content
    assert b"5 results" not in response.content


def test_within_the_bound_the_count_is_exact(client, bound):
    story("one", "Report one", "<p>Migration was discussed.</p>")
    story("two", "Migration report")
    response = client.get(URL, {"q": "migration"})
    assert response.context["page_obj"].paginator.count == 2
    assert not response.context["page_obj"].paginator.object_list.more
    assert b"2 results for" in response.content


def test_drafts_never_appear_past_the_bound(client, bound):
    story("old", "Asylum ruling", days_ago=100)
    for n in range(4):
        make_draft(slug=f"draft-{n}", headline=f"Asylum draft {n}")
    assert found(client, "asylum") == ["old"]


def test_the_bound_pages_like_any_result_list(client, monkeypatch):
    monkeypatch.setattr(searchrank, "CANDIDATES", 12)
    for n in range(15):
        story(f"report-{n}", f"Report {n}", "<p>Migration was discussed.</p>", days_ago=20 - n)
    first, second = found(client, "migration"), found(client, "migration", page=2)
    assert len(first) == 10 and len(second) == 3
    assert first[0] == "report-14" and not set(first) & set(second)


def test_a_headline_edited_to_hold_the_word_moves_up(client):
    story("mention", "Report", "<p>Statelessness was discussed.</p>", days_ago=1)
    edited = story("edited", "Weekly round-up", "<p>Statelessness again.</p>", days_ago=9)
    assert found(client, "statelessness") == ["mention", "edited"]
    edited.headline = "Statelessness: the round-up"
    edited.save()
    assert found(client, "statelessness") == ["edited", "mention"]
