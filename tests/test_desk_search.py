"""The desk's article search finds stories the way editors remember them (issue 11)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from workflow.roles import REPORTER

from .factories import (
    make_article,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_theme,
)
from .test_admin import admin_url
from .test_workflow import in_role

pytestmark = pytest.mark.django_db


def found(client, q):
    response = client.get(admin_url(Article, "changelist"), {"q": q})
    assert response.status_code == 200
    return {a.headline for a in response.context["cl"].result_list}


def test_the_launch_story_is_found_by_a_quoted_person(editor_client):
    call_command("loaddata", "conference", verbosity=0)
    launch = Article.objects.get().headline
    for q in ("Gabr", "Naela Gabr", "Sonbaty", "NCCPIM", "Scott Sanford", "gab"):
        assert found(editor_client, q) == {launch}, q
    assert found(editor_client, "Gabr -Cairo") == set()
    assert found(editor_client, "nobody-by-this-name") == set()


def test_found_by_theme_quote_words_byline_dateline_people_and_organizations(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = make_person(name="Hoda Mansour", also_known_as="Umm Karim")
        article = make_draft(
            headline="A plain headline",
            byline="By Lina Farouk",
            dateline="ASWAN",
            themes=[make_theme(name="Statelessness")],
            organizations=[make_organization(name="Joint Arab Council", short_name="JAC")],
        )
        make_quote_by(person, article, text="Every paper we lose costs a child a school.")
        make_article(headline="Another story")
    for q in ("Statelessness", "costs a child", "Farouk", "Aswan", "Mansour", "Umm Karim", "JAC"):
        assert found(editor_client, q) == {"A plain headline"}, q


def test_a_changed_quote_is_found_by_its_new_words(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        quote = make_quote_by(make_person(), make_article(headline="Quoted"), text="Old words.")
    with django_capture_on_commit_callbacks(execute=True):
        quote.text = "Borders do not stop traffickers."
        quote.save()
    assert found(editor_client, "traffickers") == {"Quoted"}
    assert found(editor_client, "Old words") == set()
    with django_capture_on_commit_callbacks(execute=True):
        quote.delete()
    assert found(editor_client, "traffickers") == set()


def test_a_reporter_finds_their_own_stories_only(client, django_user_model):
    reporter = in_role(django_user_model, "rania", REPORTER)
    other = in_role(django_user_model, "omar", REPORTER)
    make_draft(headline="Rania on Aswan", created_by=reporter, dateline="ASWAN")
    make_draft(headline="Omar on Aswan", created_by=other, dateline="ASWAN")
    client.force_login(reporter)
    assert found(client, "Aswan") == {"Rania on Aswan"}


def test_public_search_still_shows_published_stories_only(client):
    make_draft(headline="Draft about smuggling")
    make_article(headline="Published about smuggling")
    page = client.get("/search/", {"q": "smuggling"}).content.decode()
    assert "Published about smuggling" in page and "Draft about smuggling" not in page


def changelist_queries(client, q):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(Article, "changelist"), {"q": q})
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


def test_a_search_costs_the_same_queries_for_1_and_50_matches(editor_client):
    theme, person = make_theme(name="Remittances"), make_person()
    make_quote_by(person, make_article(headline="Remittances rise", themes=[theme]))
    make_article(headline="Unrelated")
    editor_client.get(admin_url(Article, "changelist"))  # sessions, content types: warmed up
    one, count = changelist_queries(editor_client, "Remittances")
    assert count == 1
    for n in range(49):
        make_quote_by(person, make_draft(headline=f"Remittances story {n}", themes=[theme]))
    fifty, count = changelist_queries(editor_client, "Remittances")
    assert count == 50
    assert one == fifty
