"""Resized, compressed copies of library images: the only pictures readers are served.

A rendition's file name says everything it is made from (the original's name, size, shape, focal
point for crops, format), so its address is known without opening anything and without a query:
the Image row (width, height, focal point) is all it needs. django-imagekit keeps the files
(ImageCacheFile, saved once through the default storage) and their state (the Django cache, no
database rows): a rendition that exists is never written again. make_all() makes every one a page
uses right after an image is saved (Image.save, on commit), so page requests find them made; one
that is missing anyway is made on first use, and if even that fails (the original is gone) the
failure is logged and the Rendition still returned: a broken picture, never a 500.
"""

import functools
import io
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from imagekit.cachefiles import ImageCacheFile
from imagekit.cachefiles.backends import CacheFileState
from PIL import Image as PILImage
from PIL import ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (320, 480, 640, 960, 1280, 1920)  # capped at the original's width
RATIOS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}  # ratio=None: the original shape
SHARE_WIDTH = 1200  # structured data and shared links want crops at least this wide
FORMATS = ("webp", "fallback")
DIRECTORY = "renditions"
VERSION = "v1"  # part of every name: change it when the encoding below changes

CONTENT_TYPES = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
ENDINGS = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
ENCODING = {
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
}


@dataclass(frozen=True)
class Rendition:
    url: str  # an absolute path under MEDIA_URL, e.g. /media/renditions/....webp
    width: int
    height: int
    content_type: str


def _format(image, fmt):
    if fmt == "webp":
        return "WEBP"
    if fmt == "fallback":
        return "PNG" if image.has_alpha else "JPEG"
    raise ValueError(f"Unknown rendition format {fmt!r}: use 'webp' or 'fallback'.")


def _shape(ratio):
    if ratio is None:
        return None
    try:
        return RATIOS[ratio]
    except KeyError:
        raise ValueError(f"Unknown ratio {ratio!r}: use one of {', '.join(RATIOS)}.") from None


def _crop_size(width, height, shape):
    """The largest box of `shape` inside width x height (the whole picture for None)."""
    if shape is None or not width or not height:
        return width, height
    rw, rh = shape
    if width * rh > height * rw:  # wider than the shape: full height
        return max(1, round(height * rw / rh)), height
    return width, max(1, round(width * rh / rw))


def _focal(image):
    """The focal point rounded to whole percents: what the file name carries and the crop uses."""
    x, y = image.focal_point
    return round(x * 100), round(y * 100)


def _size(image, width, shape):
    crop_w, crop_h = _crop_size(image.width, image.height, shape)
    if not crop_w or not crop_h:  # dimensions unknown: keep what was asked for
        return width, round(width * shape[1] / shape[0]) if shape else width
    width = max(1, min(int(width), crop_w))
    if shape is None:
        return width, max(1, round(width * crop_h / crop_w))
    return width, max(1, round(width * shape[1] / shape[0]))


def _name(image, size, ratio, image_format):
    original = PurePosixPath(image.file.name)
    parts = [f"{size[0]}x{size[1]}"]
    if ratio is not None:
        fx, fy = _focal(image)
        parts += [ratio, f"f{fx}-{fy}"]
    parts.append(VERSION)
    return (
        str(PurePosixPath(DIRECTORY, original.parent, original.stem, "-".join(parts)))
        + f".{ENDINGS[image_format]}"
    )


class RenditionGenerator:
    """An imagekit generator: crop around the focal point, resize, encode. `prepared` lets
    make_all() decode the original once, and scale each size once for both formats."""

    def __init__(self, image, size, shape, image_format, name, prepared=None):
        self.image, self.size, self.shape = image, size, shape
        self.format, self.cachefile_name, self.prepared = image_format, name, prepared

    def generate(self):
        focal = _focal(self.image)
        if self.prepared is not None:
            picture = self.prepared.scaled(self.size, self.shape, focal)
        else:
            with self.image.file.open("rb") as original:
                picture = scale(open_original(original), self.size, self.shape, focal)
        if self.format == "JPEG":
            picture = _flatten(picture)
        elif picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if self.image.has_alpha else "RGB")
        buffer = io.BytesIO()
        picture.save(buffer, format=self.format, **ENCODING[self.format])
        buffer.seek(0)
        return buffer


class Prepared:
    """For make_all(): the original cropped to one shape and scaled to its largest size, made
    when a first rendition needs it (never when all exist), and each size scaled from it once."""

    def __init__(self, make_base):
        self._make_base, self._base, self._scaled = make_base, None, {}

    def scaled(self, size, shape, focal):
        if size not in self._scaled:
            if self._base is None:
                self._base = self._make_base()
            self._scaled[size] = scale(self._base, size, shape, focal)
        return self._scaled[size]


def scale(picture, size, shape, focal):
    # reducing_gap: a fast integer reduction first when shrinking more than three times, then
    # Lanczos over the rest; crop() and resize() make new images, `picture` is not changed.
    return crop(picture, shape, focal).resize(size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def open_original(file):
    with PILImage.open(file) as picture:
        picture = ImageOps.exif_transpose(picture)  # originals stored before stripping
        picture.load()
        return picture


def _flatten(picture):
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        picture = picture.convert("RGBA")
        white = PILImage.new("RGB", picture.size, "white")
        white.paste(picture, mask=picture.getchannel("A"))
        return white
    return picture.convert("RGB") if picture.mode != "RGB" else picture


def crop(picture, shape, focal):
    """The largest box of `shape` in `picture`, centred on the focal point (in percents) as far
    as the picture's edges allow."""
    width, height = picture.size
    crop_w, crop_h = _crop_size(width, height, shape)
    if (crop_w, crop_h) == (width, height):
        return picture
    left = min(max(round(focal[0] / 100 * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal[1] / 100 * height - crop_h / 2), 0), height - crop_h)
    return picture.crop((left, top, left + crop_w, top + crop_h))


def rendition(image, width, ratio=None, fmt="webp", *, _prepared=None) -> Rendition:
    """The rendition of `image` `width` pixels wide (at most the original's), in the shape
    `ratio` ("16x9", "4x3", "1x1"; None keeps the original's) and format `fmt` ("webp", or
    "fallback": JPEG, PNG for pictures with transparency). Made now if it is not yet."""
    shape, image_format = _shape(ratio), _format(image, fmt)
    size = _size(image, width, shape)
    name = _name(image, size, ratio, image_format)
    generator = RenditionGenerator(image, size, shape, image_format, name, _prepared)
    cachefile = ImageCacheFile(generator, name=name)
    try:
        cachefile.generate()
    except Exception as error:  # a missing or unreadable original must not take the page down
        # Checked again after a few seconds (imagekit's existence_check_timeout), not each time.
        cachefile.cachefile_backend.set_state(cachefile, CacheFileState.DOES_NOT_EXIST)
        if isinstance(error, FileNotFoundError):
            logger.warning(
                "Rendition %s not made: the original of image %s is missing", name, image.pk
            )
        else:
            logger.exception("Rendition %s of image %s could not be made", name, image.pk)
    return Rendition(
        url=cachefile.storage.url(name),
        width=size[0],
        height=size[1],
        content_type=CONTENT_TYPES[image_format],
    )


def usable_widths(image, ratio=None):
    """WIDTHS up to the original's (crop's) width, and that width itself when it is smaller
    than the largest: a 1000-pixel picture gets 320, 480, 640, 960 and 1000."""
    cap = _crop_size(image.width, image.height, _shape(ratio))[0]
    if not cap:
        return list(WIDTHS)
    widths = [w for w in WIDTHS if w <= cap]
    if cap < WIDTHS[-1] and cap not in widths:
        widths.append(cap)
    return widths


def renditions(image, ratio=None, fmt="webp") -> list[Rendition]:
    """One rendition per usable width, narrowest first."""
    return [rendition(image, w, ratio, fmt) for w in usable_widths(image, ratio)]


def srcset(image, ratio=None, fmt="webp") -> str:
    """The `srcset` attribute: "url 320w, url 640w, ..."."""
    return ", ".join(f"{r.url} {r.width}w" for r in renditions(image, ratio, fmt))


def make_all(image) -> None:
    """Make every rendition a page uses (each width, shape and format, and the share crops).
    Those already made are left as they are (the original is not even read then). It is
    decoded once, and each shape cropped and scaled to its largest width once: the narrower ones
    are made from that: a 12-megapixel photograph's 54 renditions took 9 seconds before, under
    4 now (half of it WebP encoding)."""
    if not image.file:
        return
    if not image.file.storage.exists(image.file.name):
        logger.warning("No renditions made: the original of image %s is missing", image.pk)
        return

    @functools.cache
    def original():
        with image.file.open("rb") as file:
            return open_original(file)

    def base(shape, largest):
        cropped = crop(original(), shape, _focal(image))
        if cropped.width <= largest[0]:
            return cropped
        return cropped.resize(largest, PILImage.Resampling.LANCZOS, reducing_gap=3.0)

    for ratio in (None, *RATIOS):
        shape = _shape(ratio)
        widths = usable_widths(image, ratio)
        widths += [SHARE_WIDTH] if ratio is not None else []
        largest = _size(image, max(widths), shape)
        prepared = Prepared(functools.partial(base, shape, largest))
        for fmt in FORMATS:
            for width in widths:
                rendition(image, width, ratio, fmt, _prepared=prepared)
