"""ASGI entry point. Defaults to production settings, which refuse to start half-configured."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.prod")

application = get_asgi_application()
