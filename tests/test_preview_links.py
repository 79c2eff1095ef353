"""Preview links: one unpublished story, for whoever holds the address, until it expires or an
editor revokes it, and never once the story is taken down.

tests/test_workflow.py walks the main path; these pin the edges a reader or an editor would
notice: how long a link may last, what the audit trail says, which links a takedown ends, and
the headers that keep the page out of caches, search engines and other sites' logs.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_draft
from workflow import services
from workflow.models import AuditEvent, PreviewLink
from workflow.roles import EDITOR, REPORTER

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("esther", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def reporter(django_user_model):
    user = django_user_model.objects.create_user("rania", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=REPORTER))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def draft():
    return make_draft(headline="Embargoed: the report")


def preview(client, token):
    return client.get(reverse("workflow:preview", args=[token]))


def make_link(draft, editor, lifetime=DAY, note="IOM press office"):
    return services.create_preview_link(article=draft, by=editor, lifetime=lifetime, note=note)


# Making a link ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lifetime", "works"),
    [
        (timedelta(minutes=5), True),
        (timedelta(minutes=5) - timedelta(seconds=1), False),
        (timedelta(days=30), True),
        (timedelta(days=30, seconds=1), False),
        (-DAY, False),
    ],
)
def test_a_link_lasts_between_five_minutes_and_thirty_days(client, draft, editor, lifetime, works):
    if not works:
        with pytest.raises(ValidationError) as refused:
            make_link(draft, editor, lifetime)
        assert refused.value.messages == [
            "A preview link lasts between five minutes and thirty days."
        ]
        assert not PreviewLink.objects.exists()
        assert not AuditEvent.objects.exists()
        return
    before = timezone.now()
    link, token = make_link(draft, editor, lifetime)
    link.refresh_from_db()
    assert before + lifetime <= link.expires_at <= timezone.now() + lifetime
    assert preview(client, token).status_code == 200


def test_a_link_remembers_who_made_it_for_whom_and_is_on_the_audit_trail(draft, editor):
    link, token = make_link(draft, editor, note="Ministry of Social Solidarity")
    link.refresh_from_db()
    assert (link.article, link.created_by, link.note) == (
        draft,
        editor,
        "Ministry of Social Solidarity",
    )
    assert link.revoked_at is None and link.is_active
    event = draft.audit_events.get()
    assert (event.action, event.actor, event.note) == (
        AuditEvent.Action.PREVIEW_LINK,
        editor,
        "Ministry of Social Solidarity",
    )
    assert token.startswith(link.pk.hex + ":")


def test_a_link_made_without_a_note_has_none(draft, editor):
    link, _ = services.create_preview_link(article=draft, by=editor, lifetime=DAY)
    link.refresh_from_db()
    assert link.note == "" and draft.audit_events.get().note == ""


def test_the_desk_fills_in_the_link_it_was_given(draft, editor):
    unsaved = PreviewLink()
    link, _ = services.create_preview_link(
        article=draft, by=editor, lifetime=DAY, note="", link=unsaved
    )
    assert link is unsaved and PreviewLink.objects.get().pk == unsaved.pk


def test_a_reporter_is_told_only_editors_make_and_revoke_links(client, draft, editor, reporter):
    with pytest.raises(PermissionDenied, match=r"^Only editors can make preview links\.$"):
        make_link(draft, reporter)
    link, token = make_link(draft, editor)
    with pytest.raises(PermissionDenied, match=r"^Only editors can revoke preview links\.$"):
        services.revoke_preview_links(links=[link], by=reporter)
    assert preview(client, token).status_code == 200
    with pytest.raises(PermissionDenied):
        services.revoke_preview_links(links=[link], by=AnonymousUser())


def test_no_link_is_made_to_a_story_taken_down(editor):
    gone = make_draft(status=Article.Status.UNPUBLISHED, published_at=timezone.now() - DAY)
    with pytest.raises(ValidationError) as refused:
        make_link(gone, editor)
    assert refused.value.messages == [
        "This story is unpublished (taken down), so no preview link can show it. Return it to "
        "draft first if it is being reworked."
    ]
    assert not PreviewLink.objects.exists()
    for status in ("draft", "review", "published"):
        services.check_previewable(make_draft(status=status))  # no error


# Revoking and taking down -----------------------------------------------------------------------


def test_revoking_counts_and_records_only_the_links_still_live(
    client, draft, editor, django_user_model
):
    first, first_token = make_link(draft, editor, note="first")
    old, _ = make_link(draft, editor, note="already revoked")
    second, second_token = make_link(draft, editor, note="second")
    colleague = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    assert services.revoke_preview_links(links=[old], by=colleague) == 1
    revoked = services.revoke_preview_links(links=[first, old, second], by=editor)
    assert revoked == 2
    for link in (first, second):
        link.refresh_from_db()
        assert link.revoked_by == editor and link.revoked_at is not None
    old.refresh_from_db()
    assert old.revoked_by == colleague  # revoking again changes nothing
    events = draft.audit_events.filter(action=AuditEvent.Action.PREVIEW_REVOKED)
    assert sorted(events.values_list("note", "actor__username")) == [
        ("already revoked", "root"),
        ("first", "esther"),
        ("second", "esther"),
    ]
    for token in (first_token, second_token):
        assert preview(client, token).status_code == 404


def test_taking_a_story_down_ends_its_live_links_and_says_why(client, editor):
    story = make_draft(body="<p>Ready.</p>")
    live, live_token = make_link(story, editor, note="IOM press office")
    unnamed, unnamed_token = make_link(story, editor, note="")
    expired, _ = make_link(story, editor, note="expired")
    PreviewLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - DAY)
    services.transition(story, "published", by=editor)
    services.transition(story, "unpublished", by=editor)
    for link in (live, unnamed):
        link.refresh_from_db()
        assert link.revoked_by == editor and link.revoked_at is not None
    expired.refresh_from_db()
    assert expired.revoked_at is None  # it had already stopped working
    events = story.audit_events.filter(action=AuditEvent.Action.PREVIEW_REVOKED)
    assert sorted(events.values_list("note", "actor")) == [
        ("IOM press office (the story was unpublished)", editor.pk),
        ("preview link (the story was unpublished)", editor.pk),
    ]
    # Republished and reworked, the old links stay dead: an editor makes a new one knowingly.
    services.transition(story, "draft", by=editor)
    for token in (live_token, unnamed_token):
        assert preview(client, token).status_code == 404


def test_a_takedown_leaves_links_revoked_earlier_as_they_were(draft, editor, django_user_model):
    colleague = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    link, _ = make_link(draft, editor, note="Ministry")
    services.revoke_preview_links(links=[link], by=colleague)
    link.refresh_from_db()
    revoked_at = link.revoked_at
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.UNPUBLISHED)
    assert services.end_preview_links(article=draft, by=editor) == 0
    link.refresh_from_db()
    assert (link.revoked_at, link.revoked_by) == (revoked_at, colleague)
    assert draft.audit_events.filter(action=AuditEvent.Action.PREVIEW_REVOKED).count() == 1


def test_a_takedown_keeps_a_note_an_editor_changed_at_the_same_moment(draft, editor):
    """The takedown writes the revocation only: a note saved meanwhile from the desk stays."""
    link, _ = make_link(draft, editor, note="Ministry")

    def colleague_renames(sender, instance, **kwargs):
        PreviewLink.objects.filter(pk=instance.pk).update(note="Ministry, legal department")

    pre_save.connect(colleague_renames, sender=PreviewLink)
    try:
        services.end_preview_links(article=draft, by=editor)
    finally:
        pre_save.disconnect(colleague_renames, sender=PreviewLink)
    link.refresh_from_db()
    assert link.revoked_by == editor
    assert link.note == "Ministry, legal department"


def test_revoking_keeps_a_note_an_editor_changed_at_the_same_moment(draft, editor):
    """Revoking writes the revocation only: a note saved meanwhile from the desk stays."""
    link, _ = make_link(draft, editor, note="Ministry")

    def colleague_renames(sender, instance, **kwargs):
        PreviewLink.objects.filter(pk=instance.pk).update(note="Ministry, legal department")

    pre_save.connect(colleague_renames, sender=PreviewLink)
    try:
        assert services.revoke_preview_links(links=[link], by=editor) == 1
    finally:
        pre_save.disconnect(colleague_renames, sender=PreviewLink)
    link.refresh_from_db()
    assert link.revoked_by == editor and link.note == "Ministry, legal department"


def test_a_takedown_by_no_one_signed_in_still_ends_the_links(draft, editor):
    link, token = make_link(draft, editor)
    for by in (None, AnonymousUser()):
        Article.objects.filter(pk=draft.pk).update(status=Article.Status.UNPUBLISHED)
        PreviewLink.objects.filter(pk=link.pk).update(revoked_at=None, revoked_by=editor)
        assert services.end_preview_links(article=draft, by=by) == 1
        link.refresh_from_db()
        assert link.revoked_at is not None and link.revoked_by is None
        assert draft.audit_events.filter(actor=None).exists()


def test_a_story_taken_down_by_any_path_shows_on_no_link(client, draft, editor):
    _, token = make_link(draft, editor)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.UNPUBLISHED)
    assert preview(client, token).status_code == 404
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.REVIEW)
    assert preview(client, token).status_code == 200


# Opening a link ---------------------------------------------------------------------------------


def test_an_id_signed_for_some_other_purpose_opens_nothing(client, draft, editor):
    link, token = make_link(draft, editor)
    elsewhere = signing.TimestampSigner().sign(link.pk.hex)
    assert elsewhere != token
    assert preview(client, elsewhere).status_code == 404
    assert services.link_for_token(elsewhere) is None
    assert services.link_for_token(token) == link


def test_opening_a_link_reads_the_link_and_its_story_in_one_query(
    draft, editor, django_assert_num_queries
):
    _, token = make_link(draft, editor)
    with django_assert_num_queries(1):
        link = services.link_for_token(token)
        assert (link.article.headline, link.article.language) == ("Embargoed: the report", "en")


def test_a_link_signed_just_under_thirty_days_ago_still_works(draft, editor, monkeypatch):
    link, token = make_link(draft, editor, lifetime=timedelta(days=30))
    later = timezone.now().timestamp() + 30 * 24 * 3600 - 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + DAY)
    assert services.link_for_token(token) == link


def test_the_preview_page_stays_out_of_caches_search_engines_and_referrers(client, draft, editor):
    _, token = make_link(draft, editor)
    response = preview(client, token)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Content-Language"] == "en"
    assert "Embargoed: the report" in response.content.decode()


def test_a_dead_link_is_a_plain_404(client, draft, editor):
    link, token = make_link(draft, editor)
    services.revoke_preview_links(links=[link], by=editor)
    response = preview(client, token)
    assert response.status_code == 404
    assert "Embargoed" not in response.content.decode()
