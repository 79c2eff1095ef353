"""The refusal of a stale save, in its details: when the other save happened (newsroom time), who
made it (a script is "someone, not through the desk"), what they changed even for a story whose
first version was recorded after it was written, why a form without a good version mark is
refused, and a History that says "replaced knowingly" only when an editor chose to."""

from datetime import UTC, datetime, timedelta

import pytest
import reversion
from django.utils import formats, timezone
from reversion.models import Version

from articles.models import Article
from desk.conflicts import VERSION_FIELD
from people.models import Person
from tests.factories import make_article, make_person
from tests.test_admin import admin_url, article_form
from tests.test_desk_conflicts import desk_for, open_form, typed

pytestmark = pytest.mark.django_db


def refusal(response):
    assert response.status_code == 200
    return " ".join(response.context["adminform"].form.non_field_errors())


def newest_comment(obj):
    return Version.objects.get_for_object(obj).order_by("-pk").first().revision.get_comment()


def test_a_save_by_a_script_in_between_is_named_with_its_newsroom_time(omar):
    article = make_article(headline="Shelters open in Aswan")  # no version: never in the desk
    desk = desk_for(omar)
    page = open_form(desk, article)
    by_script = datetime(2025, 1, 5, 9, 30, tzinfo=UTC)  # 11:30 in Cairo
    Article.objects.filter(pk=article.pk).update(headline="By a script", updated_at=by_script)

    response = desk.post(
        admin_url(Article, "change", article.pk), typed(article, page, headline="Omar's")
    )
    when = formats.date_format(timezone.localtime(by_script), "DATETIME_FORMAT")
    assert "11:30" in when or "11:30" in formats.date_format(timezone.localtime(by_script), "H:i")
    assert (
        "Not saved: someone (not through the desk) saved this after you opened it "
        f"(last at {when})."
    ) in refusal(response)
    assert Article.objects.get(pk=article.pk).headline == "By a script"


def test_a_story_versioned_after_it_was_written_still_shows_what_changed(fatma, omar):
    # Stories written before versioning get their first version later (createinitialrevisions):
    # the version records the row as saved a day earlier than the version itself was made.
    article = make_article(headline="Shelters open in Aswan")
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=1))
    article.refresh_from_db()
    with reversion.create_revision():
        reversion.add_to_revision(article)
    first, second = desk_for(fatma), desk_for(omar)
    page_1, page_2 = open_form(first, article), open_form(second, article)
    saved = first.post(
        admin_url(Article, "change", article.pk),
        typed(article, page_1, headline="Shelters open in Luxor"),
    )
    assert saved.status_code == 302

    response = second.post(
        admin_url(Article, "change", article.pk), typed(article, page_2, headline="Omar's")
    )
    assert refusal(response).startswith("Not saved: Fatma Ali saved this after you opened it")
    page = response.content.decode()
    assert "<del>Aswan</del><ins>Luxor</ins>" in page
    assert "someone (not through the desk)" not in page


@pytest.mark.parametrize(
    "token, why",
    [
        (None, "it may be an old page or a crafted request"),
        ("", "it may be an old page or a crafted request"),
        ("garbage", "version mark was not one the desk made"),
        ("2026-01-01T10:00:00", "version mark was not one the desk made"),
    ],
)
def test_a_form_without_a_good_version_is_told_which_it_lacked(editor_client, token, why):
    article = make_article(headline="Untouched")
    data = article_form(slug=article.slug, headline="Crafted", status=article.status)
    if token is None:
        del data[VERSION_FIELD]
    else:
        data[VERSION_FIELD] = token
    response = editor_client.post(admin_url(Article, "change", article.pk), data)
    page = response.content.decode()
    assert "Not saved: which version did you start from?" in page
    assert why in page
    assert "someone saved this after you opened it" not in page


def test_an_ordinary_edit_is_not_recorded_as_a_replacement(editor_client):
    with reversion.create_revision():
        article = make_article(headline="Shelters open in Aswan")
        reversion.add_to_revision(article)
    page = open_form(editor_client, article)
    response = editor_client.post(
        admin_url(Article, "change", article.pk), typed(article, page, headline="Edited once")
    )
    assert response.status_code == 302
    assert "replaced" not in newest_comment(article)


def test_replacing_a_persons_newer_version_is_recorded_as_an_edit_replaced_knowingly(fatma, omar):
    person = make_person(name="Laurent de Boeck")
    data = {
        "name": person.name,
        "slug": person.slug,
        "honorific": "",
        "also_known_as": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    first, second = desk_for(fatma), desk_for(omar)
    page_1, page_2 = open_form(first, person, Person), open_form(second, person, Person)
    url = admin_url(Person, "change", person.pk)
    assert first.post(url, {**data, **page_1, "bio": "Chief of Mission."}).status_code == 302
    assert "replaced" not in newest_comment(person)
    mine = {**data, **page_2, "bio": "Omar's bio."}
    replace = second.post(url, mine).context["desk_conflict"].current_token

    assert second.post(url, {**mine, "desk_replace": replace}).status_code == 302
    assert Person.objects.get(pk=person.pk).bio == "Omar's bio."
    assert newest_comment(person) == "Edited; replaced a newer version, knowingly"
