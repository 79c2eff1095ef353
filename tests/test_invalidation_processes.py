"""Two processes on two cache configurations, one database: an edit made by one (a script run with
the production settings and their file cache, like `manage.py loaddata` on a server) is seen at
once by the other (a server keeping its pages in its own memory), because what is stale is
decided in the database (newsroom/invalidation/keys.py), not in either cache."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SLUG = "two-processes"

READER = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client()
for line in sys.stdin:
    response = client.get(line.strip())
    print("RESULT " + json.dumps({
        "status": response.status_code,
        "cache": response.get("X-Cache"),
        "html": response.content.decode(),
    }), flush=True)
"""

WRITER = """
from django.utils import timezone
from articles.models import Article
article, _ = Article.objects.get_or_create(slug="{slug}", defaults=dict(
    headline="x", standfirst="A standfirst.", body="<p>A body.</p>",
    status="published", published_at=timezone.now() - timezone.timedelta(minutes=5)))
article.headline = "{headline}"
article.save()
"""


def database_url(tmp_path) -> str:
    """The database both processes use: this test's own on PostgreSQL; a new file on SQLite,
    whose test database lives in this process's memory."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        where = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        return f"postgres://{s['USER']}:{s['PASSWORD']}@{where}/{s['NAME']}"
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


def environment(settings_module, url, **more):
    return {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": url,
        **more,
    }


@pytest.fixture
def shared(tmp_path, transactional_db):
    url = database_url(tmp_path)
    if connection.vendor != "postgresql":
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=environment("newsroom.settings.test", url),
            check=True,
            timeout=120,
        )
    return url


def write(url, tmp_path, headline):
    """Save the story's headline from a process with the production settings' file cache."""
    env = environment(
        "newsroom.settings.prod",
        url,
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="testserver",
        CACHE_DIR=str(tmp_path / "another-cache"),
        SITE_URL="http://testserver",
    )
    command = WRITER.format(slug=SLUG, headline=headline)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", command],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


class Reader:
    """A process with the test settings' in-memory cache, answering GETs one at a time."""

    def __init__(self, url):
        self.process = subprocess.Popen(
            [sys.executable, "-c", READER],
            cwd=ROOT,
            env=environment("newsroom.settings.test", url),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def get(self, path):
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("RESULT "):
                return json.loads(line.removeprefix("RESULT "))
        raise AssertionError("the reader stopped")

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def test_an_edit_by_a_process_with_another_cache_is_seen_at_once(shared, tmp_path):
    write(shared, tmp_path, "Written by the first script")
    reader = Reader(shared)
    try:
        for path in (f"/articles/{SLUG}/", "/"):
            first = reader.get(path)
            assert first["status"] == 200 and "Written by the first script" in first["html"]
            assert reader.get(path)["cache"] == "hit"

        write(shared, tmp_path, "Changed by another process")

        for path in (f"/articles/{SLUG}/", "/"):
            after = reader.get(path)
            assert after["cache"] == "miss", path
            assert "Changed by another process" in after["html"], path
            assert "Written by the first script" not in after["html"], path
            assert reader.get(path)["cache"] == "hit"
    finally:
        reader.close()
