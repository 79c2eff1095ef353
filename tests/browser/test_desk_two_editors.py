"""Two editors on one story, in two browser contexts of a real Chromium: the second sees the
first's presence, then, after the first saves, the refusal of their stale save with what changed;
and an editor who closes the page without saving gets the autosave back."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import make_article
from workflow.roles import EDITOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long pass 42"


@pytest.fixture
def editors(django_user_model):
    made = {}
    for username, first in (("fatma", "Fatma"), ("karim", "Karim")):
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, first_name=first, last_name="Editor", is_staff=True
        )
        user.groups.add(Group.objects.get(name=EDITOR))
        made[username] = user
    return made


def signed_in(browser, site, username, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(f"console: {m.text}"))
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url
    return page


def test_the_second_editor_sees_the_first_then_cannot_overwrite_their_save(
    live_server, browser, editors, viewport_name, screenshot_dir
):
    from tests.browser.conftest import VIEWPORTS

    article = make_article(headline="Shelters reviewed in Aswan", dateline="ASWAN")
    site, url = live_server.url, f"/admin/articles/article/{article.pk}/change/"
    fatma = signed_in(browser, site, "fatma", VIEWPORTS[viewport_name])
    fatma.goto(site + url)
    fatma.click("input[name=_continue]")  # a first saved version, for the comparison to start at
    fatma.wait_for_load_state()
    karim = signed_in(browser, site, "karim", VIEWPORTS[viewport_name])
    karim.goto(site + url)
    assert "Fatma Editor is editing this story" in karim.inner_text("#desk-presence")

    fatma.fill("#id_dateline", "LUXOR")
    fatma.click("input[name=_save]")
    fatma.wait_for_load_state()
    assert "was changed successfully" in fatma.inner_text("body")

    karim.fill("#id_headline", "Shelters for children reviewed in Aswan")
    karim.click("input[name=_save]")
    karim.wait_for_load_state()
    conflict = karim.inner_text("#desk-conflict")
    assert "Fatma Editor" in conflict
    assert "LUXOR" in conflict
    # What Karim typed is still in the form; nothing of it was saved.
    assert karim.input_value("#id_headline") == "Shelters for children reviewed in Aswan"
    article.refresh_from_db()
    assert (article.headline, article.dateline) == ("Shelters reviewed in Aswan", "LUXOR")
    karim.screenshot(
        path=str(screenshot_dir / f"desk-conflict-{viewport_name}.png"), full_page=True
    )
    assert fatma.errors == [] and karim.errors == []
    leave(fatma, karim)


def test_an_autosave_comes_back_after_the_page_is_closed_without_saving(
    live_server, browser, editors, viewport_name
):
    from tests.browser.conftest import VIEWPORTS

    article = make_article(headline="Hotline opens in Cairo")
    site, url = live_server.url, f"/admin/articles/article/{article.pk}/change/"
    page = signed_in(browser, site, "fatma", VIEWPORTS[viewport_name])
    page.goto(site + url)
    page.fill("#id_headline", "Child helpline opens in Cairo")
    page.fill("#id_dateline", "CAIRO")
    page.close(run_before_unload=False)  # leaving sends the autosave (sendBeacon on pagehide)

    page = page.context.new_page()
    for _ in range(20):  # the beacon is sent as the page goes; give the server a moment
        page.goto(site + url)
        if page.locator("#desk-autosave").count():
            break
        page.wait_for_timeout(250)
    page.click("#desk-autosave [data-desk-restore]")
    page.wait_for_load_state()
    assert page.input_value("#id_headline") == "Child helpline opens in Cairo"
    assert page.input_value("#id_dateline") == "CAIRO"
    article.refresh_from_db()
    assert article.headline == "Hotline opens in Cairo"  # autosave never touches the story
    leave(page)


def leave(*pages):
    """Leave the forms while the test's server still runs: leaving sends an autosave beacon,
    which must not reach the server after the test (nor log a request into the next one)."""
    for page in pages:
        page.goto("about:blank")
    pages[0].wait_for_timeout(1000)


@pytest.fixture
def screenshot_dir():
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
