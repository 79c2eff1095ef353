"""No lost edits: two editors open the same story; the second save, based on the older version,
is refused with who saved in between, when and what they changed, and everything the second
editor typed is still in the form. Replacing the other version is possible, knowingly only."""

import re

import pytest
import reversion
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from desk.conflicts import VERSION_FIELD
from people.models import Person
from tests.factories import make_article, make_person, make_quote_by
from tests.test_admin import admin_url, article_form
from workflow import permissions, services
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def desk_for(user):
    client = Client()
    client.force_login(user)
    return client


def open_form(client, obj, model=Article):
    """What the change page holds as the browser loaded it: its hidden inputs (the version)."""
    page = client.get(admin_url(model, "change", obj.pk)).content.decode()
    return {name: value for name, value in HIDDEN.findall(page) if name != "csrfmiddlewaretoken"}


def typed(article, hidden, **fields):
    """The article form as an editor submits it after typing `fields` into a page loaded earlier."""
    local = timezone.localtime(article.published_at) if article.published_at else None
    stored = article_form(
        slug=article.slug,
        headline=article.headline,
        standfirst=article.standfirst,
        body=article.body,
        dateline=article.dateline,
        status=article.status,
        published_at_0=f"{local:%Y-%m-%d}" if local else "",
        published_at_1=f"{local:%H:%M:%S}" if local else "",
    )
    return {
        **stored,
        **hidden,
        **fields,
    }


def quote_fields(quote, **fields):
    return {
        "quotes-0-person": quote.person_id,
        "quotes-0-text": quote.text,
        "quotes-0-capacity": quote.capacity,
        "quotes-0-order": quote.order,
        **{f"quotes-0-{k}": v for k, v in fields.items()},
    }


@pytest.fixture
def story():
    """A story with its first saved version, as one written in the desk has."""
    with reversion.create_revision():
        article = make_article(headline="Shelters open in Aswan", body="<p>Two shelters.</p>")
        quote = make_quote_by(make_person(name="Amr Gabr"), article, text="Every child counts.")
        reversion.add_to_revision(article)
    return article, quote


def counts(article):
    return Version.objects.get_for_object(article).count(), AuditEvent.objects.count()


def test_the_second_save_of_an_older_version_is_refused_and_keeps_what_was_typed(
    fatma, omar, story
):
    article, quote = story
    first, second = desk_for(fatma), desk_for(omar)
    page_1, page_2 = open_form(first, article), open_form(second, article)
    assert page_2[VERSION_FIELD]

    response = first.post(
        admin_url(Article, "change", article.pk),
        typed(article, page_1, headline="Shelters open in Luxor", **quote_fields(quote)),
    )
    assert response.status_code == 302
    before = counts(article)
    saved = Article.objects.get(pk=article.pk)

    response = second.post(
        admin_url(Article, "change", article.pk),
        typed(
            article,
            page_2,
            headline="Three shelters open in Aswan",
            body="<p>Omar's rewritten body.</p>",
            **quote_fields(quote, text="Omar's edited quote."),
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    # What Omar typed is still in the form (headline, body, the quote inline).
    assert 'value="Three shelters open in Aswan"' in page
    assert "Omar&#x27;s rewritten body." in page
    assert "Omar&#x27;s edited quote." in page
    # Nothing was saved: the row as Fatma left it, no new version, no audit event.
    after = Article.objects.get(pk=article.pk)
    assert (after.headline, after.body, after.updated_at) == (
        saved.headline,
        saved.body,
        saved.updated_at,
    )
    assert after.quotes.get().text == "Every child counts."
    assert counts(article) == before
    # The notice: who, when (newsroom time), what they changed, and the full comparison.
    assert 'id="desk-conflict"' in page
    assert "Fatma Ali" in page
    local = timezone.localtime(saved.updated_at)
    assert f"{local:%H:%M}" in page or f"{local:%-I:%M}" in page
    assert "<del>Aswan</del><ins>Luxor</ins>" in page
    assert "/history/compare/?old=" in page
    assert "Replace their version with mine" in page
    # Omar's old version mark is kept: saving again as is is refused again.
    assert response.context["adminform"].form[VERSION_FIELD].value() == page_2[VERSION_FIELD]


def test_replacing_their_version_knowingly_saves_mine(fatma, omar, story):
    article, quote = story
    first, second = desk_for(fatma), desk_for(omar)
    page_1, page_2 = open_form(first, article), open_form(second, article)
    first.post(
        admin_url(Article, "change", article.pk),
        typed(article, page_1, headline="Shelters open in Luxor", **quote_fields(quote)),
    )
    mine = typed(article, page_2, headline="Mine wins", **quote_fields(quote))
    refused = second.post(admin_url(Article, "change", article.pk), mine)
    replace = refused.context["desk_conflict"].current_token

    response = second.post(
        admin_url(Article, "change", article.pk), {**mine, "desk_replace": replace}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Mine wins"
    assert article.last_edited_by == omar
    newest = Version.objects.get_for_object(article).order_by("-pk").first()
    assert "replaced a newer version" in newest.revision.get_comment()


def test_a_replace_chosen_before_a_third_save_is_refused_again(fatma, omar, story):
    article, quote = story
    first, second = desk_for(fatma), desk_for(omar)
    page_1, page_2 = open_form(first, article), open_form(second, article)
    first.post(
        admin_url(Article, "change", article.pk),
        typed(article, page_1, headline="One", **quote_fields(quote)),
    )
    mine = typed(article, page_2, headline="Mine", **quote_fields(quote))
    replace = (
        second.post(admin_url(Article, "change", article.pk), mine)
        .context["desk_conflict"]
        .current_token
    )
    services.transition(Article.objects.get(pk=article.pk), permissions.UNPUBLISHED, by=fatma)

    response = second.post(
        admin_url(Article, "change", article.pk), {**mine, "desk_replace": replace}
    )
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).headline == "One"


def test_a_quote_edited_by_the_first_makes_the_second_stale(fatma, omar, story):
    article, quote = story
    first, second = desk_for(fatma), desk_for(omar)
    page_1, page_2 = open_form(first, article), open_form(second, article)
    response = first.post(
        admin_url(Article, "change", article.pk),
        typed(article, page_1, **quote_fields(quote, text="Every child matters.")),
    )
    assert response.status_code == 302

    response = second.post(
        admin_url(Article, "change", article.pk),
        typed(article, page_2, standfirst="Omar's standfirst", **quote_fields(quote)),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fatma Ali" in page
    assert "Every child <del>counts.”</del><ins>matters.”</ins>" in page
    assert Article.objects.get(pk=article.pk).standfirst != "Omar's standfirst"


def test_a_workflow_move_by_someone_else_makes_the_form_stale(fatma, omar):
    draft = make_article(status=Article.Status.DRAFT, headline="Draft on shelters")
    second = desk_for(omar)
    page = open_form(second, draft)
    services.transition(draft, permissions.PUBLISHED, by=fatma)

    response = second.post(
        admin_url(Article, "change", draft.pk),
        typed(draft, page, status="draft", headline="Back to draft, I thought"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fatma Ali" in html and "Published" in html
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.status, stored.headline) == (Article.Status.PUBLISHED, "Draft on shelters")


@pytest.mark.parametrize(
    "token", [None, "", "garbage", "2026-13-45T99:00:00+00:00", "2026-01-01T10:00:00", "9" * 500]
)
def test_a_crafted_post_without_a_good_version_is_refused_not_a_500(editor_client, token):
    article = make_article(headline="Untouched")
    data = article_form(slug=article.slug, headline="Crafted", status=article.status)
    if token is None:
        del data[VERSION_FIELD]
    else:
        data[VERSION_FIELD] = token
    before = Version.objects.get_for_object(article).count()

    response = editor_client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 200
    assert 'id="desk-conflict"' in response.content.decode()
    assert "did not say which version" in str(response.context["adminform"].form.non_field_errors())
    assert Article.objects.get(pk=article.pk).headline == "Untouched"
    assert Version.objects.get_for_object(article).count() == before


def test_a_single_save_still_works_and_redirects_as_before(editor_client):
    article = make_article(headline="Shelters open in Aswan")
    hidden = open_form(editor_client, article)
    response = editor_client.post(
        admin_url(Article, "change", article.pk), typed(article, hidden, headline="Edited once")
    )
    assert response.status_code == 302
    assert response.url == admin_url(Article, "changelist")
    assert Article.objects.get(pk=article.pk).headline == "Edited once"
    # Saving again from the page after the save is not stale.
    hidden = open_form(editor_client, article)
    response = editor_client.post(
        admin_url(Article, "change", article.pk), typed(article, hidden, headline="Twice")
    )
    assert response.status_code == 302


def test_a_person_saved_in_between_is_refused_too(fatma, omar):
    person = make_person(name="Laurent de Boeck")
    first, second = desk_for(fatma), desk_for(omar)
    data = {
        "name": person.name,
        "slug": person.slug,
        "honorific": "",
        "also_known_as": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    page_1, page_2 = open_form(first, person, Person), open_form(second, person, Person)
    url = admin_url(Person, "change", person.pk)
    assert first.post(url, {**data, **page_1, "bio": "Chief of Mission."}).status_code == 302

    response = second.post(url, {**data, **page_2, "bio": "Omar's bio."})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="desk-conflict"' in html and "Fatma Ali" in html
    assert "Omar&#x27;s bio." in html
    assert Person.objects.get(pk=person.pk).bio == "Chief of Mission."
