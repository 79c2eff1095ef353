"""Library images for tests (no tests here): real files, generated with Pillow, in a temporary
MEDIA_ROOT. To move into tests/factories.py once the library lands."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.images import Image


def picture_bytes(
    size=(1600, 900), color="steelblue", image_format="JPEG", *, mode="RGB", red_square=0, exif=None
):
    """An image file's bytes; `red_square` pixels of red at its top-left corner."""
    picture = PILImage.new(mode, size, color)
    if red_square:
        picture.paste("red", (0, 0, red_square, red_square))
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    picture.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def make_image(*, name="photo.jpg", content=None, **fields):
    """A saved library Image. Use with a temporary MEDIA_ROOT (the `media_root` fixture)."""
    fields.setdefault("alt", "Delegates seated in a conference hall")
    image = Image(file=SimpleUploadedFile(name, content or picture_bytes()), **fields)
    image.save()
    return image
