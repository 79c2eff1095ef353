"""What editors may upload to the picture library, and how uploads are served back.

A library image (articles/images.py) must really be a JPEG, PNG, GIF or WebP image (Pillow
reads and verifies it), under settings.LEAD_IMAGE_MAX_BYTES, with a name ending as its format
does. SVG is refused: it is XML that can carry script. Files under MEDIA_URL are served only
with those four extensions, with their image type, `X-Content-Type-Options: nosniff` and a
policy that runs nothing, so even a file that got past the checks is never read as a page.

The checks live in the admin form (ImageUploadChecksMixin), not on the model field, so that
adding them needed no migration. Readers get renditions only (MEDIA_ROOT/renditions/); the
originals are served to the desk's staff alone.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.static import serve
from PIL import Image, UnidentifiedImageError

from .renditions import DIRECTORY as RENDITIONS

# Pillow's name for a format -> the content type it is served with, and the file name endings.
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", {".jpg", ".jpeg"}),
    "PNG": ("image/png", {".png"}),
    "GIF": ("image/gif", {".gif"}),
    "WEBP": ("image/webp", {".webp"}),
}
CONTENT_TYPES = {
    ending: content_type for content_type, endings in IMAGE_TYPES.values() for ending in endings
}
# Larger than any photograph a news page needs; far below what would exhaust a worker's memory.
MAX_PIXELS = 50_000_000
# A long investigation runs to some 150,000 characters of HTML; a megabyte is a paste gone wrong.
BODY_MAX_CHARS = 500_000

ALLOWED = "JPEG, PNG, GIF or WebP"


def validate_image_upload(upload):
    """Raise ValidationError unless `upload` is a JPEG, PNG, GIF or WebP image within limits."""
    ending = PurePosixPath(upload.name or "").suffix.lower()
    if ending in {".svg", ".svgz"}:
        raise ValidationError(
            _("SVG images can carry scripts, so they cannot be uploaded. Use a %(allowed)s image.")
            % {"allowed": ALLOWED}
        )
    if upload.size > settings.LEAD_IMAGE_MAX_BYTES:
        raise ValidationError(
            _(
                "Images may be at most %(size)s and this one is larger. Save it smaller (a "
                "photograph for the web needs well under 1 MB)."
            )
            % {"size": filesizeformat(settings.LEAD_IMAGE_MAX_BYTES)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image. Upload a %(allowed)s image.") % {"allowed": ALLOWED}
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_TYPES:
        raise ValidationError(
            _("%(format)s images are not accepted. Use a %(allowed)s image.")
            % {"format": image_format, "allowed": ALLOWED}
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; scale it down to under 50 megapixels.")
            % {"width": width, "height": height}
        )
    content_type, endings = IMAGE_TYPES[image_format]
    if ending not in endings:
        raise ValidationError(
            _(
                "This is a %(format)s image but its name ends in “%(ending)s”. "
                "Rename it to end in %(endings)s."
            )
            % {
                "format": image_format,
                "ending": ending or _("(nothing)"),
                "endings": _(" or ").join(sorted(endings)),
            }
        )
    upload.content_type = content_type


class ImageUploadChecksMixin:
    """For the library's admin form (articles.images.Image): a checked file."""

    def clean_file(self):
        image = self.cleaned_data.get("file")
        if isinstance(image, UploadedFile):  # not when unchanged
            validate_image_upload(image)
        return image


class ArticleUploadChecksMixin:
    """For the article admin form: a body of sensible size."""

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        if len(body) > BODY_MAX_CHARS:
            raise ValidationError(
                _(
                    "The body is %(length)s characters long; the limit is %(limit)s. Split the "
                    "story, or check that nothing was pasted twice."
                )
                % {"length": f"{len(body):,}", "limit": f"{BODY_MAX_CHARS:,}"}
            )
        return body


def readers_may_fetch(request, path):
    """Renditions (articles/renditions.py) are for everyone; originals (the library's, and lead
    images uploaded before it) only for the desk's staff: they are large, and may still carry
    what stripping on upload removes from newer ones."""
    top, user = PurePosixPath(path).parts[:1], request.user
    return top == (RENDITIONS,) or (user.is_authenticated and user.is_active and user.is_staff)


def serve_upload(request, path):
    """Uploaded files, in development and wherever no web server is put in front for /media/.
    Only image endings are served, always as the image type their ending names; a web server in
    front must serve only MEDIA_ROOT/renditions/ too."""
    content_type = CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None or not readers_may_fetch(request, path):
        raise Http404("No such file.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if PurePosixPath(path).parts[:1] != (RENDITIONS,):
        response["Cache-Control"] = "private, no-store"
    elif response.status_code == 200:
        # A rendition's name says all it is made from (articles/renditions.py): it never changes.
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response
