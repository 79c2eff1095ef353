"""Settings shared by every environment. Environment-specific files import from here."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from js_asset import static_lazy

from . import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env.get("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # First, so the desk's admin templates (desk/templates/admin/) override Django's own.
    "desk",
    "desk.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "imagekit",
    "django_prose_editor",
    "csp",
    "axes",
    "newsroom.invalidation",
    "people",
    "articles",
    "reversion",
    "workflow",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # First, so its request id and timing cover everything below, redirects included.
    "newsroom.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.NulCharacterMiddleware",
    # Before the session and auth middleware: a database outage there is a 503 too.
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, whose slash redirects resolve URLs in the edition's language.
    "newsroom.editions.EditionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Each admin save (article with its quotes, themes and mentions) becomes one revision.
    "reversion.middleware.RevisionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.database(env.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The two editions (newsroom/editions.py): English at /, Arabic at /ar/. The interface's Arabic
# strings are the catalogues in each app's locale/ (and newsroom/locale/ for the site's templates).
LANGUAGES = [("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "newsroom" / "locale"]
# The newsroom is in Cairo: dates are shown in Cairo time and stored in UTC.
TIME_ZONE = "Africa/Cairo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "newsroom" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", str(VAR_DIR / "media")))
# The largest lead image editors may upload, in bytes (articles/uploads.py).
# Renditions (articles/renditions.py): their state is kept in the default cache. A month, then
# a file-system check: a rendition removed by hand is made again within that time at the latest.
IMAGEKIT_CACHE_TIMEOUT = 30 * 24 * 60 * 60
IMAGEKIT_CACHE_PREFIX = "imagekit:"
LEAD_IMAGE_MAX_BYTES = env.integer("LEAD_IMAGE_MAX_BYTES", 5 * 1024 * 1024)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# One JSON object a line on stdout, for the process manager or container to collect: a line per
# request from newsroom.middleware.RequestLogMiddleware, a line per error with its traceback, each
# with the request's id (newsroom/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "newsroom.logging.JSONFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        # Through the root's JSON handler only, not also Django's plain-text console handler.
        "django": {"handlers": [], "level": "INFO"},
        # Django logs every 4xx as a warning; the request line already says it. 5xx stay, with
        # their tracebacks.
        "django.request": {"level": "ERROR"},
    },
}

# Case-variant theme names ("Migration", "migration") are one theme.
TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = env.get("SITE_NAME", "Newsroom")
# The Arabic edition's name for the site (newsroom.editions.site_name()).
SITE_NAME_AR = env.get("SITE_NAME_AR", "غرفة الأخبار")
# The absolute address readers use; feeds, sitemaps and canonical links are built on it.
SITE_URL = env.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A WebSub hub: feeds name it, and publishing a story pings it (newsroom/websub.py). Empty: none.
WEBSUB_HUB_URL = env.get("WEBSUB_HUB_URL")
# HTTP caches in front (Varnish with xkey): purged by surrogate key after each edit
# (newsroom/invalidation/purge.py). Comma-separated addresses; empty: none.
HTTP_CACHE_PURGE_URLS = env.listing("HTTP_CACHE_PURGE_URLS")
HTTP_CACHE_PURGE_SECRET = env.get("HTTP_CACHE_PURGE_SECRET")

# --- Security: headers, Content-Security-Policy, login lockout ---------------------------------
# In base, not prod: development and the test suite run under the same policy, so a page or an
# admin screen that breaks under it breaks on a laptop first. prod.py adds HTTPS-only settings.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-csp 4. Nothing is allowed unless listed; scripts and styles only from this site.
# NONCE adds a per-request nonce to the header only on responses whose rendering read
# `request.csp_nonce`: the admin's change forms do (desk/assets.py, for the rich-text
# editor's import map and style slot). Public pages must never read it: they are cached by shared
# caches and a CDN, and a cached header with one request's nonce would be wrong for every reader.
# Public pages have no JavaScript at all; JSON-LD is a data block, which CSP does not block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Per-article permissions (who may see a draft): the workflow's rules, asked by public pages.
    "workflow.permissions.ArticleRulesBackend",
]
# Lock out a client address after AXES_FAILURE_LIMIT failed sign-ins, for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
# Axes announces itself on every process start otherwise, in every management command.
AXES_VERBOSE = False
# Operators see and clear lockouts with `manage.py axes_list_attempts` / `axes_reset`; the
# admin gets no read-only "access attempts" pages editors cannot act on.
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"
AXES_ALLOWED_CORS_ORIGINS = SITE_URL
# Where sign-in lands when its `next=` is missing or refused as off-site (Django refuses any other
# host or scheme): the admin's front page, not Django's default /accounts/profile/, a 404 here.
LOGIN_REDIRECT_URL = "admin:index"
# Behind a reverse proxy: the header it puts the client address in (e.g. X-Forwarded-For) and how
# many proxies append to it. Unset, the connecting address (REMOTE_ADDR) is the client, and the
# header is ignored, since anyone can send it. See newsroom/security.py.
TRUSTED_PROXY_HEADER = env.get("TRUSTED_PROXY_HEADER")
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 1)

# --- The content API, /api/v1/ (articles/api/) ------------------------------------------------
# Read-only and public. Only API keys authenticate (`Authorization: Api-Key <key>`, created in the
# desk); session cookies do not, so no CSRF applies. Errors are JSON; parsers are none (no writes).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["articles.api.auth.APIKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.auth.APIRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "articles.api.errors.FirstRenderer",
    "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per client address without a key, and per key: "N/second|minute|hour|day".
API_ANONYMOUS_RATE = env.get("API_ANONYMOUS_RATE", "60/minute")
API_KEY_RATE = env.get("API_KEY_RATE", "1200/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom content API",
    "DESCRIPTION": "Published articles, themes, people, organizations and corrections, read-only. "
    "Public; an API key (`Authorization: Api-Key <key>`) lifts the anonymous rate limit.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# The body editor's "Insert image" (articles/editor.py, desk/static/desk/prose-image.js).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("desk/prose-image.js")],
        "extensions": {"LibraryImage": "articles.editor.library_image_allowlist"},
    },
]
