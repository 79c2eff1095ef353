"""The desk opens on each person's work queue: editors see what waits for them, reporters their own
stories, with counts that match the lists they link to, in newsroom time, at a fixed cost."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_correction
from workflow import permissions, services
from workflow.models import AuditEvent
from workflow.roles import EDITOR, REPORTER

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture
def staff(django_user_model):
    def make(username, role, first_name):
        user = django_user_model.objects.create_user(
            username, password="pw", is_staff=True, first_name=first_name, last_name="Haddad"
        )
        user.groups.add(Group.objects.get(name=role))
        return django_user_model.objects.get(pk=user.pk)

    return {
        "reporter": make("rania", REPORTER, "Rania"),
        "other": make("omar", REPORTER, "Omar"),
        "editor": make("esther", EDITOR, "Esther"),
    }


def signed_in(client, user):
    client.force_login(user)
    return client


def boxes(response):
    return {box.key: box for box in response.context["boxes"]}


def titles(box):
    return [row.title for row in box.rows]


def draft_by(user, headline, **fields):
    return make_article(status="draft", published_at=None, created_by=user, headline=headline)


def submitted(article, by, at=None):
    services.transition(article, permissions.REVIEW, by=by)
    if at is not None:
        AuditEvent.objects.filter(article=article, action="submitted").update(at=at)
    return article


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sorted(article.headline for article in response.context["cl"].result_list)


# Editors ----------------------------------------------------------------------------------------


def test_editors_see_stories_awaiting_review_oldest_first_with_who_submitted_and_when(
    client, staff
):
    reporter = staff["reporter"]
    now = timezone.now()
    newer = submitted(draft_by(reporter, "Shelters reopen"), reporter, now - timedelta(hours=1))
    older = submitted(draft_by(reporter, "Court hears case"), reporter, now - timedelta(days=2))
    draft_by(reporter, "Still a draft")

    response = signed_in(client, staff["editor"]).get(INDEX)

    assert response.status_code == 200
    review = boxes(response)["review"]
    assert review.title == "Awaiting review" and review.count == 2
    assert titles(review) == ["Court hears case", "Shelters reopen"]
    first = review.rows[0]
    assert first.what == "Submitted by Rania Haddad"
    assert first.url == reverse("admin:articles_article_change", args=[older.pk])
    when = timezone.localtime(older.audit_events.get(action="submitted").at)
    page = response.content.decode()
    assert f'Submitted by Rania Haddad, <time datetime="{when.isoformat()}' in page
    assert newer.headline in page


def test_scheduled_stories_show_when_they_go_live_in_newsroom_time(client, staff):
    goes_live = datetime(2031, 1, 15, 8, 30, tzinfo=UTC)  # 10:30 in Cairo
    make_article(headline="Report on shelters", published_at=goes_live)
    make_article(headline="Already out")

    response = signed_in(client, staff["editor"]).get(INDEX)

    scheduled = boxes(response)["scheduled"]
    assert (scheduled.count, titles(scheduled)) == (1, ["Report on shelters"])
    page = response.content.decode()
    assert 'Goes live, <time datetime="2031-01-15T10:30:00+02:00">15 Jan 2031, 10:30</time>' in page
    assert "08:30" not in page
    assert "Times are newsroom time (Cairo)." in page


def test_recently_published_and_corrections_this_week(client, staff):
    fresh = make_article(headline="Out yesterday", published_at=timezone.now() - timedelta(1))
    old = make_article(headline="Out last month", published_at=timezone.now() - timedelta(30))
    make_correction(fresh, right="The meeting was on Sunday.", created_by=staff["editor"])
    make_correction(old, right="Old fix.", published_at=timezone.now() - timedelta(20))

    response = signed_in(client, staff["editor"]).get(INDEX)

    found = boxes(response)
    assert (found["published"].count, titles(found["published"])) == (1, ["Out yesterday"])
    corrections = found["corrections"]
    assert (corrections.count, titles(corrections)) == (1, ["Out yesterday"])
    assert corrections.rows[0].what == "Corrected by Esther Haddad"
    assert "The meeting was on Sunday." in response.content.decode()


def test_each_box_links_to_the_list_of_exactly_what_it_counts(client, staff):
    reporter, editor = staff["reporter"], staff["editor"]
    submitted(draft_by(reporter, "In review"), reporter)
    make_article(headline="Scheduled", published_at=timezone.now() + timedelta(days=2))
    make_article(headline="Published", published_at=timezone.now() - timedelta(hours=3))
    make_article(headline="Published long ago", published_at=timezone.now() - timedelta(90))
    make_correction(Article.objects.get(headline="Published"))
    client = signed_in(client, editor)

    found = boxes(client.get(INDEX))

    assert listed(client, found["review"].url) == ["In review"]
    assert listed(client, found["scheduled"].url) == ["Scheduled"]
    assert listed(client, found["published"].url) == ["Published"]
    corrections = client.get(found["corrections"].url)
    assert [c.article.headline for c in corrections.context["cl"].result_list] == ["Published"]
    for box in found.values():
        assert box.count == len(box.rows)


def test_a_box_shows_its_first_rows_and_counts_them_all(client, staff):
    for n in range(12):
        make_article(headline=f"Scheduled {n:02}", published_at=timezone.now() + timedelta(n + 1))

    response = signed_in(client, staff["editor"]).get(INDEX)

    scheduled = boxes(response)["scheduled"]
    assert scheduled.count == 12 and len(scheduled.rows) == 10
    assert titles(scheduled)[0] == "Scheduled 00"  # soonest first
    assert f'<a href="{scheduled.url.replace("&", "&amp;")}">All 12</a>' in (
        response.content.decode()
    )


# Reporters --------------------------------------------------------------------------------------


def test_reporters_see_their_drafts_what_was_sent_back_and_what_is_in_review(client, staff):
    reporter, editor = staff["reporter"], staff["editor"]
    draft_by(reporter, "Fresh draft")
    returned = submitted(draft_by(reporter, "Needs a source"), reporter)
    services.transition(returned, permissions.DRAFT, by=editor)
    taken_back = submitted(draft_by(reporter, "Taken back to keep writing"), reporter)
    services.transition(taken_back, permissions.DRAFT, by=reporter)
    submitted(draft_by(reporter, "Waiting for an editor"), reporter)
    submitted(draft_by(staff["other"], "Someone else's story"), staff["other"])

    response = signed_in(client, reporter).get(INDEX)

    assert response.status_code == 200
    found = boxes(response)
    assert list(found) == ["drafts", "sent_back", "review"]
    assert sorted(titles(found["drafts"])) == [
        "Fresh draft",
        "Needs a source",
        "Taken back to keep writing",
    ]
    flagged = [row.title for row in found["drafts"].rows if row.flag]
    assert flagged == ["Needs a source"]
    assert titles(found["sent_back"]) == ["Needs a source"]
    assert found["sent_back"].rows[0].what == "Sent back by Esther Haddad"
    assert titles(found["review"]) == ["Waiting for an editor"]
    assert "Someone else" not in response.content.decode()
    assert [box.count for box in found.values()] == [3, 1, 1]
    assert listed(client, found["sent_back"].url) == ["Needs a source"]
    assert listed(client, found["drafts"].url) == sorted(titles(found["drafts"]))
    assert listed(client, found["review"].url) == ["Waiting for an editor"]


def test_a_draft_submitted_again_after_being_sent_back_is_in_review_not_sent_back(client, staff):
    reporter = staff["reporter"]
    article = submitted(draft_by(reporter, "Second try"), reporter)
    services.transition(article, permissions.DRAFT, by=staff["editor"])
    submitted(article, reporter)

    found = boxes(signed_in(client, reporter).get(INDEX))

    assert (found["sent_back"].count, found["review"].count) == (0, 1)


def test_staff_without_a_role_get_a_page_that_says_so(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    response = signed_in(client, nobody).get(INDEX)
    assert response.status_code == 200
    assert response.context["boxes"] == []
    assert "You have no role in the desk yet" in response.content.decode()


def test_the_desk_is_branded_and_keeps_the_list_of_what_can_be_edited(client, staff):
    page = signed_in(client, staff["editor"]).get(INDEX).content.decode()
    assert "<title>Desk | Newsroom desk</title>" in page
    assert '<div id="site-name"><a href="/admin/">Newsroom</a></div>' in page
    assert "Django" not in page
    assert reverse("admin:people_person_changelist") in page  # the models, beside the boxes
    assert "desk/desk.css" in page


def test_the_article_list_filters_by_workflow_state(client, staff):
    make_article(headline="Live", published_at=timezone.now() - timedelta(hours=1))
    make_article(headline="Tomorrow", published_at=timezone.now() + timedelta(days=1))
    make_article(headline="Pulled", status="unpublished")
    client = signed_in(client, staff["editor"])
    url = reverse("admin:articles_article_changelist")
    assert listed(client, url + "?state=published") == ["Live"]
    assert listed(client, url + "?state=scheduled") == ["Tomorrow"]
    assert listed(client, url + "?state=unpublished") == ["Pulled"]
    assert "Scheduled" in client.get(url).content.decode()  # offered in the filter
    assert len(listed(client, url + "?state=nonsense")) == 3  # not a 500


# The cost of the page ---------------------------------------------------------------------------


def fill_editor_boxes(staff, n):
    reporter, editor = staff["reporter"], staff["editor"]
    now = timezone.now()
    for _ in range(n):
        review = make_article(status="review", published_at=None, created_by=reporter)
        services.record(
            "submitted", article=review, by=reporter, from_state="draft", to_state="review"
        )
        make_article(published_at=now + timedelta(days=1))
        published = make_article(published_at=now - timedelta(hours=1))
        make_correction(published, created_by=editor)


def fill_reporter_boxes(staff, n):
    reporter, editor = staff["reporter"], staff["editor"]
    for _ in range(n):
        make_article(status="draft", published_at=None, created_by=reporter)
        back = make_article(status="draft", published_at=None, created_by=reporter)
        services.record("returned", article=back, by=editor, from_state="review", to_state="draft")
        review = make_article(status="review", published_at=None, created_by=reporter)
        services.record(
            "submitted", article=review, by=reporter, from_state="draft", to_state="review"
        )


# Stories per box for each round of filling (a reporter's drafts include those sent back).
PER_ROUND = {
    "editor": {"review": 1, "scheduled": 1, "published": 1, "corrections": 1},
    "reporter": {"drafts": 2, "sent_back": 1, "review": 1},
}


@pytest.mark.parametrize(
    ("role", "fill"), [("editor", fill_editor_boxes), ("reporter", fill_reporter_boxes)]
)
def test_the_dashboard_costs_the_same_with_one_story_in_each_box_or_fifty(
    client, staff, role, fill
):
    client = signed_in(client, staff[role])
    counts = lambda response: {box.key: box.count for box in response.context["boxes"]}  # noqa: E731
    fill(staff, 1)
    with CaptureQueriesContext(connection) as one:
        response = client.get(INDEX)
    assert counts(response) == PER_ROUND[role]
    fill(staff, 49)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(INDEX)
    assert counts(response) == {key: n * 50 for key, n in PER_ROUND[role].items()}
    assert all(len(box.rows) == 10 for box in response.context["boxes"])
    assert len(fifty) == len(one), "\n".join(q["sql"] for q in fifty.captured_queries)
