"""Who may see, edit and move a story: the rules of workflow/permissions.py, asked directly.

These functions are the contract the admin, the services and the public pages all ask, so the
tests put the awkward people to them: anonymous readers, accounts taken off the staff or
deactivated while still in a role group, staff in no group, and reporters facing someone else's
story. A story sent back to draft after publication keeps its publication time: it is a draft.
"""

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from tests.factories import make_article, make_theme
from workflow import permissions, services
from workflow.permissions import DRAFT, PUBLISHED, REVIEW, SCHEDULED, UNPUBLISHED
from workflow.roles import EDITOR, REPORTER

pytestmark = pytest.mark.django_db

STATES = [DRAFT, REVIEW, SCHEDULED, PUBLISHED, UNPUBLISHED]
HOUR = timedelta(hours=1)


def member(django_user_model, username, role=None, **flags):
    """An account in `role` (or in no group), staff and active unless `flags` say otherwise."""
    flags.setdefault("is_staff", True)
    user = django_user_model.objects.create_user(username, password="pw", **flags)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return django_user_model.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def reporter(django_user_model):
    return member(django_user_model, "rania", REPORTER)


@pytest.fixture
def other_reporter(django_user_model):
    return member(django_user_model, "omar", REPORTER)


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "esther", EDITOR)


@pytest.fixture
def outsiders(django_user_model):
    """People who hold a role's permissions, or a desk account, but may do nothing with stories."""
    return {
        "anonymous": AnonymousUser(),
        "editor taken off the staff": member(django_user_model, "ex-ed", EDITOR, is_staff=False),
        "deactivated editor": member(django_user_model, "gone-ed", EDITOR, is_active=False),
        "reporter taken off the staff": member(
            django_user_model, "ex-rep", REPORTER, is_staff=False
        ),
        "deactivated reporter": member(django_user_model, "gone-rep", REPORTER, is_active=False),
        "staff in no group": member(django_user_model, "temp"),
        "superuser taken off the staff": member(
            django_user_model, "ex-root", is_staff=False, is_superuser=True
        ),
    }


def story(state, *, author, **fields):
    now = timezone.now()
    status, published_at = {
        DRAFT: ("draft", None),
        REVIEW: ("review", None),
        SCHEDULED: ("published", now + timedelta(days=1)),
        PUBLISHED: ("published", now - HOUR),
        UNPUBLISHED: ("unpublished", now - timedelta(days=2)),
    }[state]
    fields.setdefault("published_at", published_at)
    return make_article(status=status, created_by=author, **fields)


# The state of a story ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [
        ("draft", None, DRAFT),
        # Sent back to draft after publication: it keeps its publication time, and is a draft.
        ("draft", -HOUR, DRAFT),
        ("draft", HOUR, DRAFT),
        ("review", -HOUR, REVIEW),
        ("published", -HOUR, PUBLISHED),
        ("published", HOUR, SCHEDULED),
        ("unpublished", -HOUR, UNPUBLISHED),
        ("unpublished", HOUR, UNPUBLISHED),
    ],
)
def test_the_state_a_status_and_publication_time_mean(status, offset, expected):
    published_at = None if offset is None else timezone.now() + offset
    assert permissions.state_of(status, published_at) == expected
    article = make_article(status=status, published_at=published_at)
    assert permissions.state_of(None, article=Article.objects.get(pk=article.pk)) == expected


def test_a_story_about_to_be_published_without_a_time_is_published():
    assert permissions.state_of("published") == PUBLISHED


def test_a_story_returned_to_draft_after_publication_is_a_draft_everywhere(editor):
    article = story(PUBLISHED, author=editor)
    services.transition(article, DRAFT, by=editor)
    article.refresh_from_db()
    assert article.published_at is not None  # kept, for when it is published again
    assert permissions.state_of(article.status, article.published_at) == DRAFT
    assert permissions.state_of(None, article=article) == DRAFT
    assert article.audit_events.get().to_state == DRAFT


# Seeing a story ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_outsiders_see_edit_and_move_nothing(outsiders, reporter, state):
    article = story(state, author=reporter)
    for who, user in outsiders.items():
        for candidate in (article, Article()):
            assert not permissions.is_editor(user), who
            assert not permissions.can_see(user, candidate), who
            assert not permissions.can_edit(user, candidate), who
            assert permissions.allowed_states(user, candidate) == [], who
            if not user.is_superuser:  # Django grants an active superuser every permission
                assert not user.has_perm("articles.view_article", candidate), who
                assert not user.has_perm("articles.change_article", candidate), who


def test_an_outsider_who_wrote_a_draft_still_may_not_touch_it(outsiders):
    for who, user in outsiders.items():
        if not user.is_authenticated:
            continue
        own = story(DRAFT, author=user)
        assert not permissions.can_see(user, own), who
        assert not permissions.can_edit(user, own), who
        assert permissions.allowed_states(user, own) == [], who
        with pytest.raises(PermissionDenied):
            services.transition(own, REVIEW, by=user)
        own.refresh_from_db()
        assert own.status == "draft"


def test_an_editor_taken_off_the_staff_sees_no_drafts_on_the_site(client, outsiders, reporter):
    draft = story(DRAFT, author=reporter, headline="Not yet cleared")
    for who in (
        "editor taken off the staff",
        "reporter taken off the staff",
        "superuser taken off the staff",
    ):
        client.force_login(outsiders[who])
        assert client.get(draft.get_absolute_url()).status_code == 404, who
        client.logout()


def test_reporters_see_their_own_stories_and_new_ones_only(reporter, other_reporter):
    for state in STATES:
        own = story(state, author=reporter)
        assert permissions.can_see(reporter, own), state
        assert reporter.has_perm("articles.view_article", own), state
        assert not permissions.can_see(other_reporter, own), state
        assert not other_reporter.has_perm("articles.view_article", own), state
    assert permissions.can_see(reporter, Article())


def test_editors_see_and_edit_every_story(editor, reporter):
    for state in STATES:
        article = story(state, author=reporter)
        assert permissions.is_editor(editor)
        assert permissions.can_see(editor, article)
        assert permissions.can_edit(editor, article)
        assert editor.has_perm("articles.change_article", article)
    assert not permissions.is_editor(reporter)


# Editing a story --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_a_reporter_edits_their_own_drafts_only(reporter, state):
    own = story(state, author=reporter)
    assert permissions.can_edit(reporter, own) == (state == DRAFT)
    assert reporter.has_perm("articles.change_article", own) == (state == DRAFT)
    # The state the story is in is offered to them only while they may edit it.
    assert (state in permissions.allowed_states(reporter, own)) == (state == DRAFT)


def test_a_reporter_may_not_edit_another_reporters_draft(reporter, other_reporter):
    theirs = story(DRAFT, author=other_reporter)
    assert not permissions.can_edit(reporter, theirs)
    assert not reporter.has_perm("articles.change_article", theirs)
    assert permissions.allowed_states(reporter, theirs) == []
    assert permissions.can_edit(reporter, Article())


def test_a_reporter_may_not_revert_another_reporters_draft(reporter, other_reporter):
    theirs = story(DRAFT, author=other_reporter, headline="First words")
    theirs.headline = "Second words"
    with reversion.create_revision():
        theirs.save()
    first = Version.objects.get_for_object(theirs).last()
    with pytest.raises(PermissionDenied):
        services.revert_article(version=first, by=reporter)
    theirs.refresh_from_db()
    assert theirs.headline == "Second words"


def test_a_reporter_reverts_their_own_draft(reporter):
    own = story(DRAFT, author=reporter, headline="First words")
    with reversion.create_revision():
        own.save()
    own.headline = "Second words"
    with reversion.create_revision():
        own.save()
    first = Version.objects.get_for_object(own).last()
    services.revert_article(version=first, by=reporter)
    own.refresh_from_db()
    assert own.headline == "First words"


# Moving a story ---------------------------------------------------------------------------------


def test_the_states_each_person_may_leave_a_story_in(reporter, other_reporter, editor):
    own_draft, own_review = story(DRAFT, author=reporter), story(REVIEW, author=reporter)
    assert permissions.allowed_states(reporter, own_draft) == [DRAFT, REVIEW]
    assert permissions.allowed_states(reporter, own_review) == [DRAFT]
    assert permissions.allowed_states(reporter, Article()) == [DRAFT, REVIEW]
    assert permissions.allowed_states(other_reporter, own_review) == []
    for state in STATES:
        assert permissions.allowed_states(editor, story(state, author=reporter)) == STATES


def test_a_reporter_moves_no_story_once_published(reporter):
    for state in (SCHEDULED, PUBLISHED, UNPUBLISHED):
        own = story(state, author=reporter)
        assert permissions.allowed_states(reporter, own) == [], state


def test_staff_without_the_submit_permission_submit_nothing(django_user_model, reporter):
    writer = member(django_user_model, "writer")
    writer.user_permissions.add(*permissions_named("add_article", "view_article"))
    writer = django_user_model.objects.get(pk=writer.pk)
    own = story(DRAFT, author=writer)
    assert permissions.can_edit(writer, own)  # they may write it...
    assert permissions.allowed_states(writer, own) == [DRAFT]  # ...but not send it on
    assert permissions.allowed_states(writer, Article()) == [DRAFT]
    with pytest.raises(PermissionDenied):
        services.transition(own, REVIEW, by=writer)


def test_rules_answer_only_for_articles(reporter):
    theme = make_theme()
    own = story(DRAFT, author=reporter)
    assert not reporter.has_perm("articles.view_article", theme)
    assert not reporter.has_perm("articles.change_article", theme)
    assert not reporter.has_perm("articles.delete_article", own)
    assert reporter.has_perm("articles.view_article")  # the model permission, from the group
    assert not reporter.has_perm("articles.change_article")


def permissions_named(*codenames):
    return Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
