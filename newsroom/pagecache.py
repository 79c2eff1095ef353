"""Caching of public pages that is never stale.

Anonymous readers' responses of the public pages (see `public_page`) are kept in the `default`
cache. Nothing expires them by guesswork:

- Each entry remembers what the page shows, as surrogate keys ("article:12", "theme-list:3",
  "search": newsroom/invalidation/keys.py), and when it was rendered, as a reading of the
  database's change clock. An edit stamps the keys it changes in the database, in its own
  transaction; an entry whose keys changed since it was rendered is stale and rendered again.
  So an edit replaces only the pages that show what changed, and it is seen by every process
  reading the database, whatever cache each was configured with (a script run with the default
  settings, a server on Redis, a Redis that lost writes in an outage).
- A scheduled article changes pages with nobody saving anything, so no entry outlives the next
  scheduled publication (`next_publication()`: the moments the content apps register, cached
  until the clock moves). Entries carry that moment and are refused after it.

Signed-in users (editors previewing drafts) bypass the cache entirely and get `private, no-cache`;
responses are stored only for anonymous GET/HEAD requests answered 200 without cookies, a session
or a CSRF token, so the public never receives a page made for someone else.

Every stored page has an ETag (a hash of its bytes) and a Last-Modified (when it was rendered),
so browsers and CDNs revalidate with a 304, and `Surrogate-Key`/`Cache-Tag` headers holding its
keys, so an HTTP cache in front can purge by key. `Cache-Control: public, max-age=...` is short
(PUBLIC_PAGE_MAX_AGE): it is how long a browser or CDN may keep a page without asking.
`X-Cache: hit` or `miss` says whether this process served it from its cache.

Serving a stored page costs one indexed query (did any of its keys change?) and no rendering.
Several processes share pages only if they share the cache (Redis through CACHE_URL in
production, or else a file cache shared by one machine's workers); they agree on what is stale in
any case.

Settings: PUBLIC_PAGE_CACHE (default True; False renders every page, for measuring),
PUBLIC_PAGE_CACHE_TIMEOUT (seconds an entry may live, default 6 hours),
PUBLIC_PAGE_MAX_AGE (browsers and CDNs, default 60 seconds).
"""

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.http import http_date

from newsroom import editions
from newsroom.compression import choose, compressed_forms
from newsroom.invalidation import keys
from newsroom.queryparams import EVERYTHING, RecordingQueryDict, restricted

PREFIX = "public:v2"
SAFE_METHODS = ("GET", "HEAD")
VARY = ("Cookie", "Accept-Encoding")


def setting(name, default):
    return getattr(settings, name, default)


# Data cached until what it shows changes ------------------------------------------------------


# What tells the cache when pages next change by themselves. The cache knows no app: the content
# apps register their scheduled moments here (articles/apps.py), each a function returning the
# earliest future moment (or None).
SCHEDULES = []


def register_schedule(next_moment) -> None:
    """Add a source of scheduled moments: `next_moment()` returns the next one, or None."""
    if next_moment not in SCHEDULES:
        SCHEDULES.append(next_moment)


def next_publication(seen=None) -> datetime | None:
    """When the next scheduled article or correction appears: the first moment public pages
    change with nobody saving anything. Cached until then, or until the clock (`seen`, read just
    before, or now) moves: a change may have scheduled something sooner."""
    seen = seen or keys.clock()
    key = f"{PREFIX}:next-publication:{seen[1]}:{seen[0]}"
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


def remember(name: str, compute, *shown: str):
    """`compute()`'s value, cached until something it shows changes (`shown`: the lists it is
    drawn from; the instances it builds are tracked) or the next article goes live. For what
    several pages show and is costly to work out (theme counts). The page using it shows the
    same keys."""
    # Each edition its own: the same name counts another language's stories there.
    key = f"{PREFIX}:remember:{editions.current()}:{name}"
    entry = cache.get(key)
    # Inside a page being rendered, the clock read just before it serves: a value remembered at
    # that same count is fresh, and a new one is stamped with it.
    page = _rendering.get()
    if entry is not None and not (
        entry_is_fresh(entry) and page and entry["seen"] == page[0] or usable(entry)
    ):
        entry = None
    if entry is None:
        seen, until = page if page else (seen := keys.clock(), next_publication(seen))
        with keys.collecting() as names:
            keys.shows(*shown)
            value = compute()
        entry = {"value": value, "until": until, "seen": seen, "keys": keys.page_keys(names)}
        if seconds_until(until):
            cache.set(key, entry, seconds_until(until))
    keys.shows(*entry["keys"])
    return entry["value"]


def entry_is_fresh(entry) -> bool:
    """Not past the next scheduled publication it was rendered before."""
    return entry["until"] is None or timezone.now() < entry["until"]


def usable(entry) -> bool:
    """Neither past its time nor showing anything changed since it was rendered."""
    return entry_is_fresh(entry) and "seen" in entry and keys.fresh(entry["keys"], entry["seen"])


# Whole pages --------------------------------------------------------------------------------


def page_key(request, query: str, variant: str = "") -> str:
    """The entry of this address with the (restricted, canonical) query string `query`."""
    where = f"{request.get_host()}{request.path}?{query}" + (f"\n{variant}" if variant else "")
    where += f"\n{editions.catalogue_version()}"  # new translations, new pages
    address = hashlib.md5(where.encode()).hexdigest()  # noqa: S324 - a cache key, not security
    return f"{PREFIX}:page:{address}"


def names_key(request) -> str:
    """Where the query parameters this address's view was last seen reading are noted."""
    where = f"{request.get_host()}{request.path}"
    address = hashlib.md5(where.encode()).hexdigest()  # noqa: S324 - a cache key, not security
    return f"{PREFIX}:reads:{address}"


@dataclass
class Rendering:
    """A response rendered for the cache, and what decides how long it may be kept: the clock
    and the next publication read before it was rendered, and the keys of what it shows."""

    response: HttpResponse
    reads: frozenset
    seen: tuple
    until: datetime | None
    keys: list


# The clock reading and next publication of the page being rendered ([seen, until]), for
# remember() and changes_at().
_rendering: ContextVar[list | None] = ContextVar("rendering", default=None)


def changes_at(moment: datetime | None) -> None:
    """Say that the page being rendered changes by itself at `moment` (a time window it lists,
    such as the News sitemap's two days): it is not kept past it."""
    page = _rendering.get()
    if page is not None and moment is not None and (page[1] is None or moment < page[1]):
        page[1] = moment


def render_with(view, request, query, args, kwargs) -> Rendering:
    """The view's response to `request` with only `query` as its query string (None: its own),
    the names of the parameters it read (see newsroom/queryparams.py) and what it shows."""
    # Read before rendering: a page rendered from rows read just before an edit committed, or
    # just before a scheduled time, must not be kept as if it were rendered after.
    seen = keys.clock()
    until = next_publication(seen)
    real = request.GET, request.META.get("QUERY_STRING", "")
    given = real[0].urlencode() if query is None else query
    request.GET = recorder = RecordingQueryDict(given, encoding=real[0].encoding)
    if query is not None:
        request.META["QUERY_STRING"] = query
    page = [seen, until]
    token = _rendering.set(page)
    try:
        with keys.collecting() as shown:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
    finally:
        request.GET, request.META["QUERY_STRING"] = real
        _rendering.reset(token)
    asked = frozenset(recorder.asked)
    return Rendering(response, asked, seen, page[1], keys.page_keys(shown))


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
    headers (its surrogate keys among them), and its validators."""
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


def public_page(view=None, *, variant=None, shows=()):
    """Cache a public view's anonymous responses; see this module's docstring.

    `variant(request)`, when given, names which of several representations of one address the
    request asked for (e.g. JSON or ninjs, negotiated on Accept): each is kept apart. The view
    then sends `Vary` for what it negotiated on. `shows`: keys of lists every response of the
    view shows, for a view that does not say so itself (keys.shows)."""
    if view is None:
        return lambda view: public_page(view, variant=variant, shows=shows)
    if shows:
        view = showing(view, shows)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        return serve(view, variant, request, args, kwargs)

    return cached_view


def serve(view, variant, request, args, kwargs):
    """The response `public_page` gives: an editor's private and rendered for them, a reader's
    from the cache (or rendered and kept), with its validators, max-age and Vary."""
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
        # Measuring: rendered as a page missing from the cache is, and not kept.
        response = render_with(view, request, None, args, kwargs).response
        if not storable(request, response):
            patch_vary_headers(response, VARY)
            return response
        entry = freeze(response, None, compress=False)  # measuring: nothing kept
    else:
        response, entry, hit = cached_response(view, request, args, kwargs, variant)
        response["X-Cache"] = "hit" if hit else "miss"
        if entry is None:
            patch_vary_headers(response, VARY)
            return response

    max_age = setting("PUBLIC_PAGE_MAX_AGE", 60)
    if entry["until"] is not None:
        max_age = min(max_age, seconds_until(entry["until"]))
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, VARY)
    etag = entry["etag"]
    encoding = choose(request.META.get("HTTP_ACCEPT_ENCODING", ""), entry["encoded"])
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


def showing(view, names):
    @wraps(view)
    def view_showing(request, *args, **kwargs):
        keys.shows(*names)
        return view(request, *args, **kwargs)

    return view_showing


def cached_response(view, request, args, kwargs, variant):
    """(response, entry, hit): the stored page for this request, or a fresh one stored; entry
    None when the response may not be stored. Keyed only on the query parameters the view reads:
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
        reads = entry.get("reads") if entry is not None else None
        if reads is not None:
            if restricted(request.GET, reads) != restricted(QueryDict(query), reads):
                names = learn(request, names, reads)
                continue
            if usable(entry):
                return thaw(entry), entry, True
        rendering = render_with(view, request, query, args, kwargs)
        if restricted(request.GET, names | rendering.reads) != query:
            # It read one this request has and it lacked.
            names = learn(request, names, rendering.reads)
            continue
        learn(request, names, rendering.reads)
        return (*keep(request, rendering, key, replacing=entry), False)
    # What the view reads is not known yet (a new page, or forgotten): answer the request as it
    # came, and learn. Kept only when the view read every parameter it came with: others could
    # be in the page's links, and must not reach other readers.
    rendering = render_with(view, request, None, args, kwargs)
    names = learn(request, names, rendering.reads)
    everything = restricted(request.GET, {EVERYTHING})
    if restricted(request.GET, names) != everything:
        return rendering.response, None, False
    return (*keep(request, rendering, page_key(request, everything, kind)), False)


def learn(request, names, reads) -> frozenset:
    """Note that this address's view reads `reads` too; the names known now."""
    known = frozenset(names or ()) | reads
    if known != names:
        cache.set(names_key(request), known, seconds_until(None))
    return known


def keep(request, rendering: Rendering, key, replacing=None):
    """Store a fresh response under `key`, with its surrogate keys, the clock it was rendered at
    and the names its rendering read, if it may be. `replacing`: the stale entry it replaces,
    whose Last-Modified it must come after (HTTP dates are whole seconds: a page changed within
    the second it was rendered would otherwise answer If-Modified-Since with a 304)."""
    response = rendering.response
    if not storable(request, response):
        return response, None
    for name, value in keys.headers(rendering.keys).items():
        response[name] = value
    frozen = freeze(response, rendering.until)
    changed = replacing and replacing.get("etag") != frozen["etag"]
    if changed and replacing.get("rendered_at", 0) >= frozen["rendered_at"]:
        frozen["rendered_at"] = replacing["rendered_at"] + 1
    entry = {
        **frozen,
        "reads": rendering.reads,
        "seen": rendering.seen,
        "keys": rendering.keys,
    }
    if seconds_until(rendering.until):
        cache.set(key, entry, seconds_until(rendering.until))
    return response, entry


public_page_view = method_decorator(public_page, name="dispatch")
"""The same, for class-based views: `@public_page_view class ThemeListView(ListView): ...`"""
