"""The article form's writing aids in a real Chromium, under the desk's CSP: the word count and
the length guides follow the typing, and nothing is blocked."""

from pathlib import Path

import pytest

from .test_admin_csp import RECORD_VIOLATIONS, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path("/work/screens/D")


@pytest.fixture
def viewport_name():
    return "desktop"


def test_word_count_and_length_guides_update_as_an_editor_types(live_server, page, admin_user):
    page.violations = []
    page.expose_function("reportViolation", lambda violation: page.violations.append(violation))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/articles/article/add/")

    stats = page.locator("#body-stats")
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.wait_for(state="visible", timeout=10_000)
    assert stats.inner_text() == "0 words"
    assert editor.bounding_box()["height"] >= 300  # starts tall
    editor.click()
    page.keyboard.type("Officials met in Cairo on Monday to discuss child trafficking. " * 8)
    page.wait_for_function("document.querySelector('#body-stats').textContent.startsWith('80 ')")
    assert stats.inner_text() == "80 words · 1 min read"

    page.fill("#id_headline", "Cairo conference " * 8)
    guide = page.locator("#id_headline-length")
    assert "136 / 110 characters: search engines cut the last 26" in guide.inner_text()
    assert "over" in guide.get_attribute("class")
    page.fill("#id_headline", "Cairo hosts a regional conference on child trafficking")
    assert guide.inner_text() == "54 / 110 characters"
    assert page.locator("#id_standfirst-length").inner_text() == "0 / 160 characters"

    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "writing-aids-desktop.png"), full_page=True)
    assert csp_violations(page) == []
    assert [e for e in page.errors if "page error" in e or "writing." in e] == []
