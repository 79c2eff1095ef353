"""The picture library: every image stored once, with its alt text, caption, credit, source and
focal point, and reused by any number of stories (as a lead picture, or inside a body).

On the way in (any save of a new file: the desk, a shell, an import) the file is rewritten
without its metadata: the EXIF orientation is applied to the pixels, then every EXIF tag, GPS
location included, is dropped. Readers never get the original (articles/uploads.py serves only
renditions to them); renditions are made after commit (articles/renditions.py).
"""

import io
import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALT_SHOWN = 60  # characters of alt text in lists and choosers
FOCAL = [MinValueValidator(0.0), MaxValueValidator(1.0)]
# Re-encoding quality for the stored original: high, since every rendition is made from it.
ORIGINAL_QUALITY = 92


def strip_metadata(upload):
    """The image as a new file: EXIF orientation applied, EXIF (GPS and all) and other metadata
    dropped. Returns (ContentFile, has_alpha); (None, has_alpha) when it needs no rewriting (GIF,
    which carries no EXIF and may be animated)."""
    upload.seek(0)
    with PILImage.open(upload) as original:
        image_format = original.format
        has_alpha = has_transparency(original)
        if image_format == "GIF":
            upload.seek(0)
            return None, has_alpha
        image = ImageOps.exif_transpose(original)
        buffer = io.BytesIO()
        options = {"format": image_format}
        if image_format == "JPEG":
            image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
            options.update(quality=ORIGINAL_QUALITY, optimize=True)
        elif image_format == "WEBP":
            options.update(quality=ORIGINAL_QUALITY)
        image.save(buffer, **options)  # no exif=, no pnginfo=: nothing but the pixels
    upload.seek(0)
    return ContentFile(buffer.getvalue()), has_alpha


def has_transparency(image):
    if image.mode in ("RGBA", "LA", "PA"):
        return True
    return image.mode == "P" and "transparency" in image.info


class Image(models.Model):
    file = models.ImageField(
        upload_to="library/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text=_(
            "A JPEG, PNG, GIF or WebP image. Location and camera data are removed on upload."
        ),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    # Set from the file on upload: renditions of such images fall back to PNG, not JPEG.
    has_alpha = models.BooleanField(editable=False, default=False)
    alt = models.CharField(
        _("alt text"),
        max_length=255,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Changing it changes "
            "every story that shows the picture."
        ),
    )
    caption = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("What is happening in the picture, in a sentence. A story may override it."),
    )
    credit = models.CharField(
        _("credit / copyright"),
        max_length=255,
        blank=True,
        help_text=_('Who took or owns the picture, e.g. "IOM / Jane Doe".'),
    )
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Where the picture came from: agency, handout, link."),
    )
    focal_x = models.FloatField(
        null=True,
        blank=True,
        validators=FOCAL,
        help_text=_("Click on the picture to set the point crops keep in view. Empty: the centre."),
    )
    focal_y = models.FloatField(null=True, blank=True, validators=FOCAL)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["credit"], name="image_credit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__isnull=True) | models.Q(focal_x__gte=0, focal_x__lte=1),
                name="image_focal_x_in_picture",
            ),
            models.CheckConstraint(
                condition=models.Q(focal_y__isnull=True) | models.Q(focal_y__gte=0, focal_y__lte=1),
                name="image_focal_y_in_picture",
            ),
        ]

    def __str__(self):
        alt = " ".join(self.alt.split())
        return alt if len(alt) <= ALT_SHOWN else alt[: ALT_SHOWN - 1] + "…"

    @property
    def focal_point(self):
        """(x, y) as fractions of the width and height; the centre when none was set."""
        x = 0.5 if self.focal_x is None else min(max(self.focal_x, 0.0), 1.0)
        y = 0.5 if self.focal_y is None else min(max(self.focal_y, 0.0), 1.0)
        return x, y

    def clean(self):
        super().clean()
        if (self.focal_x is None) != (self.focal_y is None):
            raise ValidationError(
                {"focal_x": _("Set both coordinates of the focal point, or none.")}
            )
        if not self.alt.strip():
            raise ValidationError({"alt": _("Describe the picture for readers who cannot see it.")})

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            self._strip_upload()
        super().save(*args, **kwargs)
        if self.file:
            from .renditions import make_all

            transaction.on_commit(lambda: make_all(self))

    def _strip_upload(self):
        name = PurePosixPath(self.file.name).name
        try:
            stripped, self.has_alpha = strip_metadata(self.file)
        except (UnidentifiedImageError, OSError, ValueError, PILImage.DecompressionBombError):
            logger.warning("Image %r could not be read to strip its metadata", name)
            return
        if stripped is not None:
            stripped.name = name  # so that the dimension fields are read from it
            self.file.save(name, stripped, save=False)
