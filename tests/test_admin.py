"""The editors' workspace: every page opens, lists cost the same at any length, forms refuse bad
input with a message instead of a database error, and the actions do what they say."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import APIKey, Article, Correction, Image, Quote, Theme, ThemedArticle
from desk.conflicts import VERSION_FIELD, version_token
from people.models import Organization, Person, Role
from tests.factories import (
    make_article,
    make_draft,
    make_organization,
    make_person,
    make_quote,
    make_role,
    make_theme,
)
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_rich_row(model):
    """One row of `model` with the related data its changelist shows."""
    if model is Article:
        article = make_article(
            themes=[make_theme(), make_theme()],
            people=[make_person()],
            organizations=[make_organization()],
        )
        make_quote(article=article)
        Correction.objects.create(article=article, wrong="x", right="y")
        return article
    if model is Quote:
        return make_quote()
    if model is APIKey:
        return APIKey.objects.create_key(name="Partner")[0]
    if model is Correction:
        return Correction.objects.create(article=make_article(), wrong="x", right="y")
    if model is Theme:
        theme = make_theme()
        make_article(themes=[theme])
        return theme
    if model is Person:
        person = make_person()
        make_role(person=person, organization=make_organization(parent=make_organization()))
        make_quote(person=person)
        return person
    if model is Organization:
        org = make_organization(parent=make_organization())
        make_role(organization=org)
        return org
    if model is Role:
        return make_role(organization=make_organization(parent=make_organization()))
    if model is Image:
        # A row whose original is not on disk: the list and form still open (no rendition).
        n = Image.objects.count()
        image = Image.objects.create(file=f"library/{n}.jpg", width=800, height=600, alt="A hall")
        make_article(lead_picture=image)
        return image
    raise AssertionError(f"No test data for {model._meta.label}: add it to make_rich_row")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Every page opens -------------------------------------------------------------------------------


def test_every_project_model_has_an_admin():
    assert set(REGISTERED) >= {Article, Quote, Correction, Theme, Person, Organization, Role}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_open_for_a_superuser(editor_client, model):
    if model._meta.app_label in {"articles", "people"}:
        obj = make_rich_row(model)
    else:
        obj = model.objects.first()
    assert editor_client.get(admin_url(model, "changelist")).status_code == 200
    assert editor_client.get(admin_url(model, "changelist"), {"q": "x"}).status_code == 200
    # The audit trail is written by the workflow alone: nobody adds to it by hand.
    expected_add = 403 if model is AuditEvent else 200
    assert editor_client.get(admin_url(model, "add")).status_code == expected_add
    if obj is not None:
        assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(
    "model",
    [Article, Quote, Correction, Theme, Person, Organization, Role, Image],
    ids=lambda model: model._meta.label,
)
def test_changelist_makes_the_same_number_of_queries_for_one_row_and_fifty(editor_client, model):
    make_rich_row(model)
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as one_row:
        assert editor_client.get(url).status_code == 200
    for _ in range(49):
        make_rich_row(model)
    with CaptureQueriesContext(connection) as fifty_rows:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 50
    assert len(fifty_rows) == len(one_row), "\n".join(q["sql"] for q in fifty_rows.captured_queries)


def test_article_list_shows_themes_quote_counts_and_scheduled_status(editor_client):
    article = make_article(
        themes=["Migration", "Child protection"], published_at=timezone.now() + timedelta(days=1)
    )
    make_quote(article=article)
    make_quote(article=article)
    response = editor_client.get(admin_url(Article, "changelist"))
    row = response.content.decode()
    assert "Child protection, Migration" in row
    assert '<td class="field-quote_count">2</td>' in row
    assert "Scheduled" in row


def test_article_list_filters_by_theme_and_status(editor_client):
    theme = make_theme(name="Migration")
    tagged = make_article(themes=[theme])
    make_article()
    make_draft(themes=[theme])
    response = editor_client.get(
        admin_url(Article, "changelist"), {"themes__id__exact": theme.pk, "status": "published"}
    )
    assert list(response.context["cl"].result_list) == [tagged]


# Article form -----------------------------------------------------------------------------------


def article_form(**overrides):
    data = {
        "headline": "Conference on child trafficking opens in Cairo",
        "slug": "conference-cairo",
        "standfirst": "",
        "body": "<p>Officials met.</p>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "dateline": "CAIRO",
        "byline": "",
        "source": "",
        "source_url": "",
        "lead_picture": "",
        "lead_image_caption": "",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    # The change page carries the version it was loaded at (desk/conflicts.py): the form of the
    # article with this slug, as stored now.
    data.setdefault(VERSION_FIELD, loaded_version(Article, slug=data["slug"]))
    return data


def loaded_version(model, **lookup):
    """The version a change page of the row would carry now, or "" if there is no such row."""
    obj = model.objects.filter(**lookup).first()
    return version_token(obj) if obj is not None else ""


def test_adding_an_article_records_who_created_it_and_links_themes(editor_client, editor):
    theme = make_theme(name="Migration")
    person = make_person()
    response = editor_client.post(
        admin_url(Article, "add"),
        article_form(themes=[theme.pk], people=[person.pk]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="conference-cairo")
    assert article.created_by == editor
    assert article.last_edited_by == editor
    assert list(article.themes.all()) == [theme]
    assert list(article.people.all()) == [person]


def test_editing_an_article_changes_its_themes_and_records_the_editor(
    editor_client, editor, django_capture_on_commit_callbacks
):
    old, new = make_theme(name="Old"), make_theme(name="Trafficking")
    article = make_article(themes=[old])
    page = editor_client.get(admin_url(Article, "change", article.pk)).content.decode()
    assert f'<option value="{old.pk}" selected>Old</option>' in page
    data = article_form(
        headline=article.headline, slug=article.slug, status="published", themes=[new.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert list(article.themes.names()) == ["Trafficking"]
    assert article.last_edited_by == editor
    assert article.created_by is None
    assert "Trafficking" in article.search_keywords


def test_theme_field_autocompletes_from_the_theme_admin(editor_client):
    make_theme(name="Migration")
    make_theme(name="Child protection")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "themes", "term": "migr"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Migration"]


def test_oversized_headline_is_a_form_error_not_a_database_error(editor_client):
    response = editor_client.post(admin_url(Article, "add"), article_form(headline="x" * 300))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "at most 255 characters (it has 300)" in errors["headline"][0]
    assert Article.objects.count() == 0


def test_oversized_quote_capacity_and_source_address_are_form_errors(editor_client):
    person = make_person()
    data = article_form(
        source_url="https://example.org/" + "a" * 600,
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": person.pk,
            "quotes-0-text": "We will act.",
            "quotes-0-capacity": "c" * 300,
            "quotes-0-order": "1",
        },
    )
    response = editor_client.post(admin_url(Article, "add"), data)
    assert response.status_code == 200
    assert "source_url" in response.context["adminform"].form.errors
    assert "capacity" in response.context["inline_admin_formsets"][0].formset.errors[0]
    assert Article.objects.count() == 0
    assert Quote.objects.count() == 0


def test_duplicate_slug_gets_a_message_an_editor_understands(editor_client):
    make_article(slug="conference-cairo")
    response = editor_client.post(admin_url(Article, "add"), article_form())
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Another article already uses this address. Change the slug, for example by adding the "
        "place or the date of the story."
    ]
    assert Article.objects.count() == 1


def test_publishing_from_the_form_without_a_body_is_refused(editor_client):
    response = editor_client.post(
        admin_url(Article, "add"), article_form(status="published", body="<p></p>")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "A published article needs a body."
    ]
    assert Article.objects.count() == 0


def test_quote_without_a_person_is_a_form_error(editor_client):
    data = article_form(
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": "",
            "quotes-0-text": "Words with no speaker.",
            "quotes-0-capacity": "",
            "quotes-0-order": "1",
        }
    )
    response = editor_client.post(admin_url(Article, "add"), data)
    assert response.status_code == 200
    quote_errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert quote_errors["person"][0].startswith("Choose who said it.")
    assert Article.objects.count() == 0


def test_two_quotes_in_the_same_position_are_a_form_error(editor_client):
    article = make_article()
    existing = make_quote(article=article, order=1)
    person = make_person()
    data = article_form(
        headline=article.headline,
        slug=article.slug,
        **{
            "quotes-TOTAL_FORMS": "2",
            "quotes-INITIAL_FORMS": "1",
            "quotes-0-id": existing.pk,
            "quotes-0-article": article.pk,
            "quotes-0-person": existing.person_id,
            "quotes-0-text": existing.text,
            "quotes-0-capacity": "",
            "quotes-0-order": "1",
            "quotes-1-article": article.pk,
            "quotes-1-person": person.pk,
            "quotes-1-text": "Second quote.",
            "quotes-1-capacity": "",
            "quotes-1-order": "1",
        },
    )
    response = editor_client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == ["Please correct the duplicate data for order."]
    assert article.quotes.count() == 1


def test_quote_admin_refuses_a_second_quote_in_the_same_position(editor_client):
    existing = make_quote(order=3)
    data = {
        "article": existing.article_id,
        "person": make_person().pk,
        "text": "Other words.",
        "capacity": "",
        "order": "3",
    }
    response = editor_client.post(admin_url(Quote, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Two quotes in this article have the same position. Give each quote its own number."
    ]
    assert Quote.objects.count() == 1


def test_role_admin_refuses_the_same_title_twice_at_one_organization(editor_client):
    role = make_role()
    data = {
        "person": role.person_id,
        "organization": role.organization_id,
        "title": role.title,
        "start_date": "",
        "end_date": "",
        "order": "0",
    }
    response = editor_client.post(admin_url(Role, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "This person already holds this title at this organization."
    ]
    assert Role.objects.count() == 1


def test_correction_added_inline_records_its_author(editor_client, editor):
    article = make_article()
    data = article_form(
        headline=article.headline,
        slug=article.slug,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-published_at_0": "2025-01-02",
            "corrections-0-published_at_1": "10:00:00",
            "corrections-0-wrong": "The conference was in Alexandria.",
            "corrections-0-right": "It was in Cairo.",
        },
    )
    response = editor_client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 302
    assert article.corrections.get().created_by == editor


# Publish and unpublish actions ------------------------------------------------------------------


def run_action(client, model, action, objects, **extra):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **extra},
        follow=True,
    )


def test_publish_action_publishes_drafts_and_refuses_one_without_body(editor_client, editor):
    ready = make_draft(published_at=None)
    empty = make_draft(headline="Half-written", body="")

    response = run_action(editor_client, Article, "publish", [ready, empty])

    assert response.status_code == 200
    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.status == Article.Status.PUBLISHED
    assert ready.published_at is not None
    assert ready.last_edited_by == editor
    assert ready in Article.objects.published()
    assert empty.status == Article.Status.DRAFT
    shown = messages_of(response)
    assert "Published 1 article(s). Any with a future publication time go live at that time." in (
        shown
    )
    assert "Not published: “Half-written”. A published article needs a body." in shown


def test_unpublish_action_takes_articles_off_the_site(editor_client, editor):
    live = make_article()
    response = run_action(editor_client, Article, "unpublish", [live])
    live.refresh_from_db()
    assert live.status == Article.Status.UNPUBLISHED
    assert live.last_edited_by == editor
    assert not Article.objects.published().exists()
    assert "Unpublished 1 article(s). Readers no longer see them." in messages_of(response)


# Themes -----------------------------------------------------------------------------------------


def theme_form(**overrides):
    return {"name": "Migration", "slug": "migration", "description": "", "iptc_code": ""} | (
        overrides
    )


def test_theme_admin_refuses_a_case_variant_of_an_existing_theme(editor_client):
    make_theme(name="Migration")
    response = editor_client.post(
        admin_url(Theme, "add"), theme_form(name="MIGRATION", slug="migration-2")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        'There is already a theme called "Migration".'
    ]
    assert Theme.objects.count() == 1


def test_theme_named_with_punctuation_only_gets_an_address(editor_client):
    response = editor_client.post(admin_url(Theme, "add"), theme_form(name="!!!", slug=""))
    assert response.status_code == 302
    theme = Theme.objects.get(name="!!!")
    assert theme.slug
    assert theme.get_absolute_url() == f"/themes/{theme.slug}/"


def test_theme_whose_address_is_taken_gets_a_form_error_not_a_database_error(editor_client):
    longest = " ".join(["x"] * 50)  # 99 characters: its slug fills the column but for one
    make_theme(name=longest)
    response = editor_client.post(
        admin_url(Theme, "add"), theme_form(name=longest.replace(" ", "-"), slug="")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Another theme already uses this address. Change the slug."
    ]
    assert Theme.objects.count() == 1


def test_article_form_explains_fields_to_editors(editor_client):
    page = editor_client.get(admin_url(Article, "add")).content.decode()
    assert "Only “Published” is visible to readers" in page
    assert "Type to search; add new themes under Themes." in page


def test_merge_action_asks_which_theme_to_keep(editor_client):
    first, second = make_theme(name="Trafficking"), make_theme(name="trafficking in persons")
    make_article(themes=[second])
    response = run_action(editor_client, Theme, "merge_themes", [first, second])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Which theme do you keep?" in page
    assert "trafficking in persons (1 article(s))" in page
    assert Theme.objects.count() == 2


def test_merge_action_retags_articles_and_deletes_the_duplicates(editor_client):
    keep = make_theme(name="Human trafficking")
    dup = make_theme(name="Trafficking")
    only_dup = make_article(themes=[dup])
    both = make_article(themes=[keep, dup])

    response = run_action(
        editor_client, Theme, "merge_themes", [keep, dup], post="yes", survivor=keep.pk
    )

    assert response.status_code == 200
    assert list(Theme.objects.all()) == [keep]
    assert list(only_dup.themes.all()) == [keep]
    assert list(both.themes.all()) == [keep]
    assert ThemedArticle.objects.filter(content_object=both).count() == 1
    assert "Merged “Trafficking” into “Human trafficking”; 2 article(s) re-tagged." in (
        messages_of(response)
    )


def test_merge_action_refuses_a_survivor_outside_the_selection(editor_client):
    a, b, outsider = make_theme(), make_theme(), make_theme()
    response = run_action(
        editor_client, Theme, "merge_themes", [a, b], post="yes", survivor=outsider.pk
    )
    assert response.status_code == 200
    assert Theme.objects.count() == 3
    assert "Select a valid choice" in response.content.decode()


def test_merge_action_needs_two_themes(editor_client):
    theme = make_theme()
    response = run_action(editor_client, Theme, "merge_themes", [theme])
    assert "Select at least two themes to merge." in messages_of(response)
    assert Theme.objects.count() == 1


# People and organizations -----------------------------------------------------------------------


def organization_form(org, **overrides):
    data = {
        "name": org.name,
        "slug": org.slug,
        "short_name": org.short_name,
        "kind": org.kind,
        "parent": org.parent_id or "",
        "country": org.country,
        "description": org.description,
        "website": org.website,
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        VERSION_FIELD: loaded_version(Organization, pk=org.pk),
    }
    data.update(overrides)
    return data


def test_organization_cannot_be_made_a_member_of_its_own_member(editor_client):
    parent = make_organization(name="IOM")
    child = make_organization(name="IOM Egypt", parent=parent)
    response = editor_client.post(
        admin_url(Organization, "change", parent.pk), organization_form(parent, parent=child.pk)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "An organization cannot belong to itself or to one of its own member organizations."
    ]
    parent.refresh_from_db()
    assert parent.parent is None


def test_organization_cannot_be_its_own_parent_in_the_admin(editor_client):
    org = make_organization()
    response = editor_client.post(
        admin_url(Organization, "change", org.pk), organization_form(org, parent=org.pk)
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors


def test_organization_form_saves_a_valid_parent_and_records_the_editor(editor_client, editor):
    parent, org = make_organization(), make_organization()
    response = editor_client.post(
        admin_url(Organization, "change", org.pk),
        organization_form(org, parent=parent.pk, website="iom.int"),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.parent == parent
    assert org.website == "https://iom.int"
    assert org.last_edited_by == editor


def test_person_roles_are_added_inline_and_duplicates_refused(editor_client, editor):
    org = make_organization()
    data = {
        "name": "Laurent de Boeck",
        "slug": "laurent-de-boeck",
        "honorific": "",
        "also_known_as": "",
        "bio": "",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "0",
    }
    for i in range(2):
        data |= {
            f"roles-{i}-title": "Chief of Mission",
            f"roles-{i}-organization": org.pk,
            f"roles-{i}-start_date": "",
            f"roles-{i}-end_date": "",
            f"roles-{i}-order": str(i),
        }
    response = editor_client.post(admin_url(Person, "add"), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "duplicate data for organization and title" in formset.non_form_errors()[0]
    assert Person.objects.count() == 0

    data["roles-TOTAL_FORMS"] = "1"
    response = editor_client.post(admin_url(Person, "add"), data)
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.created_at and person.last_edited_by == editor
    assert str(person.roles.get()) == f"Chief of Mission, {org.display_name}"


def test_role_ending_before_it_starts_is_a_form_error(editor_client):
    role = make_role()
    response = editor_client.post(
        admin_url(Role, "change", role.pk),
        {
            "person": role.person_id,
            "organization": role.organization_id,
            "title": role.title,
            "start_date": "2025-05-01",
            "end_date": "2025-04-01",
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == [
        "A role cannot end before it starts."
    ]


@pytest.mark.django_db
def test_picking_a_theme_in_an_article_searches_theme_names_only(editor_client):
    from django.urls import reverse

    make_theme(name="Child protection", description="Includes trafficking of children.")
    make_theme(name="Human trafficking")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "traff", "app_label": "articles", "model_name": "article", "field_name": "themes"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Human trafficking"]
