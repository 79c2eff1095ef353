"""The one place settings read the environment.

Every value the site takes from the environment goes through these helpers, so the README's table
of variables and the code cannot drift apart. `require()` is how production refuses to start.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def get(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def require(name: str, why: str) -> str:
    value = get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {why}. See .env.example.")
    return value


def require_name(name: str, why: str) -> str:
    """Check that a variable is set and hand back its name, for helpers that read it themselves."""
    require(name, why)
    return name


def boolean(name: str, default: bool = False) -> bool:
    value = get(name).lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def integer(name: str, default: int) -> int:
    value = get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def listing(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in get(name, default).split(",") if item.strip()]


def database(url: str) -> dict:
    """A Django DATABASES entry from a URL: sqlite:///path or postgres://user:pass@host/name."""
    try:
        config = dj_database_url.parse(url, conn_max_age=integer("DATABASE_CONN_MAX_AGE", 0))
    except Exception as error:  # dj-database-url raises several kinds for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {error}") from None
    if config["ENGINE"] not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
    return config
