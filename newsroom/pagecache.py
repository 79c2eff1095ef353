"""Caching of public pages that is never stale.

Anonymous readers' responses of the public pages (see `public_page`) are kept in the `default`
cache. Nothing expires them by guesswork:

- Every cache key holds the *content generation*, a token replaced whenever an editor saves or
  deletes anything a public page shows (articles, their themes, quotes, corrections and mentions,
  themes, people, organizations, roles: see articles/signals.py). A new token makes every old entry
  unreachable at once; the cache drops them as it needs room.
- A scheduled article changes pages with nobody saving anything, so no entry outlives the next
  scheduled publication (`next_publication()`: the moments the content apps register, itself
  cached under the generation). Entries carry that moment and are refused after it, whatever
  the cache's own clock.

Signed-in users (editors previewing drafts) bypass the cache entirely and get `private, no-cache`;
responses are stored only for anonymous GET/HEAD requests answered 200 without cookies, a session
or a CSRF token, so the public never receives a page made for someone else.

Every stored page has an ETag (a hash of its bytes) and a Last-Modified (when it was rendered),
so browsers and CDNs revalidate with a 304. `Cache-Control: public, max-age=...` is short
(PUBLIC_PAGE_MAX_AGE): it is how long a browser or CDN may keep a page without asking.

The generation lives in the `default` cache, so it is shared exactly as widely as that cache is:
several processes need a shared cache for one process's edits to reach the others' pages: the
production settings use Redis through CACHE_URL, or else a file cache shared by one machine's
workers. When Redis comes back after an outage, the generation is replaced (edits made during the
outage could not replace it).

Settings: PUBLIC_PAGE_CACHE (default True; False renders every page, for measuring),
PUBLIC_PAGE_CACHE_TIMEOUT (seconds an entry may live, default 6 hours),
PUBLIC_PAGE_MAX_AGE (browsers and CDNs, default 60 seconds).
"""

import hashlib
import uuid
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.http import http_date

from newsroom.cache import cache_recovered
from newsroom.compression import choose, compressed_forms
from newsroom.queryparams import EVERYTHING, RecordingQueryDict, restricted

GENERATION_KEY = "public:generation"
SAFE_METHODS = ("GET", "HEAD")
VARY = ("Cookie", "Accept-Encoding")


def setting(name, default):
    return getattr(settings, name, default)


# The content generation ---------------------------------------------------------------------


def content_generation() -> str:
    """The current token. A missing one (first request, evicted) is replaced by a brand-new token,
    never a reused one, so an entry written under an old token can never come back."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    return generation


def new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


@receiver(cache_recovered)
def forget_pages_cached_before_an_outage(sender, **kwargs):
    """Edits made while the cache was down could not replace the generation; replace it now."""
    new_generation()


# Data cached under the generation -----------------------------------------------------------


# What tells the cache when pages next change by themselves. The cache knows no app: the content
# apps register their scheduled moments here (articles/apps.py), each a function returning the
# earliest future moment (or None).
SCHEDULES = []


def register_schedule(next_moment) -> None:
    """Add a source of scheduled moments: `next_moment()` returns the next one, or None."""
    if next_moment not in SCHEDULES:
        SCHEDULES.append(next_moment)


def next_publication() -> datetime | None:
    """When the next scheduled article or correction appears, cached under the generation until
    then: the first moment public pages change with nobody saving anything."""
    key = f"public:{content_generation()}:next-publication"
    entry = cache.get(key)
    if entry is None or (entry["at"] is not None and timezone.now() >= entry["at"]):
        moments = [moment for source in SCHEDULES if (moment := source()) is not None]
        entry = {"at": min(moments, default=None)}
        cache.set(key, entry, seconds_until(entry["at"]))
    return entry["at"]


def seconds_until(moment: datetime | None) -> int:
    """An entry's lifetime: the configured one, cut short by `moment` (the next publication)."""
    limit = setting("PUBLIC_PAGE_CACHE_TIMEOUT", 6 * 60 * 60)
    if moment is None:
        return limit
    return max(0, min(limit, int((moment - timezone.now()).total_seconds())))


def remember(name: str, compute):
    """`compute()`'s value, cached until the content changes or the next article goes live.
    For what several pages show and is costly to work out (theme counts)."""
    until = next_publication()
    key = f"public:{content_generation()}:{name}"
    entry = cache.get(key)
    if entry is None or not entry_is_fresh(entry):
        entry = {"value": compute(), "until": until}
        if seconds_until(until):
            cache.set(key, entry, seconds_until(until))
    return entry["value"]


def entry_is_fresh(entry) -> bool:
    return entry["until"] is None or timezone.now() < entry["until"]


# Whole pages --------------------------------------------------------------------------------


def page_key(request, query: str, variant: str = "") -> str:
    """The entry of this address with the (restricted, canonical) query string `query`."""
    where = f"{request.get_host()}{request.path}?{query}" + (f"\n{variant}" if variant else "")
    address = hashlib.md5(where.encode()).hexdigest()  # noqa: S324 - a cache key, not security
    return f"public:{content_generation()}:page:{address}"


def names_key(request) -> str:
    """Where the query parameters this address's view was last seen reading are noted."""
    where = f"{request.get_host()}{request.path}"
    address = hashlib.md5(where.encode()).hexdigest()  # noqa: S324 - a cache key, not security
    return f"public:{content_generation()}:reads:{address}"


def render_with(view, request, query, args, kwargs):
    """The view's response to `request` with only `query` as its query string (None: its own),
    and the names of the parameters it read (see newsroom/queryparams.py)."""
    real = request.GET, request.META.get("QUERY_STRING", "")
    given = real[0].urlencode() if query is None else query
    request.GET = recorder = RecordingQueryDict(given, encoding=real[0].encoding)
    if query is not None:
        request.META["QUERY_STRING"] = query
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        request.GET, request.META["QUERY_STRING"] = real
    return response, frozenset(recorder.asked)


def storable(request, response) -> bool:
    """Only what any anonymous reader would get: a plain 200 that sets nothing for this client."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and "private" not in response.get("Cache-Control", "")
        and "no-cache" not in response.get("Cache-Control", "")
        # A page with a CSRF token in it is one reader's page (the cookie is added later).
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


def freeze(response, until, compress=True) -> dict:
    """What the cache keeps of a response: its bytes (and compressed forms of them), its own
    headers, and its validators."""
    content_type = response.get("Content-Type", "")
    return {
        "status": response.status_code,
        "headers": list(response.headers.items()),
        "content": response.content,
        "encoded": compressed_forms(response.content, content_type) if compress else {},
        "etag": '"' + hashlib.md5(response.content).hexdigest() + '"',  # noqa: S324
        "rendered_at": int(timezone.now().timestamp()),
        "until": until,
    }


def thaw(entry) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def public_page(view=None, *, variant=None):
    """Cache a public view's anonymous responses; see this module's docstring.

    `variant(request)`, when given, names which of several representations of one address the
    request asked for (e.g. JSON or ninjs, negotiated on Accept): each is kept apart. The view
    then sends `Vary` for what it negotiated on."""
    if view is None:
        return lambda view: public_page(view, variant=variant)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        if request.user.is_authenticated:
            # Editors see drafts and previews: nothing cached is served to them, nothing they
            # are served is cached, and neither is a browser or proxy allowed to keep it.
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, VARY)
            return response

        if not setting("PUBLIC_PAGE_CACHE", True):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if not storable(request, response):
                patch_vary_headers(response, VARY)
                return response
            entry = freeze(response, None, compress=False)  # measuring: nothing kept
        else:
            response, entry = cached_response(view, request, args, kwargs, variant)
            if entry is None:
                patch_vary_headers(response, VARY)
                return response

        max_age = setting("PUBLIC_PAGE_MAX_AGE", 60)
        if entry["until"] is not None:
            max_age = min(max_age, seconds_until(entry["until"]))
        patch_cache_control(response, public=True, max_age=max_age)
        patch_vary_headers(response, VARY)
        etag = entry["etag"]
        encoding = choose(request.META.get("HTTP_ACCEPT_ENCODING", ""), entry.get("encoded", {}))
        if encoding:
            response.content = entry["encoded"][encoding]
            response["Content-Encoding"] = encoding
            response["Content-Length"] = str(len(response.content))
            etag = f'{etag[:-1]}-{encoding}"'  # another representation, another strong tag
        response["ETag"] = etag
        response["Last-Modified"] = http_date(entry["rendered_at"])
        return get_conditional_response(
            request, etag=etag, last_modified=entry["rendered_at"], response=response
        )

    return cached_view


def cached_response(view, request, args, kwargs, variant):
    """(response, entry): the stored page for this request, or a fresh one stored; entry None
    when the response may not be stored. Keyed only on the query parameters the view reads:
    an entry is served only to a request that agrees with it on every one its rendering read."""
    kind = variant(request) if variant else ""
    # Without a query string, what the view reads cannot change the key: skip looking it up.
    names = cache.get(names_key(request)) if request.GET else frozenset()
    for _ in range(3):
        if names is None:
            break
        query = restricted(request.GET, names)
        key = page_key(request, query, kind)
        entry = cache.get(key)
        reads = entry.get("reads") if entry is not None and entry_is_fresh(entry) else None
        if reads is not None:
            if restricted(request.GET, reads) == restricted(QueryDict(query), reads):
                return thaw(entry), entry
            names = learn(request, names, reads)
            continue
        # Read before rendering: a page rendered just before a scheduled time must not be
        # kept past it because the time was looked up just after.
        until = next_publication()
        response, reads = render_with(view, request, query, args, kwargs)
        if restricted(request.GET, names | reads) != query:
            names = learn(request, names, reads)  # it read one this request has and it lacked
            continue
        learn(request, names, reads)
        return keep(request, response, until, reads, key)
    # What the view reads is not known yet (a new page, a new generation): answer the request
    # as it came, and learn. Kept only when the view read every parameter it came with: others
    # could be in the page's links, and must not reach other readers.
    until = next_publication()
    response, reads = render_with(view, request, None, args, kwargs)
    names = learn(request, names, reads)
    everything = restricted(request.GET, {EVERYTHING})
    if restricted(request.GET, names) != everything:
        return response, None
    return keep(request, response, until, reads, page_key(request, everything, kind))


def learn(request, names, reads) -> frozenset:
    """Note that this address's view reads `reads` too; the names known now."""
    known = frozenset(names or ()) | reads
    if known != names:
        cache.set(names_key(request), known, seconds_until(None))
    return known


def keep(request, response, until, reads, key):
    """Store a fresh response under `key` (with the names its rendering read), if it may be."""
    if not storable(request, response):
        return response, None
    entry = {**freeze(response, until), "reads": reads}
    if seconds_until(until):
        cache.set(key, entry, seconds_until(until))
    return response, entry


public_page_view = method_decorator(public_page, name="dispatch")
"""The same, for class-based views: `@public_page_view class ThemeListView(ListView): ...`"""
