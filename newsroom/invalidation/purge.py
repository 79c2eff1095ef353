"""Purging the HTTP caches in front of the app (Varnish with xkey, a CDN) by surrogate key.

Pages go out with their keys in `Surrogate-Key` (keys.py). When an edit changes keys, and once it
is committed, every cache in settings.HTTP_CACHE_PURGE_URLS is sent

    PURGE <url>
    xkey-purge: article:12 articles all ...
    X-Purge-Secret: <settings.HTTP_CACHE_PURGE_SECRET>

which Varnish's xkey module answers by dropping every object carrying one of those keys (see the
stack's VCL). A purge is a courtesy, never a condition of the edit, but it is sent before the
save returns: the first try right after the commit, in the editor's request
(HTTP_CACHE_PURGE_FIRST_TIMEOUT, default 0.5 s: what a cache that is down can cost a save), so
that no reader asking after the save gets the old page from the cache (sent from a thread, it
left about a millisecond in which `make stack-load` found stale pages). Retries and the repeat run
in a daemon thread per cache, each request with a short timeout, each failure logged
(newsroom/retry.py). If every
try fails, the page's short `max-age` (PUBLIC_PAGE_MAX_AGE) bounds how long the cache can show it.

The same purge is sent once more a moment later (HTTP_CACHE_PURGE_AGAIN_AFTER): a page an app
server began rendering from the rows read just before the commit, and answered just after the
first purge, would otherwise be kept by the cache as if it were new.

Settings: HTTP_CACHE_PURGE_URLS (empty: nothing purged), HTTP_CACHE_PURGE_SECRET,
HTTP_CACHE_PURGE_TIMEOUT (seconds per request, default 2), HTTP_CACHE_PURGE_RETRY_DELAYS
(default (0.5, 2): three tries), HTTP_CACHE_PURGE_AGAIN_AFTER (seconds, default 2; 0: once).
"""

import logging
import threading
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from newsroom.retry import attempt

logger = logging.getLogger(__name__)


def caches() -> list[str]:
    return [url for url in getattr(settings, "HTTP_CACHE_PURGE_URLS", ()) or () if url]


def after_commit(names: Iterable[str], using: str) -> None:
    """Purge `names` at every configured cache once the current transaction commits."""
    if not caches():
        return
    names = sorted(set(names))
    transaction.on_commit(lambda: purge(names), using=using, robust=True)


def purge(names: list[str]) -> list[threading.Thread]:
    """Purge every cache: the first try at once, in the committing thread, so that the editor's
    save returns only once the caches have dropped the old pages (a reader sent right after it
    is never served one); retries and the repeat in a thread per cache (returned: tests join
    them)."""
    first = getattr(settings, "HTTP_CACHE_PURGE_FIRST_TIMEOUT", 0.5)
    threads = []
    for url in caches():
        try:
            send(url, names, first)
            done = True
        except Exception as error:  # the thread tries again
            logger.warning("Purging %d keys at %s failed (first try): %s", len(names), url, error)
            done = False
        threads.append(
            threading.Thread(target=purge_one, args=(url, names, done), name="purge", daemon=True)
        )
    for thread in threads:
        thread.start()
    return threads


def purge_one(url: str, names: list[str], sent: bool = False) -> bool:
    """Purge `names` at one cache (with retries, unless `sent` already), then once more after
    a moment."""
    done = sent or purge_with_retries(url, names)
    again = getattr(settings, "HTTP_CACHE_PURGE_AGAIN_AFTER", 2)
    if again:
        time.sleep(again)
        done = purge_with_retries(url, names) and done
    return done


def purge_with_retries(url: str, names: list[str]) -> bool:
    timeout = getattr(settings, "HTTP_CACHE_PURGE_TIMEOUT", 2)
    return attempt(
        lambda: send(url, names, timeout),
        delays=list(getattr(settings, "HTTP_CACHE_PURGE_RETRY_DELAYS", (0.5, 2))),
        logger=logger,
        what=f"Purging {len(names)} keys at {url}",
        gave_up="; cached copies expire with their max-age",
        extra={"cache": url, "keys": " ".join(names)},
    )


def send(url: str, names: list[str], timeout: float) -> None:
    request = urllib.request.Request(  # noqa: S310 - an address from the settings
        url,
        method="PURGE",
        headers={
            "xkey-purge": " ".join(names),
            "X-Purge-Secret": getattr(settings, "HTTP_CACHE_PURGE_SECRET", ""),
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        if response.status != 200:
            raise OSError(f"the cache answered HTTP {response.status}")
