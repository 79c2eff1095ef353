"""Presence and autosave in the desk, as editors and reporters meet them.

Presence: a second editor opening a story is told who else has it open, and since when (newsroom
time); it ends when the first stops pinging. Autosave: what an editor typed is kept for them alone,
never in the story, offered on their next visit, restored into the form or discarded, and cleared
by a save. Refusals: who may not edit cannot autosave, who may not see learns nothing.
"""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article
from desk.conflicts import VERSION_FIELD, version_token
from desk.models import Autosave, EditingSession
from tests.factories import (
    make_article,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_theme,
)
from tests.test_admin import admin_url, article_form
from tests.test_workflow import in_role
from workflow.models import AuditEvent
from workflow.roles import EDITOR, REPORTER

pytestmark = pytest.mark.django_db

CAIRO = ZoneInfo("Africa/Cairo")


@pytest.fixture
def esther(django_user_model):
    user = in_role(django_user_model, "esther", EDITOR)
    user.first_name, user.last_name = "Esther", "Ali"
    user.save()
    return user


@pytest.fixture
def karim(django_user_model):
    return in_role(django_user_model, "karim", EDITOR)


@pytest.fixture
def rania(django_user_model):
    return in_role(django_user_model, "rania", REPORTER)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def endpoint(view, article_or_id):
    pk = getattr(article_or_id, "pk", article_or_id)
    return reverse(f"admin:articles_article_{view}", args=[pk])


def cairo_clock(moment):
    return moment.astimezone(CAIRO).strftime("%H:%M")


def form_of(article, **overrides):
    """The article's change form as the browser posts it (and autosaves it)."""
    data = article_form(
        headline=article.headline,
        slug=article.slug,
        standfirst=article.standfirst,
        body=article.body,
        status=article.status,
    )
    if article.published_at:
        local = timezone.localtime(article.published_at)
        data |= {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}
    data[VERSION_FIELD] = version_token(article)
    return data | overrides


# Presence ---------------------------------------------------------------------------------------


def test_a_second_editor_is_told_who_has_the_story_open_and_since_when(esther, karim):
    article = make_article()
    signed_in(esther).get(admin_url(Article, "change", article.pk))
    session = EditingSession.objects.get(user=esther, article=article)

    page = signed_in(karim).get(admin_url(Article, "change", article.pk)).content.decode()

    message = f"Esther Ali is editing this story (since {cairo_clock(session.started_at)})"
    assert 'id="desk-presence"' in page
    assert message in page
    answer = signed_in(karim).post(endpoint("editing_ping", article)).json()
    assert [editor["message"] for editor in answer["editors"]] == [message]


def test_the_time_is_newsroom_time_and_a_username_stands_in_for_a_missing_name(esther, karim):
    article = make_article()
    # This minute, so that it is today in Cairo whatever the hour in UTC (an earlier hour of the
    # UTC day is yesterday in Cairo after 22:00 UTC, and the desk then names the day as well).
    started = timezone.now().replace(second=0, microsecond=0)
    EditingSession.objects.create(user=karim, article=article, started_at=started)
    page = signed_in(esther).get(admin_url(Article, "change", article.pk)).content.decode()
    assert f"karim is editing this story (since {cairo_clock(started)})" in page
    assert cairo_clock(started) != f"{started:%H:%M}"  # Cairo is ahead of UTC all year


def test_nobody_is_told_about_themselves(esther):
    article = make_article()
    client = signed_in(esther)
    client.get(admin_url(Article, "change", article.pk))
    page = client.get(admin_url(Article, "change", article.pk)).content.decode()
    assert (
        '<div id="desk-presence" class="desk-presence" role="status" aria-live="polite" hidden>'
        in page
    )
    assert "is editing this story" not in page
    assert client.post(endpoint("editing_ping", article)).json() == {"editors": []}


def test_presence_ends_after_the_timeout_without_a_ping(esther, karim, settings):
    article = make_article()
    signed_in(esther).get(admin_url(Article, "change", article.pk))
    EditingSession.objects.filter(user=esther).update(
        last_seen=timezone.now() - timedelta(seconds=121)
    )
    karims = signed_in(karim)
    assert "is editing" not in karims.get(admin_url(Article, "change", article.pk)).content.decode()
    assert karims.post(endpoint("editing_ping", article)).json() == {"editors": []}

    settings.DESK_PRESENCE_TIMEOUT_SECONDS = 600
    EditingSession.objects.create(
        user=esther, article=article, last_seen=timezone.now() - timedelta(seconds=121)
    )
    assert [
        e["name"] for e in karims.post(endpoint("editing_ping", article)).json()["editors"]
    ] == ["Esther Ali"]


def test_a_ping_keeps_the_session_alive_and_a_lapsed_one_starts_again(esther):
    article = make_article()
    client = signed_in(esther)
    earlier = timezone.now() - timedelta(seconds=60)
    EditingSession.objects.create(
        user=esther, article=article, started_at=earlier, last_seen=earlier
    )
    assert client.post(endpoint("editing_ping", article)).status_code == 200
    session = EditingSession.objects.get(user=esther, article=article)
    assert session.started_at == earlier and session.last_seen > earlier

    EditingSession.objects.update(last_seen=timezone.now() - timedelta(minutes=5))
    client.post(endpoint("editing_ping", article))
    assert EditingSession.objects.get(user=esther, article=article).started_at > earlier


def test_a_reporter_reading_their_story_in_review_sees_editors_but_is_not_editing_it(esther, rania):
    article = make_article(status="review", published_at=None, created_by=rania)
    signed_in(esther).get(admin_url(Article, "change", article.pk))
    reporter = signed_in(rania)
    page = reporter.get(admin_url(Article, "change", article.pk)).content.decode()
    assert "Esther Ali is editing this story" in page
    assert "data-autosave-url" not in page  # read only: nothing to autosave
    assert reporter.post(endpoint("editing_ping", article)).status_code == 200
    assert not EditingSession.objects.filter(user=rania).exists()


def test_the_article_list_marks_the_stories_being_edited(esther, karim):
    open_one = make_article(headline="Open one")
    make_article(headline="Other one")
    signed_in(esther).get(admin_url(Article, "change", open_one.pk))
    session = EditingSession.objects.get(user=esther)
    response = signed_in(karim).get(admin_url(Article, "changelist"))
    rows = {
        article.headline: response.context["cl"].model_admin.editing_now(article)
        for article in response.context["cl"].result_list
    }
    assert f"Esther Ali (since {cairo_clock(session.started_at)})" in rows["Open one"]
    assert rows["Other one"] == ""
    page = response.content.decode()
    assert "being edited" in page.lower()
    assert page.count('class="desk-editing-now"') == 1
    # Esther does not see herself.
    mine = signed_in(esther).get(admin_url(Article, "changelist")).content.decode()
    assert "Esther Ali (since" not in mine


@pytest.mark.parametrize("page", ["changelist", "change"])
def test_presence_costs_the_same_queries_for_one_editor_and_fifty(page, karim, django_user_model):
    articles = [make_article() for _ in range(50)]
    editors = [in_role(django_user_model, f"editor{n}", EDITOR) for n in range(50)]
    url = admin_url(Article, page, *([articles[0].pk] if page == "change" else []))
    client = signed_in(karim)
    EditingSession.objects.create(user=editors[0], article=articles[0])
    client.get(url)  # karim's own session, if any, is made on the first visit
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n, editor in enumerate(editors[1:], start=1):
        EditingSession.objects.create(
            user=editor, article=articles[n if page == "changelist" else 0]
        )
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(url)
    assert response.content.decode().count("(since ") >= 50
    assert len(fifty) == len(one), "\n".join(q["sql"] for q in fifty.captured_queries)


# Who may ping, autosave and discard -------------------------------------------------------------


@pytest.mark.parametrize("view", ["editing_ping", "autosave", "autosave_discard"])
def test_a_reporter_learns_nothing_of_another_reporters_story(view, rania, django_user_model):
    omar = in_role(django_user_model, "omar", REPORTER)
    theirs = make_draft(created_by=omar)
    client = signed_in(rania)
    refused = client.post(endpoint(view, theirs), form_of(theirs))
    missing = client.post(endpoint(view, 999999), form_of(theirs))
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert not Autosave.objects.exists() and not EditingSession.objects.exists()


def test_a_reporter_may_autosave_their_draft_but_not_their_story_in_review(rania):
    draft = make_draft(created_by=rania)
    in_review = make_article(status="review", published_at=None, created_by=rania)
    client = signed_in(rania)
    assert client.post(endpoint("autosave", draft), form_of(draft)).status_code == 200
    refused = client.post(endpoint("autosave", in_review), form_of(in_review, headline="New"))
    assert refused.status_code == 403
    assert "may not edit" in refused.json()["error"]
    assert list(Autosave.objects.values_list("article", flat=True)) == [draft.pk]


@pytest.mark.parametrize("view", ["editing_ping", "autosave", "autosave_discard"])
def test_anonymous_visitors_are_sent_to_sign_in(view, client):
    article = make_article()
    response = client.post(endpoint(view, article), form_of(article))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("view", ["editing_ping", "autosave", "autosave_discard"])
def test_the_endpoints_take_only_posts_with_the_csrf_token(view, esther):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(esther)
    assert client.get(endpoint(view, article)).status_code == 405
    assert client.post(endpoint(view, article), form_of(article)).status_code == 403
    client.get(admin_url(Article, "change", article.pk))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(endpoint(view, article), form_of(article), HTTP_X_CSRFTOKEN=token)
    assert response.status_code in (200, 302)


def test_an_id_that_is_not_a_number_is_a_404(esther):
    response = signed_in(esther).post(endpoint("editing_ping", "not-a-number"))
    assert response.status_code == 404


# Autosave ---------------------------------------------------------------------------------------


def test_autosave_keeps_the_work_for_its_editor_and_never_touches_the_story(esther):
    article = make_article(headline="As published", body="<p>As published.</p>")
    before = Article.objects.get(pk=article.pk)
    counts = Version.objects.count(), Revision.objects.count(), AuditEvent.objects.count()
    client = signed_in(esther)
    client.get(admin_url(Article, "change", article.pk))
    typed = form_of(
        article, headline="Not yet ready", body="<p>Half a sentence</p>", status="unpublished"
    )

    response = client.post(endpoint("autosave", article), typed)

    assert response.status_code == 200
    assert response.json()["saved_at"] == cairo_clock(timezone.now())
    after = Article.objects.get(pk=article.pk)
    assert (after.headline, after.body, after.status, after.updated_at, after.published_at) == (
        before.headline,
        before.body,
        before.status,
        before.updated_at,
        before.published_at,
    )
    assert (Version.objects.count(), Revision.objects.count(), AuditEvent.objects.count()) == counts
    autosave = Autosave.objects.get(user=esther, article=article)
    assert autosave.data["headline"] == ["Not yet ready"]
    assert autosave.data["body"] == ["<p>Half a sentence</p>"]
    assert VERSION_FIELD in autosave.data and "csrfmiddlewaretoken" not in autosave.data
    # One record per editor and story: the next autosave replaces it.
    client.post(endpoint("autosave", article), typed | {"headline": "Nearly ready"})
    assert list(Autosave.objects.values_list("data__headline", flat=True)) == [["Nearly ready"]]


def test_the_next_visit_offers_to_restore_or_discard(esther, karim):
    article = make_article()
    client = signed_in(esther)
    client.post(endpoint("autosave", article), form_of(article, headline="Typed, not saved"))
    saved_at = Autosave.objects.get().saved_at

    page = client.get(admin_url(Article, "change", article.pk)).content.decode()

    assert 'id="desk-autosave"' in page
    assert f"Restore unsaved changes from {cairo_clock(saved_at)}</a>" in page
    assert ">Discard</button>" in page
    # Nobody else is offered Esther's work.
    other = signed_in(karim).get(admin_url(Article, "change", article.pk)).content.decode()
    assert 'id="desk-autosave"' not in other


def test_an_autosave_older_than_their_last_save_is_not_offered(esther):
    article = make_article()
    Autosave.objects.create(
        user=esther, article=article, data={"headline": ["Old"]}, saved_at=timezone.now()
    )
    Article.objects.filter(pk=article.pk).update(
        last_edited_by=esther, updated_at=timezone.now() + timedelta(seconds=1)
    )
    page = signed_in(esther).get(admin_url(Article, "change", article.pk)).content.decode()
    assert 'id="desk-autosave"' not in page


def test_restoring_fills_the_form_with_what_was_typed(esther):
    theme, person, org = make_theme(name="Migration"), make_person(), make_organization()
    article = make_article(dateline="CAIRO")
    quote = make_quote_by(person, article, text="The words as first written.", order=1)
    client = signed_in(esther)
    loaded_at = version_token(article)
    typed = form_of(
        article,
        headline="Restored headline",
        slug="restored-slug",
        standfirst="Restored standfirst.",
        body="<p>Restored <strong>body</strong>.</p>",
        dateline="ALEXANDRIA",
        byline="By Restored Byline",
        source="Restored source",
        themes=[theme.pk],
        people=[person.pk],
        organizations=[org.pk],
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "1",
            "quotes-0-id": str(quote.pk),
            "quotes-0-article": str(article.pk),
            "quotes-0-person": str(person.pk),
            "quotes-0-text": "The words as typed since.",
            "quotes-0-capacity": "",
            "quotes-0-order": "1",
        },
    )
    client.post(endpoint("autosave", article), typed)
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())  # someone saved since

    response = client.get(admin_url(Article, "change", article.pk), {"desk_restore": "1"})

    form = response.context["adminform"].form
    assert not form.is_bound  # filled, not posted: nothing is refused or saved yet
    values = {name: form[name].value() for name in form.fields}
    assert values["headline"] == "Restored headline"
    assert values["slug"] == "restored-slug"
    assert values["standfirst"] == "Restored standfirst."
    assert values["body"] == "<p>Restored <strong>body</strong>.</p>"
    assert (values["dateline"], values["byline"], values["source"]) == (
        "ALEXANDRIA",
        "By Restored Byline",
        "Restored source",
    )
    assert [str(v) for v in values["themes"]] == [str(theme.pk)]
    assert [str(v) for v in values["people"]] == [str(person.pk)]
    assert [str(v) for v in values["organizations"]] == [str(org.pk)]
    assert values[VERSION_FIELD] == loaded_at  # the version it was typed on, not the newest
    page = response.content.decode()
    assert "&lt;p&gt;Restored &lt;strong&gt;body&lt;/strong&gt;.&lt;/p&gt;</textarea>" in page
    assert "The words as typed since.</textarea>" in page
    assert "Unsaved changes from" in page and "restored" in page
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_saving_a_restored_form_based_on_an_older_version_is_refused(esther, karim):
    article = make_article()
    esthers = signed_in(esther)
    esthers.post(endpoint("autosave", article), form_of(article, headline="Esther's draft"))
    karims = signed_in(karim)
    assert (
        karims.post(
            admin_url(Article, "change", article.pk), form_of(article, headline="Karim's")
        ).status_code
        == 302
    )

    restored = esthers.get(admin_url(Article, "change", article.pk), {"desk_restore": "1"})
    form = restored.context["adminform"].form
    data = form_of(article, headline=form["headline"].value())
    data[VERSION_FIELD] = form[VERSION_FIELD].value()
    response = esthers.post(admin_url(Article, "change", article.pk), data)

    assert response.status_code == 200  # refused, shown again with the conflict
    assert Article.objects.get(pk=article.pk).headline == "Karim's"
    assert Autosave.objects.filter(user=esther).exists()


def test_discard_deletes_the_autosave(esther):
    article = make_article()
    client = signed_in(esther)
    client.post(endpoint("autosave", article), form_of(article, headline="Typed"))
    response = client.post(endpoint("autosave_discard", article), HTTP_ACCEPT="application/json")
    assert response.json() == {"discarded": True}
    assert not Autosave.objects.exists()
    page = client.get(admin_url(Article, "change", article.pk)).content.decode()
    assert 'id="desk-autosave"' not in page
    # Without the script: back to the story.
    response = client.post(endpoint("autosave_discard", article))
    assert response.status_code == 302
    assert response["Location"] == admin_url(Article, "change", article.pk)


def test_a_save_clears_the_editors_autosave_and_only_theirs(esther, karim):
    article = make_article()
    signed_in(karim).post(endpoint("autosave", article), form_of(article, headline="Karim's"))
    client = signed_in(esther)
    client.post(endpoint("autosave", article), form_of(article, headline="Esther's"))
    response = client.post(admin_url(Article, "change", article.pk), form_of(article))
    assert response.status_code == 302
    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["karim"]


def test_a_refused_save_keeps_the_autosave_and_marks_the_form_unsaved(esther):
    article = make_article()
    client = signed_in(esther)
    client.post(endpoint("autosave", article), form_of(article, headline="Typed"))
    response = client.post(admin_url(Article, "change", article.pk), form_of(article, slug=""))
    assert response.status_code == 200
    assert 'data-unsaved="1"' in response.content.decode()
    assert Autosave.objects.filter(user=esther).exists()


def test_an_oversized_autosave_is_refused(esther, settings):
    article = make_article()
    client = signed_in(esther)
    big = form_of(article, body="<p>" + "x" * (520 * 1024) + "</p>")
    response = client.post(endpoint("autosave", article), big)
    assert response.status_code == 413
    assert "Too much" in response.json()["error"]
    settings.DESK_AUTOSAVE_MAX_BYTES = 1024
    small_but_over = form_of(article, body="<p>" + "y" * 900 + "</p>", standfirst="z" * 300)
    assert client.post(endpoint("autosave", article), small_but_over).status_code == 413
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "body, content_type",
    [
        (json.dumps({"headline": "JSON, not a form"}), "application/json"),
        ("unrelated=1&other=2", "application/x-www-form-urlencoded"),
        ("", "application/x-www-form-urlencoded"),
        ("&".join(f"f{n}=1" for n in range(1200)), "application/x-www-form-urlencoded"),
    ],
    ids=["json", "no-article-fields", "empty", "too-many-fields"],
)
def test_a_malformed_autosave_is_a_400(esther, body, content_type):
    article = make_article()
    response = signed_in(esther).post(
        endpoint("autosave", article), body, content_type=content_type
    )
    assert response.status_code == 400
    assert not Autosave.objects.exists()


def test_a_nul_character_is_kept_as_a_replacement_character(esther):
    # PostgreSQL refuses NUL in JSON text; what the form is refused for is for the save to say.
    article = make_article()
    body = "headline=Half%00typed&body=%ZZ%00&csrfmiddlewaretoken=x"
    response = signed_in(esther).post(
        endpoint("autosave", article), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Autosave.objects.get().data == {"headline": ["Half\ufffdtyped"], "body": ["%ZZ\ufffd"]}


def test_sessions_and_autosaves_go_with_their_story(esther):
    article = make_article()
    client = signed_in(esther)
    client.get(admin_url(Article, "change", article.pk))
    client.post(endpoint("autosave", article), form_of(article))
    article.delete()
    assert not EditingSession.objects.exists() and not Autosave.objects.exists()
