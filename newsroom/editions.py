"""The site's two editions, English and Arabic: which one a request is in, and how to say so.

An edition is a language. The English edition lives at the root (`/`, `/articles/…`), the Arabic
one under `/ar/` with the same URL shapes (Django's i18n_patterns, without a prefix for the
default language). Content (articles, themes) has one language and appears in its own edition
only; people and organizations are shared, with a name in each script where known.

The active language (django.utils.translation) is the edition: `EditionMiddleware` sets it from
the address, before the URL is resolved, so that every query, cache key and template of the
request agrees on it.
"""

import functools
import hashlib
import re
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from .links import absolute

DESK_PREFIX = "/admin/"

ENGLISH = "en"
ARABIC = "ar"
LANGUAGES = [(ENGLISH, _("English")), (ARABIC, _("Arabic"))]
CODES = [code for code, _name in LANGUAGES]
# Open Graph wants a territory: the newsroom is Cairo's.
OG_LOCALES = {ENGLISH: "en_US", ARABIC: "ar_EG"}
# Each edition's own name for itself, for the links between them ("اقرأ بالعربية").
NATIVE_NAMES = {ENGLISH: "English", ARABIC: "العربية"}

# Arabic letters (the Arabic block and its supplements); one in a name marks it as Arabic.
_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def current() -> str:
    """The edition of this request (or of the code running inside `override()`)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return ARABIC if language.split("-")[0] == ARABIC else ENGLISH


def other(language: str) -> str:
    return ENGLISH if language == ARABIC else ARABIC


def site_name() -> str:
    """The site's name in the request's edition (settings SITE_NAME and SITE_NAME_AR)."""
    if current() == ARABIC:
        return getattr(settings, "SITE_NAME_AR", "") or settings.SITE_NAME
    return settings.SITE_NAME


def is_arabic_script(text: str) -> bool:
    return bool(_ARABIC_LETTER.search(text or ""))


def from_path(path: str) -> str:
    """The edition an address belongs to: `/ar/...` is Arabic, everything else English."""
    return ARABIC if path == f"/{ARABIC}" or path.startswith(f"/{ARABIC}/") else ENGLISH


@contextmanager
def override(language: str):
    """Run the block in `language`'s edition (its URLs, its strings, its lists)."""
    with translation.override(language):
        yield


def localized(instance, field: str):
    """`instance.<field>_ar` in the Arabic edition when it is filled in, else `<field>`: the
    shared records (people, organizations, roles) keep a second script beside the first."""
    if current() == ARABIC:
        value = getattr(instance, f"{field}_{ARABIC}", "")
        if value:
            return value
    return getattr(instance, field)


# Pages both editions have at the same address but for the prefix: each is the other's alternate.
SHARED_PAGES = {
    "articles:front_page",
    "articles:article_list",
    "articles:theme_list",
    "people:person_list",
    "people:person_detail",
    "people:organization_list",
    "people:organization_detail",
    "workflow:corrections",
}


def hreflang_links(urls: dict) -> list[dict]:
    """`<link rel="alternate" hreflang>` entries for one page in several languages (`urls`: a
    language's absolute address), with `x-default` on the English one, for templates and
    sitemaps. A page in one language only has none: there is nothing to choose between."""
    if len(urls) < 2:
        return []
    links = [{"hreflang": code, "url": urls[code]} for code in CODES if code in urls]
    default = urls.get(ENGLISH) or links[0]["url"]
    return [*links, {"hreflang": "x-default", "url": default}]


def alternates(page, translation) -> list[dict]:
    """The hreflang links of a page in one edition (an article) and its published translation."""
    if translation is None:
        return []
    return hreflang_links(
        {item.language: absolute(item.get_absolute_url()) for item in (page, translation)}
    )


def shared_page_alternates(request) -> list[dict]:
    """The hreflang links of a page both editions have (the front page, a person's page), the
    first page of a paginated list only: a later page of one edition is no other's."""
    match = getattr(request, "resolver_match", None)
    # Only ?page= is asked: a cached page's key is made of the parameters its view reads.
    if match is None or match.view_name not in SHARED_PAGES or request.GET.get("page", "1") != "1":
        return []
    urls = {}
    for code in CODES:
        with override(code):
            urls[code] = absolute(reverse(match.view_name, args=match.args, kwargs=match.kwargs))
    return hreflang_links(urls)


@functools.cache
def catalogue_version() -> str:
    """A digest of the compiled interface catalogues (every app's locale/*.mo): kept pages and
    fragments name it, so a deploy that changes only translations shows the new words."""
    folders = [Path(path) for path in settings.LOCALE_PATHS]
    folders += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    digest = hashlib.md5(usedforsecurity=False)
    for folder in folders:
        for catalogue in sorted(folder.glob("*/LC_MESSAGES/*.mo")):
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:12]


def desk_language(request) -> str:
    """The editor's chosen language for the desk: the one picked in the desk (Django's
    set_language view keeps it in a cookie), else the browser's preference, else English."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in CODES:
        return chosen
    preferred = translation.get_language_from_request(request)
    return ARABIC if preferred and preferred.split("-")[0] == ARABIC else ENGLISH


class EditionMiddleware:
    """Activates the edition of the address before the URL is resolved, in place of Django's
    LocaleMiddleware: a public page's language is its address and nothing else (no cookie, no
    Accept-Language, so no `Vary: Accept-Language` to split every cache), while the desk, outside
    the editions' URLs, follows the editor's choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_desk = request.path_info.startswith(DESK_PREFIX)
        language = desk_language(request) if in_desk else from_path(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        if in_desk:
            patch_vary_headers(response, ["Accept-Language"])
        return response
