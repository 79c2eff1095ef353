"""A laptop: SQLite in var/, debug pages, a throwaway key."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.boolean("DEBUG", True)
# Only for local development; prod.py requires a real one.
SECRET_KEY = env.get("SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

VAR_DIR.mkdir(exist_ok=True)

# WhiteNoise serves static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
