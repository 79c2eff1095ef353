"""WebSub (W3C Recommendation, 2018): tell a hub that feeds changed, so that feed readers and
aggregators subscribed through it hear of a new story in seconds instead of at their next poll.

Feeds declare the hub (`<link rel="hub">`) when settings.WEBSUB_HUB_URL is set; the content apps
call `publish(feed_urls)` after a commit that changed those feeds. The ping is a courtesy to
subscribers, never a condition of the edit: it runs in a daemon thread, each POST has a short
timeout, a failure is retried a few times with a growing pause, and each failure and the final
giving up are logged. A subscriber whose hub never heard still sees the story at its next poll.

Settings: WEBSUB_HUB_URL (empty: no hub, no pings), WEBSUB_TIMEOUT (seconds per POST, default 5),
WEBSUB_RETRY_DELAYS (the pauses before each retry, default (1, 4): three tries in all).

This module knows no app: it is handed absolute feed addresses.
"""

import logging
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence

from django.conf import settings

from newsroom.retry import attempt

logger = logging.getLogger(__name__)

USER_AGENT = "Newsroom WebSub publisher"


def hub_url() -> str:
    """The configured hub's address, or "" when there is none (or it is not http(s))."""
    hub = (getattr(settings, "WEBSUB_HUB_URL", "") or "").strip()
    if hub and urllib.parse.urlsplit(hub).scheme not in ("http", "https"):
        logger.warning("WEBSUB_HUB_URL %r is not an http(s) address; no WebSub pings", hub)
        return ""
    return hub


def publish(feed_urls: Iterable[str]) -> threading.Thread | None:
    """Ping the hub about `feed_urls`, in the background. Returns the thread (tests join it), or
    None when there is no hub or nothing to announce."""
    hub = hub_url()
    urls = list(dict.fromkeys(feed_urls))
    if not hub or not urls:
        return None
    thread = threading.Thread(target=ping, args=(hub, urls), name="websub-ping", daemon=True)
    thread.start()
    return thread


def ping(hub: str, feed_urls: Sequence[str]) -> bool:
    """Send one publish notification per feed (hubs differ on several `hub.url`s in one POST),
    each with its retries. True when the hub accepted them all."""
    results = [ping_one(hub, url) for url in feed_urls]  # every feed, even after a failure
    return all(results)


def ping_one(hub: str, feed_url: str) -> bool:
    timeout = getattr(settings, "WEBSUB_TIMEOUT", 5)
    return attempt(
        lambda: send(hub, feed_url, timeout),
        delays=list(getattr(settings, "WEBSUB_RETRY_DELAYS", (1, 4))),
        logger=logger,
        what=f"WebSub ping to {hub} for {feed_url}",
        gave_up="; subscribers will see the change at their next poll",
        extra={"hub": hub, "feed": feed_url},
    )


def send(hub: str, feed_url: str, timeout: float) -> None:
    """One publish notification (WebSub §7): a form POST; the hub answers 2xx when it accepts."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    request = urllib.request.Request(  # noqa: S310 - hub_url() allows http(s) only
        hub,
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise OSError(f"the hub answered HTTP {response.status}")
