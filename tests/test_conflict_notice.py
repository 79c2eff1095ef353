"""What the refusal of a stale save shows, line by line: every save made in between (oldest
first, who, when to the second in newsroom time, and what the History says they did), only the
last save when the form named no version, whoever the row says edited it when a save left no
version, links to the History and to the exact comparison, and a choice to replace that survives
another mistake in the form."""

import re
from datetime import timedelta

import pytest
import reversion
from django.urls import reverse
from django.utils import dateformat, formats, timezone

from articles.models import Article
from desk.conflicts import VERSION_FIELD, find_conflict
from tests.factories import make_article
from tests.test_admin import admin_url
from tests.test_desk_conflicts import desk_for, open_form, typed
from workflow import history

pytestmark = pytest.mark.django_db

SAVES = re.compile(r'<ul class="desk-conflict-saves">(.*?)</ul>', re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)
TIME = re.compile(r'<time datetime="([^"]*)">')
TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def story():
    with reversion.create_revision():
        article = make_article(headline="Shelters open in Aswan")
        reversion.add_to_revision(article)
    return article


def saves_listed(response):
    """Each line of the notice's list of saves: (its text, its machine-readable time)."""
    assert response.status_code == 200
    items = ITEM.findall(SAVES.search(response.content.decode()).group(1))
    return [(" ".join(TAG.sub("", item).split()), TIME.search(item).group(1)) for item in items]


def line_for(name, moment, what=""):
    local = timezone.localtime(moment)
    shown = formats.date_format(local, "DATETIME_FORMAT")
    text = f"{name} saved it at {shown}" + (f" ({what})." if what else ".")
    return text, dateformat.format(local, "c")


def saved_by(client, article, **typed_fields):
    page = open_form(client, article)
    response = client.post(
        admin_url(Article, "change", article.pk),
        typed(Article.objects.get(pk=article.pk), page, **typed_fields),
    )
    assert response.status_code == 302


def revisions(article):
    return [v.revision for v in reversed(list(history.versions_of(article)))]


def test_every_save_in_between_is_listed_oldest_first_with_when_and_what(fatma, omar, story):
    page = open_form(desk_for(omar), story)
    first = desk_for(fatma)
    saved_by(first, story, headline="Shelters open in Luxor")
    saved_by(first, story, headline="Shelters open in Luxor and Qena")

    response = desk_for(omar).post(
        admin_url(Article, "change", story.pk), typed(story, page, headline="Omar's")
    )
    one, two = revisions(story)[1:]
    assert saves_listed(response) == [
        line_for("Fatma Ali", one.date_created, one.get_comment()),
        line_for("Fatma Ali", two.date_created, two.get_comment()),
    ]
    assert one.get_comment() and two.get_comment()


def test_a_form_without_a_version_names_only_the_last_save_and_nothing_else(fatma, story):
    desk = desk_for(fatma)
    saved_by(desk, story, headline="Shelters open in Luxor")
    saved_by(desk, story, headline="Shelters open in Qena")
    data = typed(Article.objects.get(pk=story.pk), open_form(desk, story), headline="Crafted")
    del data[VERSION_FIELD]

    response = desk.post(admin_url(Article, "change", story.pk), data)
    last = revisions(story)[-1]
    assert saves_listed(response) == [line_for("Fatma Ali", last.date_created, last.get_comment())]
    # The refusal is the form's only error: no "this field is required" for a hidden input.
    assert set(response.context["adminform"].form.errors) == {"__all__"}
    assert Article.objects.get(pk=story.pk).headline == "Shelters open in Qena"


def test_a_save_that_left_no_version_names_who_the_story_says_edited_it(fatma, omar):
    article = make_article(headline="Shelters open in Aswan")  # never versioned
    page = open_form(desk_for(omar), article)
    moment = timezone.now() + timedelta(minutes=3)
    Article.objects.filter(pk=article.pk).update(
        headline="Fatma's", last_edited_by=fatma, updated_at=moment
    )

    response = desk_for(omar).post(
        admin_url(Article, "change", article.pk), typed(article, page, headline="Omar's")
    )
    assert saves_listed(response) == [line_for("Fatma Ali", moment)]


def test_the_notice_links_to_the_history_and_to_exactly_the_two_versions(fatma, omar, story):
    page = open_form(desk_for(omar), story)
    saved_by(desk_for(fatma), story, headline="Shelters open in Luxor")
    response = desk_for(omar).post(
        admin_url(Article, "change", story.pk), typed(story, page, headline="Omar's")
    )

    old, new = (v.pk for v in reversed(list(history.versions_of(story))))
    conflict = response.context["desk_conflict"]
    assert conflict.history_url == reverse("admin:articles_article_history", args=[story.pk])
    compare = reverse("admin:articles_article_compare", args=[story.pk])
    assert conflict.compare_url == f"{compare}?old={old}&new={new}"
    shown = response.content.decode()
    assert f'href="{conflict.history_url}"' in shown
    assert f'href="{compare}?old={old}&amp;new={new}"' in shown
    assert "Luxor" in desk_for(omar).get(conflict.compare_url).content.decode()


def test_a_choice_to_replace_survives_another_mistake_in_the_form(fatma, omar, story):
    page = open_form(desk_for(omar), story)
    saved_by(desk_for(fatma), story, headline="Shelters open in Luxor")
    second = desk_for(omar)
    url = admin_url(Article, "change", story.pk)
    mine = typed(story, page, headline="Omar's")
    token = second.post(url, mine).context["desk_conflict"].current_token

    blank = second.post(url, {**mine, "headline": "", "desk_replace": token})
    shown = blank.content.decode()
    assert blank.status_code == 200 and blank.context["desk_conflict"] is None
    assert "You chose to replace the newer version with yours" in shown
    assert f'<input type="hidden" name="desk_replace" value="{token}">' in shown

    assert second.post(url, {**mine, "desk_replace": token}).status_code == 302
    assert Article.objects.get(pk=story.pk).headline == "Omar's"


def test_a_save_a_millisecond_after_the_form_was_opened_is_one_in_between():
    # Saved versions keep times to the millisecond, the form's mark to the microsecond.
    article = make_article(headline="Shelters open in Aswan")
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    made = []
    for ms in (1, 2):
        Article.objects.filter(pk=article.pk).update(updated_at=start + timedelta(milliseconds=ms))
        article.refresh_from_db()
        with reversion.create_revision():
            reversion.add_to_revision(article)
        made.append(history.versions_of(article).first())

    base, newest, saves, _ = find_conflict(article, start + timedelta(microseconds=1999))
    assert (base, newest, len(saves)) == (made[0], made[1], 1)


def test_the_new_story_form_is_still_an_add_form(editor_client):
    page = editor_client.get(admin_url(Article, "add")).content.decode()
    breadcrumbs = page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert " ".join(TAG.sub("", breadcrumbs).split()).endswith("&rsaquo; Add article")
