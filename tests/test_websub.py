"""WebSub: publishing a story tells the hub, after the commit, about the feeds it appears in; a
failed ping is logged and retried and never holds up or fails the editor's save.

The hub is a real HTTP server on 127.0.0.1 (http.server in a thread), answering as each test says.
"""

import logging
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from newsroom import retry, websub

from .factories import make_article, make_draft, make_scheduled, make_theme
from .httpstub import StubServer

pytestmark = pytest.mark.django_db


def read_ping(handler) -> dict:
    length = int(handler.headers.get("Content-Length", 0))
    form = parse_qs(handler.rfile.read(length).decode())
    return {"form": form, "type": handler.headers["Content-Type"]}


class Hub(StubServer):
    """Records each POST (a publish notification); answers 204 unless told otherwise."""

    def __init__(self):
        super().__init__("POST", read_ping, path="/hub")
        self.statuses = [204]

    @property
    def pings(self):
        return self.received

    def feeds(self):
        return [ping["form"]["hub.url"][0] for ping in self.pings]


@pytest.fixture
def hub(settings):
    hub = Hub()
    settings.WEBSUB_HUB_URL = hub.url
    settings.WEBSUB_RETRY_DELAYS = (0, 0)
    settings.WEBSUB_TIMEOUT = 2
    yield hub
    hub.stop()


def publish_story(capture, **fields):
    """Save a published story with a theme, as the desk does (article, then its themes), in a
    transaction that commits at the end of the block, and run what waits for the commit."""
    with capture(execute=True) as callbacks:
        story = make_article(**fields)
        story.themes.add(make_theme(name="Child protection"))
    return story, callbacks


def test_publishing_a_story_pings_the_hub_for_its_feeds_after_the_commit(
    hub, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article().themes.add(make_theme(name="Child protection"))
        time.sleep(0.2)
        assert hub.pings == []  # nothing before the commit
    hub.wait_for(2)
    assert sorted(hub.feeds()) == [
        settings.SITE_URL + "/feed/",
        settings.SITE_URL + "/themes/child-protection/feed/",
    ]
    for ping in hub.pings:
        assert ping["form"]["hub.mode"] == ["publish"]
        assert ping["type"] == "application/x-www-form-urlencoded"


def test_an_edit_of_a_published_story_pings_again(hub, django_capture_on_commit_callbacks):
    story = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Corrected headline"
        story.save()
    assert len(hub.wait_for(1)) == 1


def test_a_rolled_back_save_pings_nothing(hub, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_article()
        raise RuntimeError("the editor's save failed")
    assert callbacks == []
    time.sleep(0.2)
    assert hub.pings == []


@pytest.mark.parametrize("make", [make_draft, make_scheduled], ids=["draft", "scheduled"])
def test_a_story_readers_cannot_see_pings_nothing(hub, django_capture_on_commit_callbacks, make):
    with django_capture_on_commit_callbacks(execute=True):
        make()
    time.sleep(0.2)
    assert hub.pings == []


def test_loading_a_fixture_pings_nothing(hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", "conference", verbosity=0)
    time.sleep(0.2)
    assert hub.pings == []


def test_without_a_hub_nothing_is_sent(settings, django_capture_on_commit_callbacks):
    settings.WEBSUB_HUB_URL = ""
    with django_capture_on_commit_callbacks() as callbacks:
        make_article()
    assert websub.hub_url() == ""
    assert websub.publish(["http://127.0.0.1:8000/feed/"]) is None
    assert all("websub" not in repr(callback.__code__) for callback in callbacks)


def test_a_failed_ping_is_logged_and_retried(hub, caplog, settings):
    hub.statuses = [503, 204]
    with caplog.at_level(logging.WARNING, logger="newsroom.websub"):
        assert websub.ping(hub.url, [settings.SITE_URL + "/feed/"]) is True
    assert hub.feeds() == [settings.SITE_URL + "/feed/"] * 2
    (failure,) = [r for r in caplog.records if r.name == "newsroom.websub"]
    assert failure.levelno == logging.WARNING
    assert hub.url in failure.getMessage() and "503" in failure.getMessage()
    assert "try 1 of 3" in failure.getMessage()


def test_a_hub_that_keeps_failing_is_given_up_after_three_tries(hub, caplog, settings):
    hub.statuses = [500]
    with caplog.at_level(logging.WARNING, logger="newsroom.websub"):
        assert websub.ping(hub.url, [settings.SITE_URL + "/feed/"]) is False
    assert len(hub.pings) == 3
    messages = [r.getMessage() for r in caplog.records if r.name == "newsroom.websub"]
    assert len(messages) == 4
    assert "given up after 3 tries" in messages[-1]


def test_the_retries_wait_longer_each_time(hub, settings, monkeypatch):
    settings.WEBSUB_RETRY_DELAYS = (1, 4)
    hub.statuses = [500]
    pauses = []
    monkeypatch.setattr(retry.time, "sleep", pauses.append)
    websub.ping(hub.url, ["http://127.0.0.1:8000/feed/"])
    assert pauses == [1, 4]


def test_an_unreachable_hub_is_logged(settings, caplog):
    settings.WEBSUB_RETRY_DELAYS = (0,)
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    address = f"http://127.0.0.1:{closed.server_port}/"
    closed.server_close()  # nothing listens there any more
    with caplog.at_level(logging.WARNING, logger="newsroom.websub"):
        assert websub.ping(address, ["http://127.0.0.1:8000/feed/"]) is False
    assert any(address in r.getMessage() for r in caplog.records)


def test_a_hanging_hub_does_not_hold_up_the_editors_save(hub, django_capture_on_commit_callbacks):
    hub.release = threading.Event()
    started = time.monotonic()
    story, callbacks = publish_story(django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 1
    assert len(callbacks) >= 1
    story.refresh_from_db()
    assert story.is_published
    hub.release.set()
    assert len(hub.wait_for(2)) == 2


def test_a_failing_hub_does_not_fail_the_editors_save(
    hub, django_capture_on_commit_callbacks, caplog
):
    hub.statuses = [500]
    with caplog.at_level(logging.WARNING, logger="newsroom.websub"):
        story, _ = publish_story(
            django_capture_on_commit_callbacks, published_at=timezone.now() - timedelta(hours=1)
        )
        hub.wait_for(6)
        time.sleep(0.1)
    story.refresh_from_db()
    assert story.is_published
    assert sum("given up" in r.getMessage() for r in caplog.records) == 2


def test_a_hub_address_that_is_not_http_is_refused(settings, caplog):
    settings.WEBSUB_HUB_URL = "file:///etc/passwd"
    with caplog.at_level(logging.WARNING, logger="newsroom.websub"):
        assert websub.hub_url() == ""
        assert websub.publish(["http://127.0.0.1:8000/feed/"]) is None
    assert "not an http(s) address" in caplog.text
