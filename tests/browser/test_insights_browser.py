"""An editor opens Insights on a phone and a desktop, in both languages of the desk: the charts
draw under the strict policy (no violation), every chart is an image with a name, nothing runs
off the side of a phone, axe finds nothing serious, and a number leads to the stories it counts."""

import pytest
from django.contrib.auth.models import Group

from tests.browser.test_reader_journey import assert_accessible
from tests.test_insights import build_world
from workflow.roles import EDITOR

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩٬", "0123456789,")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(live_server, page, django_user_model):
    editor = django_user_model.objects.create_user("esther", password="pw 42 horse", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    page.violations = []
    page.expose_function("reportViolation", lambda violation: page.violations.append(violation))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`));"
    )
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "esther")
    page.fill("#id_password", "pw 42 horse")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_editor_reads_the_insights_and_follows_a_number(
    live_server, editor_page, screenshot, language
):
    page = editor_page
    world = build_world(stories=40)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    query = f"?start={world.start}&end={world.end}&language=all&step=month"
    page.goto(f"{live_server.url}/admin/insights/{query}")
    assert page.locator("html").get_attribute("lang") == language

    charts = page.locator("figure svg[role=img]")
    assert charts.count() == 5
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.is_visible()
        assert chart.locator("desc").count() == 1
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 100, box
    # The charts' stylesheets reached them: a transparent ground and the palette's first colour
    # (an unstyled SVG is black, its bars invisible on it).
    fills = page.evaluate(
        """() => ['.background', '.serie-0 rect'].map(selector =>
            getComputedStyle(document.querySelector('#chart-coverage ' + selector)).fill)"""
    )
    assert fills == ["rgba(0, 0, 0, 0)", "rgb(0, 114, 178)"], fills
    # A phone scrolls down, never sideways: wide tables scroll inside their own box.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    assert not page.violations and not page.errors, page.violations + page.errors
    screenshot(f"insights-{language}")
    assert_accessible(page)

    number = page.locator("#insight-coverage tfoot a").last
    expected = int(number.inner_text().translate(DIGITS).replace(",", ""))
    number.click()
    page.wait_for_load_state()
    assert "/admin/articles/article/" in page.url
    shown = page.locator("#result_list tbody tr").count()
    assert shown == min(expected, 100)
