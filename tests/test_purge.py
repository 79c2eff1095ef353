"""After an edit commits, the HTTP caches in front are told which surrogate keys it changed
(newsroom/invalidation/purge.py): one PURGE per cache with the keys and the shared secret,
retried when a cache fails, never sent for an edit that was rolled back."""

import logging

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
    assert "given up after 3 tries" in caplog.records[-1].getMessage()


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
