"""Settings shared by every environment. Environment-specific files import from here."""

from pathlib import Path

from . import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env.get("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "people",
    "articles",
    "reversion",
    "workflow",
]

MIDDLEWARE = [
    # First, so its request id and timing cover everything below, redirects included.
    "newsroom.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.NulCharacterMiddleware",
    # Before the session and auth middleware: a database outage there is a 503 too.
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Each admin save (article with its quotes, themes and mentions) becomes one revision.
    "reversion.middleware.RevisionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# The newsroom is in Cairo: dates are shown in Cairo time and stored in UTC.
TIME_ZONE = "Africa/Cairo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "newsroom" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", str(VAR_DIR / "media")))

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
# The absolute address readers use; feeds, sitemaps and canonical links are built on it.
SITE_URL = env.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
