"""Editors who paste too much, type impossible dates or upload the wrong file get form errors, on
SQLite and PostgreSQL alike, and nothing is saved. Uploaded images are checked to be images and are
served back only as images."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, Quote
from articles.models import Image as LibraryImage
from tests.factories import make_article, make_person
from tests.test_admin import article_form

ADD_URL = "/admin/articles/article/add/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def article_post(**overrides):
    """What the article form sends for a valid draft, with no quotes or corrections."""
    defaults = {
        "headline": "Officials meet in Cairo",
        "slug": "officials-meet-in-cairo",
        "standfirst": "A regional conference on child trafficking.",
    }
    return article_form(**{**defaults, **overrides})


def form_errors(response):
    assert response.status_code == 200, "the form comes back; it is not a redirect or a 500"
    return response.context["adminform"].form.errors


def image_bytes(image_format, size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "darkred").save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_valid_draft_is_saved(editor_client):
    """The baseline the other tests vary: without the bad value, the same post saves."""
    response = editor_client.post(ADD_URL, article_post())
    assert response.status_code == 302
    assert Article.objects.filter(slug="officials-meet-in-cairo").exists()


BAD_INPUT = {
    "10,000-character headline": ("headline", {"headline": "H" * 10_000}),
    "1 MB body": ("body", {"body": "<p>" + "word " * 210_000 + "</p>"}),
    "impossible date": ("published_at", {"published_at_0": "2025-13-45", "published_at_1": "10:00"}),  # noqa: E501
    "not a date at all": ("published_at", {"published_at_0": "next week", "published_at_1": "x"}),
    "year 99999": ("published_at", {"published_at_0": "99999-01-01", "published_at_1": "10:00"}),
    "slug with spaces": ("slug", {"slug": "officials meet in cairo"}),
    "slug with a slash": ("slug", {"slug": "cairo/officials"}),
    "slug too long": ("slug", {"slug": "s" * 300}),
    "NUL in the headline": ("headline", {"headline": "Officials\x00meet"}),
    "NUL in the standfirst": ("standfirst", {"standfirst": "A\x00B"}),
    "NUL in the body": ("body", {"body": "<p>Officials\x00met.</p>"}),
    "NUL in the dateline": ("dateline", {"dateline": "CAI\x00RO"}),
    "unknown status": ("status", {"status": "live"}),
    "a person who does not exist": ("people", {"people": ["999999"]}),
    "a javascript: source address": ("source_url", {"source_url": "javascript:alert(1)"}),
    "a 10,000-character source address": ("source_url", {"source_url": "https://x.org/" + "a" * 10_000}),  # noqa: E501
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("field, overrides", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_to_a_new_article_is_a_form_error_and_saves_nothing(
    editor_client, field, overrides
):
    before = Article.objects.count()
    errors = form_errors(editor_client.post(ADD_URL, article_post(**overrides)))
    assert field in errors
    assert Article.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("field, overrides", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_to_an_existing_article_changes_nothing(editor_client, field, overrides):
    article = make_article(headline="Original headline", body="<p>Original body.</p>")
    post = article_post(headline=article.headline, slug=article.slug, body=article.body)
    errors = form_errors(editor_client.post(change_url(article), {**post, **overrides}))
    assert field in errors
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Original headline", "<p>Original body.</p>")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["people", "organizations", "themes"])
def test_a_mentioned_id_that_is_not_a_number_is_a_form_error(editor_client, field):
    # Django's autocomplete widget alone would turn this into a 500 (desk/widgets.py).
    errors = form_errors(editor_client.post(ADD_URL, article_post(**{field: ["1; DROP TABLE"]})))
    assert field in errors
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_quoted_person_id_that_is_not_a_number_is_a_form_error(editor_client):
    quotes = {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-person": "x' OR 1=1",
        "quotes-0-text": "Words",
        "quotes-0-capacity": "",
        "quotes-0-order": "0",
    }
    response = editor_client.post(ADD_URL, article_post(**quotes))
    assert response.status_code == 200
    (quote_errors,) = response.context["inline_admin_formsets"][0].formset.errors
    assert "person" in quote_errors
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_a_quote_is_a_form_error(editor_client):
    person = make_person()
    quotes = {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-person": str(person.pk),
        "quotes-0-text": "We will\x00protect children",
        "quotes-0-capacity": "",
        "quotes-0-order": "0",
    }
    response = editor_client.post(ADD_URL, article_post(**quotes))
    assert response.status_code == 200
    (quote_errors,) = response.context["inline_admin_formsets"][0].formset.errors
    assert "text" in quote_errors
    assert not Article.objects.exists() and not Quote.objects.exists()


@pytest.mark.django_db
def test_an_oversized_request_is_refused(editor_client, settings):
    """Past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB of form fields) Django refuses the request."""
    response = editor_client.post(ADD_URL, article_post(body="x" * 3_000_000))
    assert response.status_code == 400
    assert not Article.objects.exists()


# --- images ---------------------------------------------------------------------------------------


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


IMAGE_ADD_URL = "/admin/articles/image/add/"


def post_image(client, image):
    """Upload to the picture library, where every image now comes in."""
    return client.post(IMAGE_ADD_URL, {"file": image, "alt": "Delegates at the conference"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, image_format, content_type",
    [
        ("photo.jpg", "JPEG", "image/jpeg"),
        ("photo.png", "PNG", "image/png"),
        ("photo.gif", "GIF", "image/gif"),
        ("photo.webp", "WEBP", "image/webp"),
    ],
)
def test_a_real_image_is_accepted_and_served_as_an_image(
    editor_client, client, media_root, name, image_format, content_type
):
    response = post_image(editor_client, upload(name, image_bytes(image_format)))
    assert response.status_code == 302
    served = client.get(LibraryImage.objects.get().file.url)  # the desk's staff see originals
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<html><script>alert(document.cookie)</script></html>"


def bomb_png(width=20_000, height=20_000):
    """A valid PNG header claiming 400 megapixels, a few bytes long."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )  # noqa: E501


BAD_IMAGES = {
    "SVG with a script": ("logo.svg", SVG, "image/svg+xml"),
    "HTML named .png": ("photo.png", HTML, "image/png"),
    "PNG named .html": ("photo.html", image_bytes("PNG"), "text/html"),
    "PNG named .svg": ("photo.svg", image_bytes("PNG"), "image/svg+xml"),
    "PNG named .gif": ("photo.gif", image_bytes("PNG"), "image/gif"),
    "GIF with HTML appended, named .html": ("x.html", image_bytes("GIF") + HTML, "text/html"),
    "BMP": ("photo.bmp", image_bytes("BMP"), "image/bmp"),
    "TIFF": ("photo.tiff", image_bytes("TIFF"), "image/tiff"),
    "truncated JPEG": ("photo.jpg", image_bytes("JPEG")[:40], "image/jpeg"),
    "empty file": ("photo.jpg", b"", "image/jpeg"),
    "decompression bomb": ("photo.png", bomb_png(), "image/png"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, content_type", BAD_IMAGES.values(), ids=BAD_IMAGES.keys())
def test_what_is_not_an_accepted_image_is_refused(
    editor_client, media_root, name, content, content_type
):
    errors = form_errors(post_image(editor_client, upload(name, content, content_type)))
    assert "file" in errors
    assert not LibraryImage.objects.exists()
    assert not any(media_root.rglob("*.*")), "nothing refused is stored"


@pytest.mark.django_db
def test_an_image_over_the_size_limit_is_refused(editor_client, media_root, settings):
    settings.LEAD_IMAGE_MAX_BYTES = 5 * 1024 * 1024
    big = image_bytes("PNG") + b"\0" * (5 * 1024 * 1024)  # a PNG with 5 MB trailing padding
    errors = form_errors(post_image(editor_client, upload("big.png", big)))
    assert "5.0\xa0MB" in errors["file"][0]
    assert not LibraryImage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["evil.svg", "page.html", "x.js", "notes.txt", "../settings.py"])
def test_only_images_are_served_from_media(client, media_root, name):
    (media_root / "evil.svg").write_bytes(SVG)
    (media_root / "page.html").write_bytes(HTML)
    (media_root / "x.js").write_bytes(b"alert(1)")
    (media_root / "notes.txt").write_bytes(b"notes")
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.django_db
def test_an_html_file_renamed_to_an_image_is_still_served_as_an_image(client, media_root):
    """Should one ever be stored, the browser is told it is an image and must not sniff it."""
    (media_root / "renditions").mkdir()
    (media_root / "renditions" / "x.png").write_bytes(HTML)
    served = client.get("/media/renditions/x.png")
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
