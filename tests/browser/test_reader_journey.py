"""A reader follows the launch story to the people and organizations behind it, on a phone and a
desktop, in a real Chromium, with no console errors and no serious accessibility violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


@pytest.fixture
def site(live_server):
    call_command("loaddata", "conference", verbosity=0)
    return live_server.url


def assert_accessible(page):
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in SERIOUS
    ]
    assert not serious, f"{page.url}: " + "; ".join(serious)


def follow(page, selector):
    link = page.locator(selector).first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(href), (page.url, href)
    return href


def test_reader_follows_the_story_to_people_organizations_themes_and_search(site, page, screenshot):
    page.goto(site + "/")
    assert page.locator("h1").count() == 1
    assert "Child Trafficking" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot("front")

    follow(page, "main a[href^='/articles/nccpimtip']")
    assert "Child Trafficking" in page.locator("h1").inner_text()
    assert page.locator("main time[datetime]").count() >= 1
    assert_accessible(page)
    screenshot("article")

    follow(page, "main a[href='/people/carlos-oliver-cruz/']")
    assert "Carlos Oliver Cruz" in page.locator("h1").inner_text()
    assert "Trafficking is one of the worst forms of violence" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot("person")

    follow(page, "main a[href^='/organizations/iom-egypt']")
    assert "IOM Egypt" in page.locator("h1").inner_text()
    assert_accessible(page)
    screenshot("organization")

    follow(page, "main a[href^='/articles/nccpimtip']")
    follow(page, "main a[href^='/themes/']")
    assert page.locator("main a[href^='/articles/nccpimtip']").count() >= 1
    assert_accessible(page)
    screenshot("theme")

    search = page.get_by_role("searchbox").first
    search.fill("trafficking children")
    search.press("Enter")
    page.wait_for_load_state()
    assert "/search/" in page.url
    assert page.locator("main mark").count() >= 1
    assert_accessible(page)
    screenshot("search")

    for path in ("/articles/", "/themes/", "/people/", "/organizations/"):
        page.goto(site + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    screenshot("organizations-index")

    assert page.errors == []

    response = page.goto(site + "/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").count() == 1
    assert_accessible(page)
