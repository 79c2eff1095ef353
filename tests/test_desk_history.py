"""History that reads well, and takedowns that are complete.

A revert shows what it will change and asks first; every time is newsroom time; a correction is
listed as one; the audit trail never shows an edit as a publication; and a preview link dies the
moment its story is unpublished, with no copy left in a cache.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article
from people.models import Person
from tests.factories import make_article
from tests.test_admin import admin_url, article_form, messages_of, run_action
from workflow import permissions, services
from workflow.models import AuditEvent, PreviewLink
from workflow.roles import EDITOR, REPORTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("esther", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def change(client, article, **fields):
    """Post the article's change form as the browser would: what the page holds (hidden fields
    included), with `fields` changed."""
    url = admin_url(Article, "change", article.pk)
    page = client.get(url).content.decode()
    hidden = {name: value for name, value in HIDDEN.findall(page) if name != "csrfmiddlewaretoken"}
    stored = Article.objects.get(pk=article.pk)
    local = timezone.localtime(stored.published_at) if stored.published_at else None
    data = article_form(
        headline=stored.headline,
        slug=stored.slug,
        body=stored.body,
        status=stored.status,
        published_at_0=f"{local:%Y-%m-%d}" if local else "",
        published_at_1=f"{local:%H:%M:%S}" if local else "",
    )
    return client.post(url, {**hidden, **data, **fields})


def history(client, article):
    return client.get(admin_url(Article, "history", article.pk))


# Reverting: see first, then confirm ------------------------------------------------------------


@pytest.fixture
def two_versions(desk):
    assert (
        desk.post(
            admin_url(Article, "add"),
            article_form(headline="Shelters open in Aswan", body="<p>Two shelters opened.</p>"),
        ).status_code
        == 302
    )
    article = Article.objects.get()
    response = change(desk, article, headline="Shelters open in Luxor", status="published")
    assert response.status_code == 302, response.content.decode()[:2000]
    newest, oldest = history(desk, article).context["versions"]
    return article, oldest, newest


def test_revert_first_shows_what_will_change_and_changes_nothing(desk, two_versions):
    article, oldest, _ = two_versions
    url = reverse("admin:articles_article_revert", args=[article.pk, oldest.pk])

    response = desk.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    # From the current version (Luxor) to the chosen one (Aswan).
    assert "Shelters open in <del>Luxor</del><ins>Aswan</ins>" in page
    assert "Yes, revert to the version of" in page
    assert "No, keep the current version" in page
    # A revert edits; it does not unpublish: the state is not offered as a change.
    assert "the story stays published" in page
    assert '<th scope="row">Status</th>' not in page
    article.refresh_from_db()
    assert article.headline == "Shelters open in Luxor"
    assert Version.objects.get_for_object(article).count() == 2


def test_the_confirmed_revert_reverts_and_says_when_in_newsroom_time(desk, two_versions):
    article, oldest, _ = two_versions
    saved = datetime(2026, 6, 1, 9, 5, tzinfo=UTC)  # 12:05 in Cairo (summer time)
    Revision.objects.filter(pk=oldest.revision_id).update(date_created=saved)
    url = reverse("admin:articles_article_revert", args=[article.pk, oldest.pk])

    assert "June 1, 2026, 12:05 p.m." in desk.get(url).content.decode()
    response = desk.post(url, follow=True)

    article.refresh_from_db()
    assert article.headline == "Shelters open in Aswan"
    assert article.status == "published"
    (message,) = [m for m in messages_of(response) if m.startswith("Reverted")]
    assert "June 1, 2026, 12:05 p.m." in message
    assert "UTC" not in message and "09:05" not in message
    newest = Version.objects.get_for_object(article).first()
    assert newest.revision.get_comment() == "Reverted to the version of 01 Jun 2026 12:05"


def test_history_and_compare_lead_to_the_confirmation_not_straight_to_a_revert(desk, two_versions):
    article, oldest, newest = two_versions
    confirm = reverse("admin:articles_article_revert", args=[article.pk, oldest.pk])
    page = history(desk, article).content.decode()
    assert f'<a class="button" href="{confirm}">Revert to this version…</a>' in page
    assert 'method="post" action="' + confirm not in page
    compare = desk.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": oldest.pk, "new": newest.pk},
    ).content.decode()
    assert f'href="{confirm}"' in compare


def test_reverting_to_the_current_version_changes_nothing(desk, two_versions):
    article, _, newest = two_versions
    url = reverse("admin:articles_article_revert", args=[article.pk, newest.pk])
    assert "is the current one: there is nothing to revert" in desk.get(url).content.decode()
    desk.post(url)
    assert Version.objects.get_for_object(article).count() == 2


def test_a_person_is_reverted_the_same_way(desk):
    person = Person.objects.create(name="Laurent de Boeck", slug="laurent", bio="Chief.")
    data = {
        "name": person.name,
        "slug": person.slug,
        "honorific": "",
        "also_known_as": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    url = admin_url(Person, "change", person.pk)
    page = desk.get(url).content.decode()
    hidden = {n: v for n, v in HIDDEN.findall(page) if n != "csrfmiddlewaretoken"}
    assert desk.post(url, {**hidden, **data, "bio": "Chief of Mission."}).status_code == 302
    page = desk.get(url).content.decode()
    hidden = {n: v for n, v in HIDDEN.findall(page) if n != "csrfmiddlewaretoken"}
    assert desk.post(url, {**hidden, **data, "bio": "Former chief."}).status_code == 302
    newest, oldest = desk.get(admin_url(Person, "history", person.pk)).context["versions"]
    revert = reverse("admin:people_person_revert", args=[person.pk, oldest.pk])
    assert (
        "<del>Former chief.</del><ins>Chief of Mission.</ins>" in desk.get(revert).content.decode()
    )
    desk.post(revert)
    person.refresh_from_db()
    assert person.bio == "Chief of Mission."


# What History and the audit trail call things --------------------------------------------------


def test_a_correction_from_the_article_form_is_listed_as_a_correction(desk, editor):
    article = make_article(headline="Ministers meet in Cairo", created_by=editor)
    response = change(
        desk,
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-published_at_0": "2026-01-02",
            "corrections-0-published_at_1": "10:00:00",
            "corrections-0-wrong": "The meeting was in Alexandria.",
            "corrections-0-right": "It was in Cairo.",
        },
    )
    assert response.status_code == 302
    (version,) = history(desk, article).context["versions"]
    assert version.revision.get_comment() == "Correction added"
    assert "Correction added" in history(desk, article).content.decode()
    assert article.audit_events.filter(action="corrected").exists()


def test_an_edit_without_a_correction_is_still_an_edit(desk, editor):
    article = make_article(headline="Ministers meet", created_by=editor)
    assert change(desk, article, headline="Ministers meet in Cairo").status_code == 302
    (version,) = history(desk, article).context["versions"]
    assert version.revision.get_comment() == "Edited"


def audit_row(client, article):
    page = client.get(
        admin_url(AuditEvent, "changelist") + f"?article__id__exact={article.pk}"
    ).content.decode()
    return re.findall(r'<td class="field-change">(.*?)</td>', page)


def test_editing_a_published_story_is_not_shown_as_a_publication(desk, editor):
    article = make_article(headline="Ministers meet", created_by=editor)
    assert change(desk, article, headline="Ministers meet in Cairo").status_code == 302
    event = article.audit_events.get()
    assert (event.action, event.from_state, event.to_state) == ("edited", "published", "published")
    assert audit_row(desk, article) == ["published, unchanged"]


def test_the_trail_reads_each_move_as_a_move(desk, editor, django_user_model):
    reporter = django_user_model.objects.create_user("rania", password="pw", is_staff=True)
    reporter.groups.add(Group.objects.get(name=REPORTER))
    reporter = django_user_model.objects.get(pk=reporter.pk)
    assert desk.post(admin_url(Article, "add"), article_form()).status_code == 302
    article = Article.objects.get()
    services.transition(article, permissions.PUBLISHED, by=editor)
    # An edit recorded before this fix (no from_state) reads the same way.
    services.record("edited", article=article, by=editor, to_state="published")
    assert audit_row(desk, article) == [
        "published, unchanged",
        "draft → published",
        "new → draft",
    ]


# Pulled stories stay pulled --------------------------------------------------------------------


@pytest.fixture
def pulled_link(editor):
    """A link made while the story was in review, which then went out."""
    article = make_article(
        headline="Embargoed: the report", status="review", published_at=None, created_by=editor
    )
    link, token = services.create_preview_link(
        article=article, by=editor, lifetime=timedelta(days=30), note="Ministry"
    )
    services.transition(article, permissions.PUBLISHED, by=editor)
    return article, link, reverse("workflow:preview", args=[token])


def test_unpublishing_kills_preview_links_made_before_publication(client, desk, pulled_link):
    article, link, preview = pulled_link
    assert client.get(preview).status_code == 200
    run_action(desk, Article, "unpublish", [article])
    desk.logout()

    assert client.get(preview).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is not None
    revoked = article.audit_events.filter(action="preview_revoked").get()
    assert "unpublished" in revoked.note


def test_unpublishing_from_the_change_form_kills_them_too(client, desk, pulled_link):
    article, _, preview = pulled_link
    assert change(desk, article, status="unpublished").status_code == 302
    desk.logout()
    assert client.get(preview).status_code == 404


def test_a_story_unpublished_by_any_path_shows_through_no_link(client, pulled_link):
    article, _, preview = pulled_link
    Article.objects.filter(pk=article.pk).update(status="unpublished")  # a script, a shell
    assert client.get(preview).status_code == 404


def test_republishing_does_not_bring_a_killed_link_back(client, editor, pulled_link):
    article, _, preview = pulled_link
    services.transition(article, permissions.UNPUBLISHED, by=editor)
    services.transition(article, permissions.DRAFT, by=editor)
    assert client.get(preview).status_code == 404


def test_no_cached_copy_outlives_the_takedown(client, desk, pulled_link):
    article, _, preview = pulled_link
    desk.logout()
    public = client.get(article.get_absolute_url())
    assert public.status_code == 200 and "public" in public["Cache-Control"]
    assert client.get(article.get_absolute_url()).status_code == 200  # now from the page cache
    through_link = client.get(preview)
    assert through_link["Cache-Control"] == "private, no-store"

    client.force_login(article.created_by)
    run_action(client, Article, "unpublish", [article])
    client.logout()

    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(preview).status_code == 404
    assert (
        client.get(reverse("articles:article_list")).content.decode().count("Embargoed: the report")
        == 0
    )


def test_no_preview_link_can_be_made_for_a_story_taken_down(desk, editor):
    article = make_article(status="unpublished", created_by=editor)
    with pytest.raises(ValidationError):
        services.create_preview_link(article=article, by=editor, lifetime=timedelta(hours=1))
    response = desk.post(
        admin_url(PreviewLink, "add"), {"article": article.pk, "lifetime": "24", "note": ""}
    )
    assert response.status_code == 200
    assert "taken down" in str(response.context["adminform"].form.errors["article"])
    assert not PreviewLink.objects.exists()


def test_the_comparison_shows_publication_times_in_newsroom_time(desk, editor):
    article = make_article(published_at=datetime(2026, 6, 1, 9, 5, tzinfo=UTC), created_by=editor)
    for moment in (datetime(2026, 6, 1, 9, 5, tzinfo=UTC), datetime(2026, 6, 2, 9, 5, tzinfo=UTC)):
        with reversion.create_revision():
            article.published_at = moment
            article.save()
    newest, oldest = history(desk, article).context["versions"]
    page = desk.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": oldest.pk, "new": newest.pk},
    ).content.decode()
    assert "June <del>1,</del><ins>2,</ins> 2026, 12:05 p.m." in page
    assert "+00:00" not in page
