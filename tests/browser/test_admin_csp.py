"""An editor writes in the admin's rich-text editor under the site's Content-Security-Policy.

django-prose-editor starts from an inline import map and Tiptap injects a <style> element: under
`script-src 'self'` without a nonce the editor silently never starts. This drives a real Chromium
through sign-in, the article form, bold text and save, and counts CSP violations: there must be
none.
"""

import pytest

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation any page reports, from before its first script runs, back to the test.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${location.pathname}: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
  );
});
"""


@pytest.fixture
def viewport_name():
    # One desktop run: the editor's behaviour under the policy does not depend on the screen.
    return "desktop"


@pytest.fixture
def signed_in(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "correct horse 42")
    page.violations = []
    page.expose_function("reportViolation", lambda violation: page.violations.append(violation))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse 42")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page


def csp_violations(page):
    logged = [error for error in page.errors if "Content Security Policy" in error]
    return page.violations + logged


def test_editor_starts_takes_bold_text_and_saves_with_no_csp_violation(live_server, signed_in):
    page = signed_in
    response = page.goto(live_server.url + "/admin/articles/article/add/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "'nonce-" in policy  # the admin's editor page, and only it, carries a nonce

    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.wait_for(state="visible", timeout=10_000)
    # Tiptap reused the admin's nonce-carrying style slot instead of injecting its own <style>,
    # and its base rules came from the static stylesheet.
    assert page.locator("style[data-tiptap-style]").count() == 1
    assert editor.evaluate("node => getComputedStyle(node).whiteSpace") in {
        "pre-wrap",
        "break-spaces",
    }

    page.fill("#id_headline", "Editors write under a strict policy")
    editor.click()
    page.keyboard.press("Control+b")
    page.keyboard.type("Bold words")
    page.keyboard.press("Control+b")
    page.keyboard.type(" and plain ones.")
    assert editor.locator("strong").inner_text() == "Bold words"

    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/articles/article/")
    assert page.locator(".messagelist .success").count() == 1

    article = Article.objects.get(headline="Editors write under a strict policy")
    assert "<strong>Bold words</strong> and plain ones." in article.body
    assert csp_violations(page) == []
    assert page.errors == [], page.errors
