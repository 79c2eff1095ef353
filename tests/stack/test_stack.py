"""The production layout, tested as it runs: Varnish in front of two app servers sharing one
PostgreSQL and one Redis (`make stack`; README, "Running past one machine: the stack").

These tests talk to real processes over HTTP and stop and kill some of them, so they run only when
the stack is up (`make stack && .venv/bin/python -m pytest -m stack tests/stack -v`, as .ci/run
does) and are skipped otherwise. Each leaves the stack as it found it: the launch story's headline
restored, every part running.
"""

import secrets
import subprocess
import time
from functools import partial

import pytest

from . import client
from .client import APP_A, APP_B, ARTICLE, PAGES, VARNISH, request

NOT_UP = client.why_not_up()
pytestmark = [pytest.mark.stack, pytest.mark.skipif(bool(NOT_UP), reason=NOT_UP or "")]

# Pages the cache holds, and addresses it cannot (a new query string each time): those reach the
# app servers, so that a lost app server is felt.
READS = (*PAGES, "/articles/?page=1&reader={n}", "/people/?reader={n}")


@pytest.fixture
def launch_headline():
    """The launch story's headline, put back (and purged) after the test."""
    original = client.headline()
    yield original
    client.save_headline(original)


def shows(port, path, text, headers=None) -> bool:
    answer = request(port, path, headers=headers)
    return answer.status == 200 and text in answer.text


def edit_and_time(headline: str, token: str, ports: dict) -> dict:
    """Save the headline (containing `token`) as app server A; seconds from the commit until
    each page shows it through each port, polled as soon as the edit committed."""
    editing = client.save_headline(headline, wait=False)
    line = ""
    while not line.startswith("committed"):  # the app's JSON log lines may come first
        line = editing.stdout.readline()
        assert line, "the edit did not commit"
    committed = float(line.split()[1])
    seen = {}
    try:
        for name, port in ports.items():
            for path in PAGES:
                waited = client.wait_until(partial(shows, port, path, token), seconds=5)
                seen[f"{name} {path}"] = None if waited is None else time.time() - committed
    finally:
        editing.wait(timeout=30)
    return seen


def test_an_edit_on_a_is_seen_through_varnish_and_b_within_a_second(launch_headline):
    for _ in range(2):  # cached in Varnish (the second is a hit) and in the shared Redis
        for path in PAGES:
            assert request(VARNISH, path).status == 200
            assert request(APP_B, path).status == 200
    assert request(VARNISH, ARTICLE).headers["X-Edge-Cache"] == "hit"

    token = f"stack check {secrets.token_hex(4)}"
    ports = {"varnish": VARNISH, "app B": APP_B}
    seen = edit_and_time(f"{launch_headline} ({token})", token, ports)

    for where, seconds in seen.items():
        print(f"{where}: {'not seen' if seconds is None else f'{seconds * 1000:.0f} ms'}")
    assert all(seconds is not None and seconds < 1 for seconds in seen.values()), seen
    stale = [path for n in range(200) if token not in request(VARNISH, path := PAGES[n % 4]).text]
    print(f"200 requests through Varnish after the edit: {len(stale)} stale")
    assert stale == []


def test_an_editors_pages_are_never_cached_nor_shown_to_readers():
    username, password = f"stack-editor-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    client.create_editor(username, password)
    session = client.log_in(APP_A, username, password)
    as_editor = {"Cookie": f"sessionid={session}; _ga=GA1.1.analytics"}

    for _ in range(3):
        answer = request(VARNISH, "/admin/", headers=as_editor)
        assert answer.status == 200 and username in answer.text
        assert answer.headers["X-Edge-Cache"] == "pass"
        page = request(VARNISH, ARTICLE, headers=as_editor)
        assert page.status == 200
        assert page.headers["X-Edge-Cache"] == "pass"
        assert "private" in page.headers["Cache-Control"]

    for path in ("/admin/", ARTICLE, "/"):
        reader = request(VARNISH, path, headers={"Cookie": "_ga=GA1.1.analytics"})
        assert username not in reader.text
        assert reader.headers.get_all("Set-Cookie") is None, (path, reader.headers)
    assert request(VARNISH, "/admin/").status == 302  # to the login form: no editor's page


def test_preview_links_and_api_keys_are_passed_and_purges_need_the_secret():
    assert request(VARNISH, "/preview/no-such-token/").headers["X-Edge-Cache"] == "pass"
    keyed = request(VARNISH, "/api/v1/articles/", headers={"Authorization": "Api-Key x.y"})
    assert keyed.status == 401 and keyed.headers["X-Edge-Cache"] == "pass"

    purge = {"xkey-purge": "article:1"}
    assert request(VARNISH, "/", method="PURGE", headers=purge).status == 403
    wrong = {**purge, "X-Purge-Secret": "guessed"}
    assert request(VARNISH, "/", method="PURGE", headers=wrong).status == 403
    right = {**purge, "X-Purge-Secret": client.environment("app-a")["HTTP_CACHE_PURGE_SECRET"]}
    assert request(VARNISH, "/", method="PURGE", headers=right).status == 200


def test_killing_app_server_a_under_load_loses_at_most_the_requests_in_flight():
    try:
        with client.Load(VARNISH, READS) as load:
            time.sleep(5)
            with load.lock:
                in_flight = load.in_flight
                client.kill_app_server("app-a")
            out = client.wait_until(lambda: client.backend_health()["app_a"] == "sick", 10, 0.2)
            time.sleep(15)
        print(
            f"{load.count} reads in 20 s, {load.failed} failed ({load.statuses}); "
            f"{in_flight} in flight at the kill; A marked sick after {out:.1f} s"
        )
        assert out is not None
        assert load.statuses.get(200, 0) > 100
        assert load.failed <= in_flight
    finally:
        client.stack("start", "app-a")
    back = client.wait_until(lambda: client.backend_health()["app_a"] == "healthy", 15, 0.2)
    print(f"A restarted, healthy in Varnish after {back:.1f} s")
    assert back is not None


def test_redis_down_pages_and_logins_still_work_and_nothing_stale_after(launch_headline):
    for path in PAGES:  # cached in Redis before the outage
        request(APP_B, path)
    username, password = f"stack-editor-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    client.create_editor(username, password)
    token = f"during the Redis outage {secrets.token_hex(4)}"
    try:
        client.stack("stop", "redis")
        with client.Load(APP_B, READS, threads=4) as load:
            assert client.log_in(APP_A, username, password)
            client.save_headline(f"{launch_headline} ({token})")
            time.sleep(2)
        print(f"Redis down: {load.count} reads at app B, statuses {load.statuses}")
        assert load.failed == 0
    finally:
        client.stack("start", "redis")
    for port in (APP_A, APP_B, VARNISH):
        for path in PAGES:
            assert shows(port, path, token), (port, path)


@pytest.fixture
def postgres_restarted():
    """The machine's PostgreSQL cluster (shared with the suite) is started again whatever
    happens."""
    yield
    subprocess.run(["pg_ctlcluster", "15", "main", "start"], capture_output=True)  # noqa: S607


def test_postgres_down_cached_pages_served_others_503_and_back_within_seconds(postgres_restarted):
    for _ in range(2):
        assert request(VARNISH, ARTICLE).status == 200
    subprocess.run(["pg_ctlcluster", "15", "main", "stop", "-m", "fast"], check=True)  # noqa: S607
    down = time.monotonic()
    try:
        for port in (APP_A, APP_B):
            assert request(port, "/healthz").status == 503
        # Answered by an app server (its 503 page), then, once both are out, by Varnish itself.
        for _ in range(2):
            uncached = request(VARNISH, f"/articles/?page=1&reader={secrets.token_hex(4)}")
            assert uncached.status == 503 and int(uncached.headers["Retry-After"]) > 0
            out = client.wait_until(lambda: set(client.backend_health().values()) == {"sick"}, 10)
            assert out is not None
        out = time.monotonic() - down
        print(f"PostgreSQL down: both app servers out of Varnish after {out:.1f} s")
        cached = request(VARNISH, ARTICLE)
        assert cached.status == 200 and cached.headers["X-Edge-Cache"] == "hit"
    finally:
        restarted = time.monotonic()
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=True)  # noqa: S607
    started = time.monotonic() - restarted
    back = client.wait_until(
        lambda: request(VARNISH, f"/people/?reader={secrets.token_hex(4)}").status == 200, 20, 0.2
    )
    assert back is not None
    for port in (APP_A, APP_B):
        assert request(port, "/healthz").status == 200
    healthy = client.wait_until(lambda: set(client.backend_health().values()) == {"healthy"}, 10)
    print(
        f"PostgreSQL back (pg_ctlcluster start took {started:.1f} s): uncached pages answered "
        f"{back:.1f} s later, both app servers healthy in Varnish {healthy:.1f} s later"
    )
    assert healthy is not None


def test_sessions_and_rate_limits_are_the_same_on_both_app_servers():
    """A sign-in on A is a sign-in on B (sessions in PostgreSQL); the API's rate limit per reader
    counts requests on both servers together (Redis), not 60 a minute on each."""
    username, password = f"stack-editor-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    client.create_editor(username, password)
    session = client.log_in(APP_A, username, password)
    on_b = request(APP_B, "/admin/", headers={"Cookie": f"sessionid={session}"})
    assert on_b.status == 200 and username in on_b.text

    # As if through Varnish, which appends the reader's address (the app trusts one proxy).
    reader = {"X-Forwarded-For": f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.7"}
    statuses = []
    for number in range(1, 121):
        port = APP_A if number % 2 else APP_B
        statuses.append(request(port, "/api/v1/themes/", headers=reader).status)
        if statuses[-1] == 429:
            break
    print(f"API: first 429 at request {len(statuses)}, alternating between A and B")
    assert statuses[-1] == 429
    assert len(statuses) <= 61  # 60 a minute in all (API_ANONYMOUS_RATE), not on each server
