"""The picture library in the desk: upload (checked, location data stripped), find, reuse as a
lead picture, set the focal point; deleting a picture a story shows is refused with the list of
stories. Originals are for the desk only; readers get renditions."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image as PILImage

from articles.images import Image
from articles.models import Article
from articles.renditions import rendition
from tests.factories import make_article
from tests.test_admin import article_form
from tests.test_images_factories import make_image, picture_bytes

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/articles/image/"
ADD_URL = LIST_URL + "add/"
GPS = 0x8825  # the EXIF GPS IFD


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def jpeg_with_gps_and_rotation(size=(40, 20)):
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Camera maker"
    exif.get_ifd(GPS).update({1: "N", 2: (30.0, 2.0, 40.0), 3: "E", 4: (31.0, 14.0, 9.0)})
    return picture_bytes(size, exif=exif.tobytes())


# Uploading -----------------------------------------------------------------------------------


def test_an_upload_is_stored_with_its_details_and_uploader(editor_client, editor, media_root):
    upload = SimpleUploadedFile("hall.jpg", picture_bytes((1600, 900)), "image/jpeg")
    response = editor_client.post(
        ADD_URL,
        {"file": upload, "alt": "Delegates in a hall", "credit": "IOM / Jane Doe", "source": "x"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height, image.alt) == (1600, 900, "Delegates in a hall")
    assert image.uploaded_by == editor
    assert image.file.name.startswith("library/")


def test_alt_text_is_required(editor_client, media_root):
    upload = SimpleUploadedFile("hall.jpg", picture_bytes(), "image/jpeg")
    response = editor_client.post(ADD_URL, {"file": upload, "alt": ""})
    assert "alt" in response.context["adminform"].form.errors
    assert not Image.objects.exists()


def test_location_and_camera_data_are_stripped_and_the_orientation_kept(media_root):
    original = PILImage.open(io.BytesIO(jpeg_with_gps_and_rotation()))
    assert original.getexif().get_ifd(GPS), "the test file does carry a location"
    image = make_image(content=jpeg_with_gps_and_rotation((40, 20)))
    with PILImage.open(image.file.path) as stored:
        exif = stored.getexif()
        assert not exif.get_ifd(GPS)
        assert len(exif) == 0, "no EXIF at all"
        assert stored.size == (20, 40), "the rotation is applied to the pixels"
    assert (image.width, image.height) == (20, 40)


def test_the_desk_upload_strips_location_data_too(editor_client, media_root):
    upload = SimpleUploadedFile("gps.jpg", jpeg_with_gps_and_rotation(), "image/jpeg")
    editor_client.post(ADD_URL, {"file": upload, "alt": "A street"})
    with PILImage.open(Image.objects.get().file.path) as stored:
        assert not stored.getexif()


def test_an_svg_is_refused_in_the_library(editor_client, media_root):
    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = editor_client.post(ADD_URL, {"file": svg, "alt": "Logo"})
    assert "SVG" in response.context["adminform"].form.errors["file"][0]
    assert not Image.objects.exists()


# Serving ----------------------------------------------------------------------------------------


def test_readers_get_renditions_and_never_the_original(client, django_user_model, media_root):
    image = make_image()
    assert client.get(image.file.url).status_code == 404
    made = client.get(rendition(image, 320).url)
    assert made.status_code == 200
    assert made["Content-Type"] == "image/webp"
    # Its name changes with whatever it is made from: browsers and CDNs may keep it for good.
    assert made["Cache-Control"] == "public, max-age=31536000, immutable"
    staff = django_user_model.objects.create_user("desk", password="pw", is_staff=True)
    client.force_login(staff)
    original = client.get(image.file.url)
    assert original.status_code == 200
    assert "no-store" in original["Cache-Control"]


# The library in the desk ------------------------------------------------------------------------


def test_the_list_shows_renditions_and_finds_by_credit_and_caption(editor_client, media_root):
    make_image(alt="Delegates", credit="IOM Egypt", caption="The opening session")
    make_image(alt="A ferry", credit="Reuters")
    page = editor_client.get(LIST_URL).content.decode()
    assert 'src="/media/renditions/' in page
    assert 'src="/media/library/' not in page
    found = editor_client.get(LIST_URL, {"q": "iom"}).content.decode()
    assert "Delegates" in found and "A ferry" not in found
    found = editor_client.get(LIST_URL, {"q": "opening"}).content.decode()
    assert "Delegates" in found and "A ferry" not in found
    filtered = editor_client.get(LIST_URL, {"credit": "Reuters"}).content.decode()
    assert "A ferry" in filtered and "Delegates" not in filtered


def test_the_change_form_has_a_focal_point_picker(editor_client, media_root):
    image = make_image(focal_x=0.25, focal_y=0.75)
    page = editor_client.get(f"{LIST_URL}{image.pk}/change/").content.decode()
    assert 'class="focal-point" data-focal-x="0.25" data-focal-y="0.75"' in page
    assert "desk/focal-point.js" in page
    assert "focal-point-marker" in page
    assert "<script>" not in page.split("</head>")[1], "no inline script (CSP)"


def test_the_focal_point_is_saved_and_checked(editor_client, media_root):
    image = make_image()
    url = f"{LIST_URL}{image.pk}/change/"
    data = {"alt": image.alt, "caption": "", "credit": "", "source": "", "focal_x": "0.3"}
    response = editor_client.post(url, {**data, "focal_y": "0.6"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_point == (0.3, 0.6)
    errors = editor_client.post(url, {**data, "focal_y": "7"}).context["adminform"].form.errors
    assert "focal_y" in errors
    errors = editor_client.post(url, {**data, "focal_y": ""}).context["adminform"].form.errors
    assert "focal_x" in errors, "both coordinates or none"


def test_an_unused_picture_can_be_deleted(editor_client, media_root):
    image = make_image()
    response = editor_client.post(f"{LIST_URL}{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.exists()


def test_deleting_a_picture_in_use_is_refused_with_the_stories(editor_client, media_root):
    image = make_image(alt="Delegates")
    make_article(headline="Conference opens", lead_picture=image)
    make_article(headline="Conference closes", lead_picture=image)
    for method in ("get", "post"):
        response = getattr(editor_client, method)(f"{LIST_URL}{image.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        message = messages_of(response)[-1]
        assert "“Delegates” was not deleted: 2 stories show it" in message
        assert "Conference opens" in message and "Conference closes" in message
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_bulk_delete_refuses_when_any_picture_is_in_use(editor_client, media_root):
    used, unused = make_image(alt="Used"), make_image(alt="Unused")
    make_article(headline="Conference opens", lead_picture=used)
    response = editor_client.post(
        LIST_URL,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [used.pk, unused.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert any("Conference opens" in m for m in messages_of(response))
    assert Image.objects.count() == 2, "nothing deleted"
    editor_client.post(
        LIST_URL, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [unused.pk], "post": "yes"}
    )
    assert list(Image.objects.all()) == [used]


# The lead picture -------------------------------------------------------------------------------


def test_an_article_takes_its_lead_picture_from_the_library(editor_client, media_root):
    image = make_image(alt="Delegates")
    page = editor_client.get("/admin/articles/article/add/").content.decode()
    assert 'name="lead_picture"' in page
    assert "/admin/articles/image/add/?_to_field=id&amp;_popup=1" in page, "upload on the spot"
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(lead_picture=str(image.pk), lead_image_caption="This story's caption"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.lead_picture == image
    assert article.lead_image_caption == "This story's caption"
    found = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "deleg",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_picture",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == ["Delegates"]


# The data migration -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_old_lead_images_become_library_pictures(media_root):
    (media_root / "articles").mkdir()
    (media_root / "articles" / "hall.jpg").write_bytes(picture_bytes((800, 450)))
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0010_image_library")])
    old = executor.loader.project_state([("articles", "0010_image_library")]).apps
    OldArticle = old.get_model("articles", "Article")
    common = {"status": "published", "body": "<p>x</p>"}
    OldArticle.objects.create(
        slug="a", headline="A", lead_image="articles/hall.jpg", lead_image_alt="Hall",
        lead_image_credit="IOM", lead_image_caption="First", **common,
    )  # fmt: skip
    OldArticle.objects.create(
        slug="b", headline="B", lead_image="articles/hall.jpg", lead_image_alt="Hall again",
        lead_image_caption="Second", **common,
    )  # fmt: skip
    OldArticle.objects.create(slug="c", headline="C", lead_image="articles/gone.jpg", **common)
    OldArticle.objects.create(slug="d", headline="D", **common)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    (picture,) = Image.objects.all()
    assert (picture.file.name, picture.alt, picture.credit) == ("articles/hall.jpg", "Hall", "IOM")
    assert (picture.width, picture.height) == (800, 450)
    by_slug = {a.slug: a for a in Article.objects.select_related("lead_picture")}
    assert by_slug["a"].lead_picture == by_slug["b"].lead_picture == picture
    assert (by_slug["a"].lead_image_caption, by_slug["b"].lead_image_caption) == ("First", "Second")
    assert by_slug["c"].lead_picture is None, "a file no longer stored has nothing to show"
    assert by_slug["d"].lead_picture is None


# The content API --------------------------------------------------------------------------------


def test_the_api_gives_the_lead_picture_as_renditions(client, media_root, settings):
    settings.PUBLIC_PAGE_CACHE = False
    image = make_image(content=picture_bytes((1000, 500)), credit="IOM", caption="Library's")
    article = make_article(lead_picture=image, lead_image_caption="This story's")
    lead = client.get(f"/api/v1/articles/{article.slug}/").json()["lead_image"]
    assert {k: lead[k] for k in ("alt", "caption", "credit", "width", "height")} == {
        "alt": image.alt, "caption": "This story's", "credit": "IOM", "width": 1000, "height": 500,
    }  # fmt: skip
    sizes = [(r["width"], r["height"], r["content_type"]) for r in lead["renditions"]]
    widths = [320, 480, 640, 960, 1000]
    assert sizes == [(w, w // 2, "image/webp") for w in widths] + [
        (w, w // 2, "image/jpeg") for w in widths
    ]
    for made in lead["renditions"]:
        assert made["url"].startswith(settings.SITE_URL + "/media/renditions/")
        assert client.get(made["url"].removeprefix(settings.SITE_URL)).status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_pictured_articles_cost_no_more_queries_in_the_api(
    client, media_root, settings, django_assert_num_queries, count
):
    """Needs queries.articles() to select_related("lead_picture") (see the img-core report)."""
    settings.PUBLIC_PAGE_CACHE = False
    image = make_image()
    for _ in range(count):
        make_article(lead_picture=image)
    with django_assert_num_queries(2 + 6):  # as test_api's budget for articles without pictures
        client.get(f"/api/v1/articles/?page_size={count}")
    with django_assert_num_queries(1 + 7):  # the clock read again, then the ninjs budget
        client.get(f"/api/v1/articles/{Article.objects.first().slug}.ninjs")
