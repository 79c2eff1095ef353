"""Production: everything it needs comes from the environment, or it refuses to start."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

SECRET_KEY = env.require("SECRET_KEY", "production needs a long random secret key")
ALLOWED_HOSTS = env.listing(
    env.require_name("ALLOWED_HOSTS", "list the host names the site answers to, comma-separated")
)
DATABASES = {
    "default": env.database(
        env.require("DATABASE_URL", "production needs a database, e.g. postgres://user@host/name")
    )
}
# Every page served, cached or not, asks the database at least once (newsroom/pagecache.py):
# connections are kept a minute rather than opened per request, and checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.integer("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
# Load balancers probe /healthz over plain HTTP; a redirect would read as a failed check.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Cookies only over HTTPS. (HttpOnly, SameSite, the referrer policy and the CSP are in base.py.)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The admin's forms carry the CSRF token themselves; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True

cache_url = env.get("CACHE_URL") or env.get("REDIS_URL")
if cache_url:
    # Redis down means pages served uncached, not errors: see newsroom/cache.py.
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": cache_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Without Redis, the gunicorn workers of one machine still share one cache, so a page rendered
    # by one serves them all. (Which pages are stale is decided in the database whatever the
    # cache: newsroom/invalidation/keys.py.) More than one machine should share Redis (CACHE_URL).
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FileCache",
            "LOCATION": env.get("CACHE_DIR") or str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
