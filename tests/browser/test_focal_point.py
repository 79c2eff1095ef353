"""An editor clicks on a library picture in the desk: the focal point moves there, the marker
shows it, saving keeps it, with no CSP violation."""

# ruff: noqa: F811 - signed_in is a fixture, imported to be used as an argument
import pytest

from articles.images import Image
from tests.browser.test_admin_csp import csp_violations, signed_in  # noqa: F401
from tests.test_images_factories import make_image, picture_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewport_name():
    return "desktop"


def test_a_click_on_the_picture_sets_the_focal_point(live_server, signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = make_image(content=picture_bytes((1600, 900)))
    page = signed_in
    page.goto(f"{live_server.url}/admin/articles/image/{image.pk}/change/")
    picture = page.locator(".focal-point img")
    picture.wait_for()
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    assert abs(float(page.input_value("#id_focal_x")) - 0.25) < 0.02
    assert abs(float(page.input_value("#id_focal_y")) - 0.75) < 0.02
    marker = page.locator(".focal-point-marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.25)) < 4
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/image/")
    image = Image.objects.get()
    assert abs(image.focal_x - 0.25) < 0.02 and abs(image.focal_y - 0.75) < 0.02
    assert csp_violations(page) == []


def test_a_lead_picture_is_uploaded_on_the_spot_from_the_article_form(
    live_server,
    signed_in,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    upload = tmp_path / "hall.jpg"
    upload.write_bytes(picture_bytes((800, 450)))
    page = signed_in
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#add_id_lead_picture").scroll_into_view_if_needed()
    with page.expect_popup() as opened:
        page.click("#add_id_lead_picture")
    popup = opened.value
    popup.set_input_files("#id_file", str(upload))
    popup.fill("#id_alt", "Delegates in the hall")
    popup.click("input[name=_save]")
    popup.wait_for_event("close")
    image = Image.objects.get()
    assert page.input_value("#id_lead_picture") == str(image.pk)
    chosen = page.locator("#select2-id_lead_picture-container").inner_text()
    assert "Delegates in the hall" in chosen
    assert csp_violations(page) == []
