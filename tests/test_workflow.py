"""The newsroom workflow: reporters write, editors decide, and every step is on the record.

Each rule is checked on the server: the tests post what a browser would never offer (a reporter's
"published", another reporter's story, an action the page does not show) and expect a refusal.
"""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Correction, Quote
from people.models import Person
from tests.factories import (
    make_article,
    make_correction,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_theme,
)
from tests.test_admin import admin_url, article_form, loaded_version, messages_of, run_action
from workflow import permissions, services
from workflow.models import AuditEvent, PreviewLink
from workflow.roles import EDITOR, REPORTER, ROLES, sync_roles
from workflow.services import create_preview_link, revoke_preview_links

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, SCHEDULED, PUBLISHED, UNPUBLISHED = (
    "draft",
    "review",
    "scheduled",
    "published",
    "unpublished",
)
STATES = [DRAFT, REVIEW, SCHEDULED, PUBLISHED, UNPUBLISHED]
ACTORS = ["anonymous", "reporter", "other_reporter", "editor", "superuser"]


def in_role(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def people(django_user_model):
    return {
        "anonymous": AnonymousUser(),
        "reporter": in_role(django_user_model, "rania", REPORTER),
        "other_reporter": in_role(django_user_model, "omar", REPORTER),
        "editor": in_role(django_user_model, "esther", EDITOR),
        "superuser": django_user_model.objects.create_superuser("root", "r@example.org", "pw"),
    }


def client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def article_in(state, *, author, **fields):
    """An article by `author` in a workflow state."""
    now = timezone.now()
    status, published_at = {
        DRAFT: ("draft", None),
        REVIEW: ("review", None),
        SCHEDULED: ("published", now + timedelta(days=1)),
        PUBLISHED: ("published", now - timedelta(hours=1)),
        UNPUBLISHED: ("unpublished", now - timedelta(days=2)),
    }[state]
    return make_article(status=status, published_at=published_at, created_by=author, **fields)


def state(article):
    return permissions.state_of(None, article=Article.objects.get(pk=article.pk))


# Roles ------------------------------------------------------------------------------------------


def test_roles_exist_with_their_permissions_after_migrate():
    reporter = Group.objects.get(name=REPORTER)
    editor = Group.objects.get(name=EDITOR)
    codes = lambda group: {  # noqa: E731
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
    }
    assert codes(reporter) == set(ROLES[REPORTER])
    assert codes(editor) == set(ROLES[EDITOR])
    assert "articles.change_article" not in codes(reporter)  # "any article": editors only
    assert "workflow.publish_article" not in codes(reporter)


def test_syncing_roles_puts_back_what_was_changed_by_hand():
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.clear()
    Group.objects.get(name=REPORTER).delete()
    sync_roles()
    assert editor.permissions.count() == len(ROLES[EDITOR])
    assert Group.objects.filter(name=REPORTER).exists()


def test_command_creates_a_user_in_a_role(monkeypatch, django_user_model):
    monkeypatch.setenv("NEWSROOM_USER_PASSWORD", "a long pass phrase 42")
    call_command("create_role_user", "nadia", role="reporter", email="n@example.org", stdout=None)
    user = django_user_model.objects.get(username="nadia")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == [REPORTER]
    assert user.check_password("a long pass phrase 42")
    call_command("create_role_user", "nadia", role="editor")
    assert [g.name for g in user.groups.all()] == [EDITOR]
    call_command("create_role_user", "boss", role="superuser")
    assert django_user_model.objects.get(username="boss").is_superuser


def test_command_refuses_a_weak_password_and_an_unknown_role(monkeypatch, django_user_model):
    monkeypatch.setenv("NEWSROOM_USER_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_role_user", "weak", role="reporter")
    with pytest.raises(CommandError):
        call_command("create_role_user", "who", role="publisher")
    assert not django_user_model.objects.exists()


# Transitions: the permission matrix -------------------------------------------------------------

ALLOWED = {
    "anonymous": set(),
    "reporter": {(DRAFT, REVIEW), (REVIEW, DRAFT)},  # their own story
    "other_reporter": set(),
    "editor": {(a, b) for a in STATES for b in STATES if a != b},
    "superuser": {(a, b) for a in STATES for b in STATES if a != b},
}


@pytest.mark.parametrize("actor", ACTORS)
def test_every_transition_is_allowed_or_refused_by_role(people, actor):
    user = people[actor]
    moved, refused = [], []
    for from_state in STATES:
        for to_state in STATES:
            if from_state == to_state:
                continue
            article = article_in(from_state, author=people["reporter"], body="<p>Ready.</p>")
            when = timezone.now() + timedelta(days=3) if to_state == SCHEDULED else None
            try:
                services.transition(article, to_state, by=user, published_at=when)
            except PermissionDenied:
                refused.append((from_state, to_state))
                assert state(article) == from_state
                assert not article.audit_events.exists()
            else:
                moved.append((from_state, to_state))
                assert state(article) == to_state
                event = article.audit_events.get()
                assert (event.actor, event.from_state, event.to_state) == (
                    user,
                    from_state,
                    to_state,
                )
    assert set(moved) == ALLOWED[actor]
    assert len(moved) + len(refused) == 20


def test_publishing_needs_a_body_and_scheduling_a_future_time(people):
    editor = people["editor"]
    empty = article_in(DRAFT, author=editor, body="")
    with pytest.raises(Exception, match="needs a body"):
        services.transition(empty, PUBLISHED, by=editor)
    assert state(empty) == DRAFT
    ready = article_in(DRAFT, author=editor)
    with pytest.raises(Exception, match="future"):
        services.transition(ready, SCHEDULED, by=editor)
    services.transition(ready, SCHEDULED, by=editor, published_at=timezone.now() + timedelta(1))
    assert state(ready) == SCHEDULED
    assert ready not in Article.objects.published()


# The admin: forms ------------------------------------------------------------------------------


def test_reporter_adds_a_draft_and_submits_it_from_the_form(client, people):
    reporter = people["reporter"]
    client_for(client, reporter)
    page = client.get(admin_url(Article, "add")).content.decode()
    assert '<option value="review">In review</option>' in page
    assert 'value="published"' not in page  # not offered ...
    response = client.post(admin_url(Article, "add"), article_form(status="review"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.created_by, article.status) == (reporter, "review")
    assert [e.action for e in article.audit_events.order_by("pk")] == ["created", "submitted"]


def test_reporter_submitting_with_save_and_continue_is_told_the_story_is_now_read_only(
    client, people
):
    draft = article_in(DRAFT, author=people["reporter"])
    client_for(client, people["reporter"])
    data = article_form(slug=draft.slug, status="review", _continue="1")
    response = client.post(admin_url(Article, "change", draft.pk), data, follow=True)
    page = response.content.decode()
    assert "read-only for you now" in page
    assert "You may edit it again below" not in page


@pytest.mark.parametrize("status", ["published", "unpublished"])
def test_reporter_crafting_a_post_to_publish_is_refused(client, people, status):
    client_for(client, people["reporter"])
    response = client.post(admin_url(Article, "add"), article_form(status=status))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()

    draft = article_in(DRAFT, author=people["reporter"])
    data = article_form(headline=draft.headline, slug=draft.slug, status=status)
    response = client.post(admin_url(Article, "change", draft.pk), data)
    assert response.status_code == 200
    assert state(draft) == DRAFT


def test_reporter_cannot_schedule_by_posting_a_publication_time(client, people):
    draft = article_in(DRAFT, author=people["reporter"])
    client_for(client, people["reporter"])
    data = article_form(
        headline="Changed",
        slug=draft.slug,
        published_at_0="2030-01-01",
        published_at_1="10:00:00",
    )
    assert client.post(admin_url(Article, "change", draft.pk), data).status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Changed"
    assert draft.published_at is None  # a read-only field for reporters: the value is ignored


@pytest.mark.parametrize("from_state", [REVIEW, SCHEDULED, PUBLISHED, UNPUBLISHED])
def test_reporter_cannot_change_their_story_once_it_left_draft(client, people, from_state):
    article = article_in(from_state, author=people["reporter"])
    client_for(client, people["reporter"])
    page = client.get(admin_url(Article, "change", article.pk))
    assert page.status_code == 200  # they follow it ...
    assert 'name="headline"' not in page.content.decode()  # ... read-only
    assert "&lt;p&gt;" not in page.content.decode()  # the body reads as text, not as HTML source
    data = article_form(headline="Rewritten", slug=article.slug, status="draft")
    assert client.post(admin_url(Article, "change", article.pk), data).status_code == 403
    article.refresh_from_db()
    assert article.headline != "Rewritten"
    assert state(article) == from_state


@pytest.mark.parametrize("from_state", STATES)
def test_reporter_cannot_see_or_change_another_reporters_story(client, people, from_state):
    article = article_in(from_state, author=people["other_reporter"])
    client_for(client, people["reporter"])
    changelist = client.get(admin_url(Article, "changelist"))
    assert article.headline not in changelist.content.decode()
    data = article_form(headline="Hijacked", slug=article.slug, status="review")
    response = client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code in (302, 403, 404)
    article.refresh_from_db()
    assert article.headline != "Hijacked"
    assert state(article) == from_state


def test_reporter_changelist_shows_their_work_and_its_review_state(client, people):
    mine = article_in(REVIEW, author=people["reporter"], headline="My story in review")
    article_in(DRAFT, author=people["other_reporter"], headline="Someone else's draft")
    client_for(client, people["reporter"])
    response = client.get(admin_url(Article, "changelist"))
    assert list(response.context["cl"].result_list) == [mine]
    assert "In review" in response.content.decode()


def test_reporter_quotes_follow_the_article_rules(client, people):
    published = article_in(PUBLISHED, author=people["reporter"])
    person = make_person()
    client_for(client, people["reporter"])
    data = article_form(
        headline=published.headline,
        slug=published.slug,
        status="published",
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": person.pk,
            "quotes-0-text": "Slipped in.",
            "quotes-0-order": "1",
        },
    )
    assert client.post(admin_url(Article, "change", published.pk), data).status_code == 403
    assert not published.quotes.exists()


def test_editor_publishes_from_the_form_and_it_is_recorded(client, people):
    draft = article_in(REVIEW, author=people["reporter"])
    client_for(client, people["editor"])
    data = article_form(headline=draft.headline, slug=draft.slug, status="published")
    assert client.post(admin_url(Article, "change", draft.pk), data).status_code == 302
    assert state(draft) == PUBLISHED
    event = draft.audit_events.get()
    assert (event.action, event.actor, event.from_state) == ("published", people["editor"], REVIEW)


def test_editor_schedules_from_the_form(client, people):
    draft = article_in(REVIEW, author=people["reporter"])
    client_for(client, people["editor"])
    data = article_form(
        headline=draft.headline,
        slug=draft.slug,
        status="published",
        published_at_0="2099-01-01",
        published_at_1="10:00:00",
    )
    assert client.post(admin_url(Article, "change", draft.pk), data).status_code == 302
    assert state(draft) == SCHEDULED
    assert draft.audit_events.get().action == "scheduled"


def test_anonymous_posts_change_nothing(client, people):
    article = article_in(DRAFT, author=people["reporter"])
    data = article_form(headline="Anon", slug=article.slug, status="published")
    response = client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = run_action(client, Article, "publish", [article])
    assert state(article) == DRAFT
    assert not AuditEvent.objects.exists()


# The admin: actions -----------------------------------------------------------------------------

# (actor, action, starting state, author) -> the state after the action.
ACTION_CASES = [
    ("reporter", "submit_for_review", DRAFT, "reporter", REVIEW),
    ("reporter", "submit_for_review", DRAFT, "other_reporter", DRAFT),
    ("reporter", "return_to_draft", REVIEW, "reporter", DRAFT),
    ("reporter", "return_to_draft", PUBLISHED, "reporter", PUBLISHED),
    ("reporter", "publish", DRAFT, "reporter", DRAFT),
    ("reporter", "publish", REVIEW, "reporter", REVIEW),
    ("reporter", "unpublish", PUBLISHED, "reporter", PUBLISHED),
    ("other_reporter", "submit_for_review", DRAFT, "reporter", DRAFT),
    ("other_reporter", "return_to_draft", REVIEW, "reporter", REVIEW),
    ("editor", "submit_for_review", DRAFT, "reporter", REVIEW),
    ("editor", "return_to_draft", REVIEW, "reporter", DRAFT),
    ("editor", "return_to_draft", UNPUBLISHED, "reporter", DRAFT),
    ("editor", "publish", REVIEW, "reporter", PUBLISHED),
    ("editor", "publish", UNPUBLISHED, "reporter", PUBLISHED),
    ("editor", "unpublish", PUBLISHED, "reporter", UNPUBLISHED),
    ("editor", "unpublish", SCHEDULED, "reporter", UNPUBLISHED),
    ("superuser", "publish", DRAFT, "reporter", PUBLISHED),
    ("superuser", "unpublish", PUBLISHED, "reporter", UNPUBLISHED),
    ("anonymous", "publish", REVIEW, "reporter", REVIEW),
    ("anonymous", "submit_for_review", DRAFT, "reporter", DRAFT),
]


@pytest.mark.parametrize(
    ("actor", "action", "start", "author", "end"),
    ACTION_CASES,
    ids=[f"{a}-{b}-{c}-by-{d}" for a, b, c, d, _ in ACTION_CASES],
)
def test_admin_actions_by_role(client, people, actor, action, start, author, end):
    article = article_in(start, author=people[author])
    client_for(client, people[actor])
    run_action(client, Article, action, [article])
    assert state(article) == end
    events = list(article.audit_events.all())
    if end == start:
        assert events == []
    else:
        assert [(e.actor, e.to_state) for e in events] == [(people[actor], end)]


def test_publish_action_is_not_offered_to_reporters(client, people):
    article_in(DRAFT, author=people["reporter"])  # the actions show above a non-empty list
    client_for(client, people["reporter"])
    page = client.get(admin_url(Article, "changelist")).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page


def test_refused_articles_are_named_in_the_message(client, people):
    empty = article_in(REVIEW, author=people["reporter"], headline="Half-written", body="")
    client_for(client, people["editor"])
    response = run_action(client, Article, "publish", [empty])
    assert "Not published: “Half-written”. A published article needs a body." in (
        messages_of(response)
    )


def test_only_editors_delete_articles(client, people):
    article = article_in(DRAFT, author=people["reporter"])
    client_for(client, people["reporter"])
    assert client.post(admin_url(Article, "delete", article.pk), {"post": "yes"}).status_code in (
        302,
        403,
    )
    assert Article.objects.filter(pk=article.pk).exists()


# Preview on the site for staff ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "author", "sees"),
    [
        ("reporter", "reporter", True),
        ("other_reporter", "reporter", False),
        ("editor", "reporter", True),
        ("superuser", "reporter", True),
        ("anonymous", "reporter", False),
    ],
)
def test_who_sees_an_unpublished_article_on_the_site(client, people, actor, author, sees):
    draft = article_in(DRAFT, author=people[author])
    response = client_for(client, people[actor]).get(draft.get_absolute_url())
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert "Not published." in response.content.decode()
        assert "no-store" in response["Cache-Control"]


# Preview links ----------------------------------------------------------------------------------


@pytest.fixture
def draft_and_link(people):
    draft = article_in(REVIEW, author=people["reporter"], headline="Embargoed: the report")
    link, token = create_preview_link(
        article=draft, by=people["editor"], lifetime=timedelta(days=1), note="IOM press office"
    )
    return draft, link, token


def preview_url(token):
    return reverse("workflow:preview", args=[token])


def test_preview_link_shows_the_article_as_readers_will(client, draft_and_link):
    draft, _, token = draft_and_link
    response = client.get(preview_url(token))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Embargoed: the report" in page
    assert '<div class="banner" role="status">' in page
    assert "through a preview link" in page and "Only editors" not in page
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert not response.cookies  # no session: the link unlocks nothing else


def test_preview_link_exposes_nothing_else(client, people, draft_and_link):
    _, _, token = draft_and_link
    other = article_in(DRAFT, author=people["reporter"], headline="Another secret draft")
    client.get(preview_url(token))
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302
    assert "Another secret draft" not in client.get(preview_url(token)).content.decode()
    # The token names one link: it cannot be bent to another article.
    assert client.get(preview_url(token.replace(":", ":x", 1))).status_code == 404
    assert client.post(preview_url(token)).status_code == 405


@pytest.mark.parametrize(
    "token", ["nonsense", "a:b:c", "x" * 500, "%00", "00000000000000000000000000000000"]
)
def test_forged_preview_tokens_are_404(client, token):
    assert client.get(preview_url(token)).status_code == 404


def test_preview_link_stops_working_when_it_expires(client, draft_and_link):
    _, link, token = draft_and_link
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(preview_url(token)).status_code == 404


def test_preview_signature_itself_expires_after_thirty_days(client, draft_and_link, monkeypatch):
    _, link, token = draft_and_link
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(365))
    later = timezone.now().timestamp() + 31 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(preview_url(token)).status_code == 404


def test_preview_link_stops_working_when_revoked(client, people, draft_and_link):
    draft, link, token = draft_and_link
    assert client.get(preview_url(token)).status_code == 200
    revoke_preview_links(links=[link], by=people["editor"])
    assert client.get(preview_url(token)).status_code == 404
    actions = list(draft.audit_events.order_by("pk").values_list("action", flat=True))
    assert actions == ["preview_link", "preview_revoked"]


def test_editor_makes_and_revokes_a_link_in_the_admin(client, people):
    draft = article_in(REVIEW, author=people["reporter"])
    client_for(client, people["editor"])
    change_page = client.get(admin_url(Article, "change", draft.pk)).content.decode()
    assert f"{admin_url(PreviewLink, 'add')}?article={draft.pk}" in change_page
    response = client.post(
        admin_url(PreviewLink, "add"),
        {"article": draft.pk, "lifetime": "24", "note": "Ministry"},
        follow=True,
    )
    (message,) = [m for m in messages_of(response) if m.startswith("Send this address")]
    url = re.search(r'href="([^"]+)"', message).group(1)
    path = url.removeprefix("http://127.0.0.1:8000")
    client.logout()
    assert client.get(path).status_code == 200
    link = PreviewLink.objects.get()
    assert link.created_by == people["editor"]
    client_for(client, people["editor"])
    run_action(client, PreviewLink, "revoke", [link])
    client.logout()
    assert client.get(path).status_code == 404


def test_reporters_cannot_make_preview_links(client, people):
    draft = article_in(DRAFT, author=people["reporter"])
    client_for(client, people["reporter"])
    response = client.post(admin_url(PreviewLink, "add"), {"article": draft.pk, "lifetime": "24"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        create_preview_link(article=draft, by=people["reporter"], lifetime=timedelta(hours=1))
    assert not PreviewLink.objects.exists()


# Versions: history, comparison, revert ----------------------------------------------------------


def test_history_compare_and_revert_restore_themes_quotes_and_mentions(client, people):
    editor = people["editor"]
    client_for(client, editor)
    old_theme, new_theme = make_theme(name="Migration"), make_theme(name="Trafficking")
    old_person, new_person = make_person(name="Amina Said"), make_person(name="Carlos Cruz")
    old_org, new_org = make_organization(name="IOM"), make_organization(name="UNICEF")

    first = article_form(
        headline="Cairo hosts a conference",
        body="<p>Officials met in Cairo on Monday.</p>",
        status="published",
        themes=[old_theme.pk],
        people=[old_person.pk],
        organizations=[old_org.pk],
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": old_person.pk,
            "quotes-0-text": "We will protect <b>every</b> child.",
            "quotes-0-order": "1",
        },
    )
    assert client.post(admin_url(Article, "add"), first).status_code == 302
    article = Article.objects.get()
    quote = article.quotes.get()
    second = article_form(
        headline="Cairo hosts a regional conference",
        body="<p>Officials met in Alexandria on Tuesday.</p>",
        status="published",
        themes=[new_theme.pk],
        people=[new_person.pk],
        organizations=[new_org.pk],
        **{
            "quotes-TOTAL_FORMS": "2",
            "quotes-INITIAL_FORMS": "1",
            "quotes-0-id": quote.pk,
            "quotes-0-article": article.pk,
            "quotes-0-person": old_person.pk,
            "quotes-0-text": "We will protect <b>every</b> child.",
            "quotes-0-order": "1",
            "quotes-0-DELETE": "on",
            "quotes-1-person": new_person.pk,
            "quotes-1-text": "Trafficking is a crime.",
            "quotes-1-order": "2",
        },
    )
    assert client.post(admin_url(Article, "change", article.pk), second).status_code == 302

    history = client.get(admin_url(Article, "history", article.pk))
    versions = history.context["versions"]
    assert len(versions) == 2
    newest, oldest = versions
    assert "Compare the chosen versions" in history.content.decode()

    compare = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"old": oldest.pk, "new": newest.pk},
    )
    page = compare.content.decode()
    assert compare.status_code == 200
    assert "<del>Cairo</del><ins>Alexandria</ins> on <del>Monday.</del><ins>Tuesday.</ins>" in page
    assert "&lt;b&gt;every&lt;/b&gt;" in page  # editors' text is escaped, never markup
    assert "<b>every</b>" not in page
    assert "<del>Migration</del><ins>Trafficking</ins>" in page
    assert (
        "<del>Amina Said: “We will protect &lt;b&gt;every&lt;/b&gt; child.”</del>"
        "<ins>Carlos Cruz: “Trafficking is a crime.”</ins>"
    ) in page

    response = client.post(
        reverse("admin:articles_article_revert", args=[article.pk, oldest.pk]), follow=True
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Cairo hosts a conference"
    assert list(article.themes.all()) == [old_theme]
    assert list(article.people.all()) == [old_person]
    assert list(article.organizations.all()) == [old_org]
    assert [(q.person, q.text) for q in article.quotes.all()] == [
        (old_person, "We will protect <b>every</b> child.")
    ]
    assert state(article) == PUBLISHED  # a revert edits; it does not unpublish
    versions = list(Version.objects.get_for_object(article))
    assert len(versions) == 3
    assert versions[0].revision.get_comment().startswith("Reverted to the version of")
    assert versions[0].revision.user == editor
    assert article.audit_events.filter(action="reverted", actor=editor).exists()


def test_compare_refuses_bad_input_with_a_4xx(client, people):
    article = article_in(DRAFT, author=people["editor"])
    client_for(client, people["editor"])
    url = reverse("admin:articles_article_compare", args=[article.pk])
    assert client.get(url).status_code == 400
    assert client.get(url, {"old": "x", "new": "1"}).status_code == 400
    assert client.get(url, {"old": "999", "new": "998"}).status_code == 404


def test_reporter_cannot_revert_a_published_story(client, people):
    editor, reporter = people["editor"], people["reporter"]
    client_for(client, editor)
    assert client.post(admin_url(Article, "add"), article_form(status="draft")).status_code == 302
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).update(created_by=reporter, status="published")
    version = Version.objects.get_for_object(article).get()
    client_for(client, reporter)
    url = reverse("admin:articles_article_revert", args=[article.pk, version.pk])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 403  # not even the page that asks to confirm
    assert Version.objects.get_for_object(article).count() == 1


def test_a_person_keeps_versions_and_reverts(client, people):
    client_for(client, people["editor"])
    data = {
        "name": "Laurent de Boeck",
        "slug": "laurent-de-boeck",
        "honorific": "",
        "also_known_as": "",
        "bio": "Chief of Mission.",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    assert client.post(admin_url(Person, "add"), data).status_code == 302
    person = Person.objects.get()
    data["bio"] = "Former Chief of Mission."
    data["desk_loaded_version"] = loaded_version(Person, pk=person.pk)
    assert client.post(admin_url(Person, "change", person.pk), data).status_code == 302
    newest, oldest = client.get(admin_url(Person, "history", person.pk)).context["versions"]
    page = client.get(
        reverse("admin:people_person_compare", args=[person.pk]),
        {"old": oldest.pk, "new": newest.pk},
    ).content.decode()
    assert "<ins>Former </ins>Chief of Mission." in page
    client.post(reverse("admin:people_person_revert", args=[person.pk, oldest.pk]))
    person.refresh_from_db()
    assert person.bio == "Chief of Mission."


# Corrections ------------------------------------------------------------------------------------


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def test_editor_corrects_a_published_article_everywhere_readers_look(client, people):
    article = article_in(PUBLISHED, author=people["reporter"], headline="Conference opens")
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    client_for(client, people["editor"])
    data = article_form(
        headline=article.headline,
        slug=article.slug,
        status="published",
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-published_at_0": "2099-01-01",  # corrected
            "corrections-0-published_at_1": "10:00:00",
            "corrections-0-wrong": "The conference was in Alexandria.",
            "corrections-0-right": "It was in Cairo.",
        },
    )
    data["corrections-0-published_at_0"] = timezone.localdate().isoformat()
    data["corrections-0-published_at_1"] = (
        (timezone.localtime() - timedelta(minutes=1)).time().strftime("%H:%M:%S")
    )
    assert client.post(admin_url(Article, "change", article.pk), data).status_code == 302
    correction = article.corrections.get()
    assert article.audit_events.filter(action="corrected", actor=people["editor"]).exists()
    client.logout()

    page = client.get(article.get_absolute_url()).content.decode()
    assert "It was in Cairo." in page
    data = json.loads(JSON_LD.search(page).group(1))
    modified = timezone.datetime.fromisoformat(data["dateModified"])
    article.refresh_from_db()
    assert modified >= correction.published_at - timedelta(seconds=1)
    assert modified == max(article.updated_at, correction.published_at)

    listing = client.get(reverse("workflow:corrections"))
    assert listing.status_code == 200
    assert "Conference opens" in listing.content.decode()
    assert "It was in Cairo." in listing.content.decode()
    feed = client.get(reverse("workflow:corrections_feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "It was in Cairo." in feed.content.decode()


def test_json_ld_date_modified_moves_with_a_later_correction(client):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=3))
    before = json.loads(JSON_LD.search(client.get(article.get_absolute_url()).content.decode())[1])
    correction = make_correction(article, published_at=timezone.now() - timedelta(minutes=5))
    after = json.loads(JSON_LD.search(client.get(article.get_absolute_url()).content.decode())[1])
    assert after["dateModified"] > before["dateModified"]
    assert timezone.datetime.fromisoformat(after["dateModified"]) == correction.published_at


def test_corrections_page_lists_published_articles_only_newest_first_paginated(client):
    now = timezone.now()
    live = make_article(headline="Live story")
    draft = make_article(headline="Draft story", status="draft")
    scheduled = make_article(headline="Future story", published_at=now + timedelta(days=1))
    make_correction(draft, right="Draft fix")
    make_correction(scheduled, right="Future fix")
    make_correction(live, right="Future-dated fix", published_at=now + timedelta(days=1))
    for n in range(21):
        make_correction(live, right=f"Fix number {n}", published_at=now - timedelta(hours=n + 1))
    first = client.get(reverse("workflow:corrections"))
    rights = [c.right for c in first.context["corrections"]]
    assert rights[:3] == ["Fix number 0", "Fix number 1", "Fix number 2"]
    assert len(rights) == 20
    page = first.content.decode()
    assert "Draft fix" not in page and "Future fix" not in page and "Future-dated" not in page
    second = client.get(reverse("workflow:corrections"), {"page": 2})
    assert [c.right for c in second.context["corrections"]] == ["Fix number 20"]
    assert client.get(reverse("workflow:corrections"), {"page": "99"}).status_code == 404
    assert client.get(reverse("workflow:corrections"), {"page": "x"}).status_code == 404
    feed = client.get(reverse("workflow:corrections_feed")).content.decode()
    assert "Draft fix" not in feed and "Fix number 0" in feed


def test_reporters_cannot_add_corrections(client, people):
    draft = article_in(DRAFT, author=people["reporter"])
    client_for(client, people["reporter"])
    data = article_form(
        headline=draft.headline,
        slug=draft.slug,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-published_at_0": "2025-01-02",
            "corrections-0-published_at_1": "10:00:00",
            "corrections-0-wrong": "x",
            "corrections-0-right": "y",
        },
    )
    client.post(admin_url(Article, "change", draft.pk), data)
    assert not Correction.objects.exists()
    assert client.get(admin_url(Correction, "add")).status_code == 403


# Audit ------------------------------------------------------------------------------------------


def test_audit_trail_in_the_admin_filters_by_article_and_person(client, people):
    editor = people["editor"]
    one = article_in(REVIEW, author=people["reporter"], headline="First story")
    two = article_in(REVIEW, author=people["reporter"], headline="Second story")
    services.transition(one, PUBLISHED, by=editor)
    services.transition(two, DRAFT, by=people["superuser"])
    client_for(client, editor)
    url = admin_url(AuditEvent, "changelist")
    by_article = client.get(url, {"article__id__exact": one.pk})
    assert [e.article for e in by_article.context["cl"].result_list] == [one]
    by_person = client.get(url, {"actor__id__exact": people["superuser"].pk})
    assert [e.article for e in by_person.context["cl"].result_list] == [two]
    assert "returned to draft" in by_person.content.decode()
    assert client.get(admin_url(AuditEvent, "change", by_article.context["cl"].result_list[0].pk))
    assert client.post(url, {"action": "delete_selected"}).status_code in (200, 302)
    assert AuditEvent.objects.count() == 2
    client_for(client, people["reporter"])
    assert client.get(url).status_code == 403


def test_quotes_and_mentions_of_the_audit_survive_the_article(people):
    article = article_in(REVIEW, author=people["reporter"], headline="Soon gone")
    services.transition(article, DRAFT, by=people["editor"])
    article.delete()
    event = AuditEvent.objects.get()
    assert event.article is None
    assert "Soon gone" in str(event)


def test_people_pick_lists_work_for_reporters(client, people):
    person = make_person(name="Amina Said")
    make_quote_by(person, make_article())
    client_for(client, people["reporter"])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "people", "term": "Amin"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Amina Said"]


def test_comparison_escapes_whatever_was_typed():
    from workflow.history import diff_html

    html = str(diff_html("Safe line\n<script>alert(1)</script>", "Safe line\n<img onerror=x>"))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img onerror=x&gt;" in html


def test_comparison_shows_an_added_paragraph_and_leaves_the_others_alone():
    from workflow.history import diff_html

    html = str(diff_html("First.\nSecond.", "First.\nSecond.\nThird."))
    assert "<ins>Third.</ins>" in html
    assert "<del>" not in html


def test_a_revert_brings_back_one_article_never_the_others_saved_with_it(client, django_user_model):
    """A bulk action saves several articles in one revision. Reverting one of them must not
    republish another that an editor has since taken down."""
    from django.urls import reverse
    from reversion.models import Version

    reporter = in_role(django_user_model, "rania", REPORTER)
    editor = in_role(django_user_model, "esther", EDITOR)
    mine = make_article(created_by=reporter, status="review", published_at=None, headline="Mine")
    risky = make_article(created_by=editor, status="review", published_at=None, headline="Risky")
    client.force_login(editor)
    run_action(client, Article, "publish", [mine, risky])
    run_action(client, Article, "unpublish", [risky])  # a legal takedown
    run_action(client, Article, "return_to_draft", [mine])
    together = next(
        v
        for v in Version.objects.get_for_object(mine)
        if v.revision.version_set.filter(object_id=str(risky.pk)).exists()
    )
    client.force_login(reporter)
    response = client.post(reverse("admin:articles_article_revert", args=[mine.pk, together.pk]))
    assert response.status_code in (200, 302)
    risky.refresh_from_db()
    assert risky.status == Article.Status.UNPUBLISHED
    client.logout()
    assert client.get(risky.get_absolute_url()).status_code == 404


def test_reporters_cannot_reach_the_quotes_of_other_articles_outside_their_drafts(
    client, django_user_model
):
    reporter = in_role(django_user_model, "rania", REPORTER)
    editor = in_role(django_user_model, "esther", EDITOR)
    person = make_person()
    quote = make_quote_by(person, make_article(created_by=editor), text="Original words.", order=1)
    make_quote_by(person, make_draft(created_by=editor, headline="Secret inquiry"), order=1)
    client.force_login(reporter)
    assert client.get(admin_url(Quote, "changelist")).status_code == 403
    forged = {"article": quote.article_id, "person": person.pk, "text": "Forged.", "order": 1}
    assert client.post(admin_url(Quote, "change", quote.pk), forged).status_code == 403
    quote.refresh_from_db()
    assert quote.text == "Original words."
