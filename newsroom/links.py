from django.conf import settings


def absolute(path: str) -> str:
    """An address for outside the site (canonical links, feeds, structured data, preview links),
    built on SITE_URL rather than on whatever host name a request came in with."""
    return settings.SITE_URL + path
