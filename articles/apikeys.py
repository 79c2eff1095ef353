"""Keys to the content API: optional, they lift the anonymous rate limit (articles/api/auth.py).

A key reads `<prefix>.<secret>`. The prefix is stored as it is and shown in the desk, so an editor
can tell keys apart and revoke one; of the secret only a SHA-256 hash is kept, and the full key is
shown once, when it is created. The secret is 256 random bits, so a fast hash is enough: a slow
password hash (PBKDF2) protects guessable passwords, and would cost every API request its time.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_BYTES = 4  # 8 hex characters
SECRET_BYTES = 32
# last_used_at is written at most this often per key, not on every request.
USAGE_RESOLUTION = timedelta(minutes=5)
# What a key looks like (hex prefix, URL-safe base64 secret). Anything else is refused before any
# query: a NUL in a header would otherwise reach PostgreSQL, which refuses it with an error.
KEY_FORMAT = re.compile(r"([0-9a-f]{1,16})\.([A-Za-z0-9_-]{1,128})")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class APIKeyManager(models.Manager):
    def create_key(self, *, name: str, created_by=None) -> tuple["APIKey", str]:
        """A new key and its full text, which is not stored anywhere: show it once."""
        key = self.model(name=name, created_by=created_by)
        full_key = key.set_new_secret()
        key.save()
        return key, full_key

    def for_key(self, full_key: str) -> "APIKey | None":
        """The live key this text names, or None (unknown, malformed, wrong secret or revoked)."""
        match = KEY_FORMAT.fullmatch(full_key)
        if match is None:
            return None
        prefix, secret = match.groups()
        key = self.filter(prefix=prefix, revoked=False).first()
        if key is None or not hmac.compare_digest(key.hashed_secret, hash_secret(secret)):
            return None
        return key


class APIKey(models.Model):
    """A partner's key to the content API."""

    name = models.CharField(
        max_length=100, help_text=_("Who the key is for, e.g. the partner site or app.")
    )
    prefix = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text=_("The first part of the key, before the dot: how to recognize it."),
    )
    hashed_secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(
        default=False,
        help_text=_("A revoked key is refused at once, with a 401. It cannot be undone."),
    )

    objects = APIKeyManager()

    class Meta:
        app_label = "articles"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def set_new_secret(self) -> str:
        """Give an unsaved key its prefix and secret; returns the full key, to show once."""
        prefix = secrets.token_hex(PREFIX_BYTES)
        while APIKey.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(PREFIX_BYTES)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        self.prefix, self.hashed_secret = prefix, hash_secret(secret)
        return f"{prefix}.{secret}"

    def record_use(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= USAGE_RESOLUTION:
            APIKey.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
