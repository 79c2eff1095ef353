"""Renditions: made once from a library image, at the sizes and in the shapes pages ask for,
cropped around the focal point, as WebP with a JPEG or PNG fallback, named without a query;
never a 500 when the original is gone."""

import os

import pytest
from django.core.cache import cache
from PIL import Image as PILImage

from articles.renditions import (
    RATIOS,
    WIDTHS,
    make_all,
    rendition,
    renditions,
    srcset,
    usable_widths,
)
from tests.test_images_factories import make_image, picture_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def path_of(media_root, made):
    return media_root / made.url.removeprefix("/media/")


def pixels(media_root, made):
    picture = PILImage.open(path_of(media_root, made))
    return picture.format, picture.size, picture.convert("RGB")


def is_red(rgb):
    r, g, b = rgb
    return r > 200 and g < 60 and b < 60


def test_a_rendition_is_a_resized_webp_under_media_renditions(media_root):
    image = make_image(content=picture_bytes((1600, 900)))
    made = rendition(image, 640)
    assert made.url.startswith("/media/renditions/")
    assert (made.width, made.height, made.content_type) == (640, 360, "image/webp")
    image_format, size, _ = pixels(media_root, made)
    assert (image_format, size) == ("WEBP", (640, 360))


def test_the_fallback_is_jpeg_for_photographs_and_png_for_transparent_pictures(media_root):
    photo = make_image(content=picture_bytes((800, 600)))
    made = rendition(photo, 320, fmt="fallback")
    assert made.content_type == "image/jpeg"
    assert pixels(media_root, made)[:2] == ("JPEG", (320, 240))
    logo = make_image(
        name="logo.png",
        content=picture_bytes((800, 600), (0, 0, 0, 0), "PNG", mode="RGBA"),
    )
    assert logo.has_alpha
    made = rendition(logo, 320, fmt="fallback")
    assert made.content_type == "image/png"
    assert pixels(media_root, made)[:2] == ("PNG", (320, 240))
    assert PILImage.open(path_of(media_root, made)).mode == "RGBA", "transparency is kept"


def test_each_shape_has_its_ratio_at_every_usable_width(media_root):
    image = make_image(content=picture_bytes((1600, 1200)))
    assert usable_widths(image) == [320, 480, 640, 960, 1280, 1600]  # capped at the original's
    assert [(r.width, r.height) for r in renditions(image, "16x9")] == [
        (320, 180), (480, 270), (640, 360), (960, 540), (1280, 720), (1600, 900),
    ]  # fmt: skip
    assert [(r.width, r.height) for r in renditions(image, "1x1")][-1] == (1200, 1200)
    assert [(r.width, r.height) for r in renditions(image)][0] == (320, 240)
    for made in renditions(image, "4x3", "fallback"):
        assert pixels(media_root, made)[1] == (made.width, made.height)
    big = make_image(content=picture_bytes((2400, 1350)))
    assert usable_widths(big, "16x9") == list(WIDTHS)
    assert rendition(big, 5000).width == 2400, "never wider than the original"


def test_a_small_original_gets_one_rendition_at_its_own_width(media_root):
    image = make_image(content=picture_bytes((200, 100)))
    assert [(r.width, r.height) for r in renditions(image)] == [(200, 100)]


def test_crops_keep_the_focal_point_in_view(media_root):
    """A red square at the top-left corner, the focal point on it: the crop's centre is red.
    Without a focal point (the centre), it is not."""
    landscape = picture_bytes((1600, 900), "white", red_square=500)
    centred = make_image(content=landscape)
    _, _, picture = pixels(media_root, rendition(centred, 640, "1x1"))
    assert not is_red(picture.getpixel((320, 320)))
    focused = make_image(content=landscape, focal_x=0.1, focal_y=0.1)
    made = rendition(focused, 640, "1x1")
    _, size, picture = pixels(media_root, made)
    assert size == (640, 640)
    assert is_red(picture.getpixel((320, 320)))
    assert not is_red(picture.getpixel((630, 320))), "the crop is 900 of 1600 pixels wide"

    portrait = make_image(content=picture_bytes((900, 1600), "white", red_square=500))
    portrait.focal_x, portrait.focal_y = 0.1, 0.1
    _, size, picture = pixels(media_root, rendition(portrait, 480, "16x9"))
    assert size == (480, 270)
    assert is_red(picture.getpixel((240, 135)))


def test_a_new_focal_point_makes_new_crops_under_new_names(media_root):
    image = make_image(content=picture_bytes((1600, 900)))
    before = rendition(image, 640, "1x1")
    image.focal_x, image.focal_y = 0.2, 0.8
    after = rendition(image, 640, "1x1")
    assert before.url != after.url
    assert rendition(image, 640).url == rendition(image, 640).url  # the whole picture: the same


def test_a_rendition_is_made_once_and_kept(media_root):
    image = make_image(content=picture_bytes((1600, 900)))
    made = rendition(image, 960, "4x3")
    path = path_of(media_root, made)
    os.utime(path, (1_000_000, 1_000_000))
    assert rendition(image, 960, "4x3") == made
    cache.clear()  # the state is forgotten: the file on disk is found, not made again
    assert rendition(image, 960, "4x3") == made
    assert path.stat().st_mtime == 1_000_000
    assert len(list((media_root / "renditions").rglob("*.webp"))) == 1


def test_naming_a_rendition_that_exists_makes_no_query(media_root, django_assert_num_queries):
    image = make_image(content=picture_bytes((1600, 900)))
    make_all(image)
    with django_assert_num_queries(0):
        for ratio in (None, *RATIOS):
            srcset(image, ratio)
            srcset(image, ratio, "fallback")


def test_srcset_lists_every_width(media_root):
    image = make_image(content=picture_bytes((1000, 500)))
    candidates = srcset(image).split(", ")
    assert [c.rsplit(" ", 1)[1] for c in candidates] == ["320w", "480w", "640w", "960w", "1000w"]
    assert all(c.startswith("/media/renditions/") for c in candidates)


def test_saving_an_image_makes_every_rendition_after_commit(
    media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image(content=picture_bytes((1600, 900)))
    made = {p.name for p in (media_root / "renditions").rglob("*.*")}
    expected = set()
    for ratio in (None, *RATIOS):
        for fmt in ("webp", "fallback"):
            expected |= {r.url.rsplit("/", 1)[1] for r in renditions(image, ratio, fmt)}
            if ratio:
                expected.add(rendition(image, 1200, ratio, fmt).url.rsplit("/", 1)[1])
    assert made == expected
    # Whole, 16x9, 4x3 (1200 wide at most), 1x1 (900): 6 + 6 + 5 + 4 widths, the 16x9 share
    # crop at 1200 (the others are the largest widths already), in two formats.
    assert len(made) == 2 * (6 + 6 + 5 + 4 + 1)
    mtimes = {p: p.stat().st_mtime_ns for p in (media_root / "renditions").rglob("*.*")}
    cache.clear()
    make_all(image)
    assert mtimes == {p: p.stat().st_mtime_ns for p in (media_root / "renditions").rglob("*.*")}


def test_a_missing_original_still_gives_a_rendition_and_no_error(media_root, caplog):
    image = make_image(content=picture_bytes((1600, 900)))
    image.file.storage.delete(image.file.name)
    made = rendition(image, 640, "16x9")
    assert (made.width, made.height) == (640, 360)
    assert not path_of(media_root, made).exists()
    assert "missing" in caplog.text
    make_all(image)  # logs, does not raise


def test_an_unknown_ratio_or_format_is_a_clear_error(media_root):
    image = make_image(content=picture_bytes((400, 300)))
    with pytest.raises(ValueError, match="16x9"):
        rendition(image, 320, "2x1")
    with pytest.raises(ValueError, match="fallback"):
        rendition(image, 320, fmt="gif")
