"""An editor puts a library picture into a story's body in a real Chromium, under the desk's CSP,
and readers see it on the published page as a responsive <figure> with its caption and credit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.images import Image
from articles.models import Article

from .test_admin_csp import RECORD_VIOLATIONS, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewport_name():
    return "desktop"


@pytest.fixture
def library(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (30, 90, 160)).save(buffer, format="JPEG")
    Image.objects.create(
        file=SimpleUploadedFile("classroom.jpg", buffer.getvalue()),
        alt="Children in a classroom in Aswan",
        caption="A school the programme supports.",
        credit="UNICEF / Ahmed Ali",
    )
    return Image.objects.create(
        file=SimpleUploadedFile("hall.jpg", buffer.getvalue()),
        alt="Delegates in the conference hall",
        caption="The opening session.",
        credit="IOM / Jane Doe",
    )


def test_an_editor_inserts_a_library_picture_and_readers_see_it(
    live_server, page, django_user_model, library
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "correct horse 42")
    page.violations = []
    page.expose_function("reportViolation", lambda violation: page.violations.append(violation))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse 42")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/admin/articles/article/add/")
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.wait_for(state="visible", timeout=10_000)
    page.fill("#id_headline", "Delegates meet in Cairo")
    editor.click()
    page.keyboard.type("Officials met in Cairo on Monday.")

    page.get_by_title("Insert image").click()
    chooser = page.locator("dialog.prose-image-chooser")
    chooser.wait_for(state="visible")
    chooser.locator("input[type=search]").fill("hall")
    expect(chooser.locator("button.prose-image-pick")).to_have_count(1)  # the search narrowed it
    pick = chooser.locator(f'button.prose-image-pick[data-image="{library.pk}"]')
    chooser.locator("input[name=caption]").fill("Delegates arrive for the opening")
    pick.click()
    assert chooser.count() == 0

    preview = editor.locator(f'figure.prose-image[data-image="{library.pk}"]')
    preview.locator("img").wait_for(state="visible")
    assert preview.locator("img").evaluate("img => img.complete && img.naturalWidth") == 320
    assert "Delegates arrive for the opening" in preview.inner_text()

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/articles/article/")

    article = Article.objects.get(headline="Delegates meet in Cairo")
    assert article.status == "published"
    assert f'<figure data-image="{library.pk}"><figcaption>Delegates arrive for the opening' in (
        article.body
    )
    assert "<img" not in article.body

    # Opened again, the editor reads the stored reference back: preview, caption and all.
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    preview = page.locator(f'.ProseMirror figure.prose-image[data-image="{library.pk}"]')
    preview.locator("img").wait_for(state="visible", timeout=10_000)
    assert "Delegates arrive for the opening" in preview.inner_text()
    # Its caption in this story is edited in place (the library's stays as it is).
    preview.click()
    page.get_by_title("Caption of this picture in this story").click()
    page.locator("dialog.prose-editor-dialog input[name=caption]").fill("Delegates in the hall")
    page.locator("dialog.prose-editor-dialog button[type=submit]").click()
    expect(preview).to_contain_text("Delegates in the hall")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/articles/article/")
    article.refresh_from_db()
    assert f'<figure data-image="{library.pk}"><figcaption>Delegates in the hall<' in article.body

    page.goto(live_server.url + article.get_absolute_url())
    figure = page.locator(".story-body figure")
    img = figure.locator("picture img")
    img.scroll_into_view_if_needed()
    assert img.get_attribute("alt") == "Delegates in the conference hall"
    assert " 960w" in figure.locator("picture source[type='image/webp']").get_attribute("srcset")
    assert " 960w" in img.get_attribute("srcset")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=10_000
    )
    assert figure.locator("figcaption").text_content() == "Delegates in the hall IOM / Jane Doe"
    assert csp_violations(page) == []
    assert page.errors == [], page.errors
