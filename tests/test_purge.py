"""After an edit commits, the HTTP caches in front are told which surrogate keys it changed
(newsroom/invalidation/purge.py): one PURGE per cache with the keys and the shared secret,
retried when a cache fails, never sent for an edit that was rolled back."""

import logging
import threading
import time

import pytest
from django.db import transaction

from newsroom.invalidation import purge

from .factories import make_article
from .httpstub import StubServer

pytestmark = pytest.mark.django_db


def read_purge(handler) -> dict:
    return {
        "keys": handler.headers.get("xkey-purge", "").split(),
        "secret": handler.headers.get("X-Purge-Secret"),
    }


class Cache(StubServer):
    """A stand-in for Varnish: records each PURGE."""

    def __init__(self):
        super().__init__("PURGE", read_purge)

    @property
    def purges(self):
        return self.received


@pytest.fixture
def varnish(settings):
    cache = Cache()
    settings.HTTP_CACHE_PURGE_URLS = [cache.url]
    settings.HTTP_CACHE_PURGE_SECRET = "shared-secret"
    settings.HTTP_CACHE_PURGE_RETRY_DELAYS = (0, 0)
    settings.HTTP_CACHE_PURGE_AGAIN_AFTER = 0
    yield cache
    cache.stop()


def test_an_edit_purges_its_keys_once_committed(varnish, django_capture_on_commit_callbacks):
    story = make_article(headline="Before")
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "After"
        story.save()
        assert varnish.purges == []  # not before the commit
    (sent,) = varnish.wait_for(1)
    assert {f"article:{story.pk}", "search", "all"} <= set(sent["keys"])
    assert sent["secret"] == "shared-secret"


def test_every_configured_cache_is_purged(varnish, settings, django_capture_on_commit_callbacks):
    other = Cache()
    settings.HTTP_CACHE_PURGE_URLS = [varnish.url, other.url]
    try:
        story = make_article()
        with django_capture_on_commit_callbacks(execute=True):
            story.save()
        assert varnish.wait_for(1) and other.wait_for(1)
    finally:
        other.stop()


def test_a_rolled_back_edit_purges_nothing(varnish, django_capture_on_commit_callbacks):
    story = make_article()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        story.headline = "Never saved"
        story.save()
        raise RuntimeError
    assert callbacks == []
    assert varnish.purges == []


def test_a_failing_cache_is_retried_and_each_failure_logged(varnish, caplog):
    varnish.statuses = [503, 200]
    with caplog.at_level(logging.WARNING, logger="newsroom.invalidation.purge"):
        assert purge.purge_one(varnish.url, ["article:1", "all"]) is True
    assert [p["status"] for p in varnish.purges] == [503, 200]
    (failure,) = caplog.records
    assert "503" in failure.getMessage() and "try 1 of 3" in failure.getMessage()


def test_a_cache_that_keeps_failing_is_given_up(varnish, caplog):
    varnish.statuses = [500]
    with caplog.at_level(logging.WARNING, logger="newsroom.invalidation.purge"):
        assert purge.purge_one(varnish.url, ["all"]) is False
    assert len(varnish.purges) == 3
    assert (
        caplog.records[-1]
        .getMessage()
        .endswith("given up after 3 tries; cached copies expire with their max-age")
    )  # what the operator needs to know next


def test_the_purge_is_sent_again_a_moment_later(varnish, settings):
    """A page rendered from rows read just before the commit, fetched by the cache just after the
    first purge, goes with the second."""
    settings.HTTP_CACHE_PURGE_AGAIN_AFTER = 0.05
    assert purge.purge_one(varnish.url, ["article:1", "all"]) is True
    first, second = varnish.wait_for(2)
    assert first["keys"] == second["keys"] == ["article:1", "all"]


def test_without_caches_configured_nothing_is_sent(settings, django_capture_on_commit_callbacks):
    settings.HTTP_CACHE_PURGE_URLS = []
    story = make_article()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.save()
    assert callbacks == []


def test_the_purge_names_each_key_once_in_order(varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        purge.after_commit(["search", "article:2", "all", "search"], "default")
    (sent,) = varnish.wait_for(1)
    assert sent["keys"] == ["all", "article:2", "search"]


def test_a_blank_cache_address_is_skipped(varnish, settings):
    settings.HTTP_CACHE_PURGE_URLS = ["", varnish.url, None]
    for thread in purge.purge(["all"]):
        thread.join(5)
    assert len(varnish.purges) == 1


def test_a_purge_the_cache_took_at_once_is_not_sent_twice(varnish):
    threads = purge.purge(["article:1", "all"])
    for thread in threads:
        thread.join(5)
    assert [p["status"] for p in varnish.purges] == [200]
    assert all(thread.daemon for thread in threads)  # a hanging cache never holds up a shutdown


def test_a_first_try_that_failed_is_retried_in_the_background(varnish):
    varnish.statuses = [503, 200]
    for thread in purge.purge(["all"]):
        thread.join(5)
    assert [p["status"] for p in varnish.purges] == [503, 200]


def test_a_cache_that_hangs_costs_the_save_only_the_first_timeout(varnish, settings):
    settings.HTTP_CACHE_PURGE_FIRST_TIMEOUT = 0.05
    settings.HTTP_CACHE_PURGE_TIMEOUT = 0.05
    settings.HTTP_CACHE_PURGE_RETRY_DELAYS = ()
    varnish.release = threading.Event()
    started = time.monotonic()
    threads = purge.purge(["all"])
    assert time.monotonic() - started < 2
    for thread in threads:
        thread.join(5)
    assert not any(thread.is_alive() for thread in threads)


def test_a_repeat_that_fails_says_the_purge_failed(varnish, settings):
    settings.HTTP_CACHE_PURGE_AGAIN_AFTER = 0.01
    varnish.statuses = [200, 500]
    assert purge.purge_one(varnish.url, ["all"]) is False


def test_without_a_secret_configured_the_purge_carries_an_empty_one(varnish, settings):
    del settings.HTTP_CACHE_PURGE_SECRET
    purge.send(varnish.url, ["all"], 2)
    (sent,) = varnish.wait_for(1)
    assert sent["secret"] == ""


def test_an_answer_other_than_ok_is_a_failure(varnish):
    varnish.statuses = [204]
    with pytest.raises(OSError, match="204"):
        purge.send(varnish.url, ["all"], 2)


def timings(monkeypatch):
    """What the purge waits for and pauses, without sending or sleeping."""
    timeouts, retries, pauses = [], [], []
    monkeypatch.setattr(purge, "send", lambda url, names, timeout: timeouts.append(timeout))
    monkeypatch.setattr(purge.time, "sleep", pauses.append)

    def attempt(action, *, delays, logger, what, gave_up, extra):
        retries.append(delays)
        action()
        return True

    monkeypatch.setattr(purge, "attempt", attempt)
    return timeouts, retries, pauses


def test_the_timings_come_from_the_settings(varnish, settings, monkeypatch):
    settings.HTTP_CACHE_PURGE_FIRST_TIMEOUT = 0.1
    settings.HTTP_CACHE_PURGE_TIMEOUT = 0.3
    settings.HTTP_CACHE_PURGE_RETRY_DELAYS = (1,)
    settings.HTTP_CACHE_PURGE_AGAIN_AFTER = 4
    timeouts, retries, pauses = timings(monkeypatch)
    for thread in purge.purge(["all"]):
        thread.join(5)
    assert timeouts == [0.1, 0.3] and retries == [[1]] and pauses == [4]


def test_the_default_timings(varnish, settings, monkeypatch):
    """0.5 s for the try in the editor's request, 2 s for each later one, retried after 0.5 and
    2 s, and repeated after 2 s."""
    for name in ("FIRST_TIMEOUT", "TIMEOUT", "RETRY_DELAYS", "AGAIN_AFTER"):
        if hasattr(settings, f"HTTP_CACHE_PURGE_{name}"):
            delattr(settings, f"HTTP_CACHE_PURGE_{name}")
    timeouts, retries, pauses = timings(monkeypatch)
    for thread in purge.purge(["all"]):
        thread.join(5)
    assert timeouts == [0.5, 2] and retries == [[0.5, 2]] and pauses == [2]
    assert purge.purge_one(varnish.url, ["all"]) is True
    assert timeouts[2:] == [2, 2] and retries[1:] == [[0.5, 2], [0.5, 2]]


def test_each_failure_is_logged_with_the_cache_and_the_keys(varnish, caplog):
    varnish.statuses = [500]
    with caplog.at_level(logging.WARNING, logger="newsroom.invalidation.purge"):
        purge.purge_with_retries(varnish.url, ["article:1", "all"])
    first = caplog.records[0]
    assert varnish.url in first.getMessage() and "2 keys" in first.getMessage()
    assert (first.cache, first.keys, first.attempt) == (varnish.url, "article:1 all", 1)
    assert caplog.records[-1].cache == varnish.url


def test_the_first_try_is_made_before_the_save_returns(varnish):
    threads = purge.purge(["article:1", "all"])
    assert [p["keys"] for p in varnish.purges] == [["article:1", "all"]]  # not left to a thread
    for thread in threads:
        thread.join(5)


def test_a_first_try_that_failed_is_logged_with_the_cache_and_the_reason(varnish, caplog):
    varnish.statuses = [503, 200]
    with caplog.at_level(logging.WARNING, logger="newsroom.invalidation.purge"):
        for thread in purge.purge(["all"]):
            thread.join(5)
    message = caplog.records[0].getMessage()
    assert varnish.url in message and "503" in message and "first try" in message


def test_a_site_without_the_setting_purges_nothing(settings):
    del settings.HTTP_CACHE_PURGE_URLS
    assert purge.caches() == []
