"""A reader searching: ranked, highlighted, published-only results, whatever they type."""

import pytest
from django.urls import reverse

from articles.search import Search, highlight

from .factories import make_article, make_draft, make_person, make_scheduled, make_theme

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")


def results_for(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    page = response.context["page_obj"]
    return response, ([a.headline for a in page.object_list] if page else [])


def test_finds_words_in_the_body_text_not_its_markup(client):
    make_article(
        headline="Regional conference", body="<p>Delegates met in <strong>Cairo</strong>.</p>"
    )
    make_article(headline="Unrelated", body='<p><a href="https://cairo.example">link</a></p>')
    response, found = results_for(client, "cairo")
    assert found == ["Regional conference"]
    assert response.context["page_obj"].paginator.count == 1


def test_headline_matches_rank_above_body_matches(client):
    make_article(headline="Budget report", body="<p>" + "trafficking " * 3 + "</p>")
    make_article(headline="Trafficking in persons", body="<p>A report.</p>")
    _, found = results_for(client, "trafficking")
    assert found == ["Trafficking in persons", "Budget report"]


def test_finds_articles_by_theme_and_by_the_people_they_mention(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        theme = make_theme(name="Child protection")
        person = make_person(name="Naela Gabr", also_known_as="")
        make_article(headline="Conference", themes=[theme], people=[person])
        make_article(headline="Something else")
    assert results_for(client, "protection")[1] == ["Conference"]
    assert results_for(client, "Gabr")[1] == ["Conference"]


def test_renaming_a_person_updates_what_finds_their_articles(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = make_person(name="Sahar Sonbaty")
        make_article(headline="Council speaks", people=[person])
    with django_capture_on_commit_callbacks(execute=True):
        person.name = "Sahar Elsonbaty"
        person.save()
    assert results_for(client, "Elsonbaty")[1] == ["Council speaks"]


def test_snippet_highlights_the_match_and_escapes_the_text(client):
    make_article(
        headline="Report",
        body="<p>They said &lt;script&gt;alert(1)&lt;/script&gt; the trafficking response.</p>",
    )
    response, found = results_for(client, "trafficking")
    html = response.content.decode()
    assert "<mark>trafficking</mark>" in html
    assert "<script>" not in html
    assert "alert(1)" in html  # shown as text (PostgreSQL's parser drops tag-like words)


def test_drafts_and_scheduled_articles_are_never_found(client):
    make_draft(headline="Secret draft about trafficking")
    make_scheduled(headline="Embargoed trafficking story")
    make_article(headline="Public trafficking story")
    _, found = results_for(client, "trafficking")
    assert found == ["Public trafficking story"]


def test_quoted_phrases_and_excluded_words(client):
    make_article(headline="Child trafficking conference")
    make_article(headline="Trafficking of goods and child labour")
    assert results_for(client, '"child trafficking"')[1] == ["Child trafficking conference"]
    assert results_for(client, "trafficking -conference")[1] == [
        "Trafficking of goods and child labour"
    ]


def test_results_are_paginated(client):
    for n in range(12):
        make_article(headline=f"Migration story {n}")
    response, found = results_for(client, "migration")
    assert len(found) == 10
    assert response.context["page_obj"].paginator.count == 12
    _, second = results_for(client, "migration", page=2)
    assert len(second) == 2


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '""',
        "-",
        "AND OR NOT",
        "a" * 5000,
        "word " * 500,
        "NEAR(a b)",
        "col:value",
        "*",
        "^start",
        "x\x00y",
        "😀🎉",
        "' OR 1=1 --",
        "\\",
        "%_%",
        "-trafficking",
        'unbalanced "quote',
    ],
)
def test_odd_queries_get_a_helpful_page_never_an_error(client, query):
    make_article(headline="Trafficking")
    response = client.get(URL, {"q": query, "page": "abc"})
    assert response.status_code == 200
    assert b"<h1>Search</h1>" in response.content


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e400", "9" * 30, ""])
def test_odd_page_numbers_never_give_an_error(client, page):
    make_article(headline="Trafficking")
    response = client.get(URL, {"q": "trafficking", "page": page})
    assert response.status_code == 200


def test_a_long_query_is_shortened_and_the_reader_is_told(client):
    response = client.get(URL, {"q": "trafficking " * 100})
    assert response.context["search"].truncated
    assert b"Your search was long" in response.content


def test_search_page_makes_the_same_number_of_queries_for_1_and_10_results(
    client, django_assert_num_queries, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The search's own queries: the page cache's checks differ between a first and a later
    # request, whatever the page.
    settings.PUBLIC_PAGE_CACHE = False
    make_article(headline="Migration one")
    with CaptureQueriesContext(connection) as one:
        client.get(URL, {"q": "migration"})
    for n in range(9):
        make_article(headline=f"Migration {n}")
    with django_assert_num_queries(len(one)):
        client.get(URL, {"q": "migration"})


def test_highlight_only_trusts_its_own_markers():
    assert highlight("<b>\x02x\x03</b>") == "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"


def test_parse_ignores_operators_and_keeps_words():
    search = Search.from_input('NEAR(child "human trafficking") -labour OR')
    assert [t.words for t in search.wanted] == [("NEAR",), ("child",), ("human", "trafficking")]
    assert [t.words for t in search.excluded] == [("labour",)]


def test_sqlite_index_triggers_come_back_after_a_table_rebuild(client):
    """Migrations that rebuild the articles table drop its triggers; migrate restores them."""
    from django.db import connection

    from articles.searchindex import ensure_sqlite_triggers

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps triggers when a table is altered")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_article_fts_insert")
    make_article(headline="Written while the trigger was missing")
    ensure_sqlite_triggers(sender=None)
    make_article(headline="Written after the trigger came back")
    assert sorted(results_for(client, "written")[1]) == [
        "Written after the trigger came back",
        "Written while the trigger was missing",
    ]


def test_hyphenated_names_are_found_as_written(client):
    make_article(headline="Council speaks", body="<p>Sahar Al-Sonbaty opened the session.</p>")
    make_article(headline="Other", body="<p>Al Ahram and Sonbaty street.</p>")
    assert results_for(client, "Al-Sonbaty")[1] == ["Council speaks"]
    assert results_for(client, "Sahar Al-Sonbaty")[1] == ["Council speaks"]
    assert results_for(client, "council -Al-Sonbaty")[1] == []


def test_a_search_with_no_match_says_so(client):
    make_article(headline="Trafficking")
    response, found = results_for(client, "zebrafish")
    assert found == []
    assert b"No published articles match" in response.content
    assert b"nothing to search for" not in response.content
