"""A story's way through the newsroom, in a real Chromium: a reporter writes a draft and submits it
for review, an editor publishes it, and readers find it on the site."""

import pytest
from django.contrib.auth.models import Group

from articles.models import Article
from workflow.roles import EDITOR, REPORTER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Child protection committee meets in Aswan"


@pytest.fixture
def staff(django_user_model):
    def make(username, role):
        user = django_user_model.objects.create_user(username, password="a long pass 42")
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name=role))
        return user

    return {"reporter": make("rania", REPORTER), "editor": make("esther", EDITOR)}


def sign_in(page, site, username):
    page.context.clear_cookies()
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a long pass 42")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, page.content()[:500]


def test_a_story_goes_from_reporters_draft_through_review_to_publication(
    live_server, page, staff, screenshot
):
    site = live_server.url

    # The reporter writes a draft and submits it for review.
    sign_in(page, site, "rania")
    page.goto(site + "/admin/articles/article/add/")
    page.fill("#id_headline", HEADLINE)
    editor = page.locator(".prose-editor > .ProseMirror")  # the body's rich-text editor
    editor.click()
    editor.type("The national committee met on Sunday to review shelters for children.")
    options = page.locator("#id_status option").all_inner_texts()
    assert options == ["Draft", "In review"], options  # reporters are not offered "Published"
    page.select_option("#id_status", "review")
    screenshot("workflow-reporter-draft")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "was added successfully" in page.inner_text("body")
    assert "In review" in page.inner_text("#result_list")

    article = Article.objects.get(headline=HEADLINE)
    assert article.slug == "child-protection-committee-meets-in-aswan"  # filled in as they typed
    assert (article.status, article.created_by) == ("review", staff["reporter"])
    assert "shelters for children" in article.body
    assert page.errors == []
    page.context.clear_cookies()
    assert page.goto(site + article.get_absolute_url()).status == 404  # not public yet
    page.errors.clear()  # that 404 was the point

    # The editor publishes it from the list.
    sign_in(page, site, "esther")
    page.goto(site + "/admin/articles/article/?status__exact=review")
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_load_state()
    assert "Published 1 article(s)" in page.inner_text("body")
    screenshot("workflow-editor-published")

    # Readers see it on the site.
    page.context.clear_cookies()
    page.goto(site + "/")
    page.click(f"text={HEADLINE}")
    page.wait_for_load_state()
    assert page.url.endswith(article.get_absolute_url())
    assert HEADLINE in page.inner_text("h1")
    assert "shelters for children" in page.inner_text("main")
    assert page.locator(".banner").count() == 0
    assert page.errors == []
