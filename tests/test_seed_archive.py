"""An operator builds a synthetic archive for load tests: deterministic, complete, separate."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def seed(tmp_path, name, *args):
    target = tmp_path / name
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "seed_archive",
            "--database-url",
            f"sqlite:///{target}",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev"},
    )
    return result, target


def rows(path, sql):
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    result, path = seed(tmp_path_factory.mktemp("archive"), "a.sqlite3", "--articles", "300")
    assert result.returncode == 0, result.stderr
    return path


def test_builds_articles_with_people_organizations_themes_and_quotes(archive):
    assert rows(archive, "SELECT count(*) FROM articles_article") == [(300,)]
    for table in (
        "people_person",
        "people_organization",
        "people_role",
        "articles_theme",
        "articles_themedarticle",
        "articles_quote",
        "articles_article_people",
        "articles_article_organizations",
    ):
        assert rows(archive, f"SELECT count(*) FROM {table}")[0][0] > 0, table  # noqa: S608
    statuses = dict(rows(archive, "SELECT status, count(*) FROM articles_article GROUP BY 1"))
    assert statuses["published"] > 250
    assert statuses.get("draft", 0) > 0


def test_fills_the_search_index(archive):
    (hits,) = rows(
        archive,
        "SELECT count(*) FROM articles_article_fts WHERE articles_article_fts MATCH 'children'",
    )[0]
    assert hits > 0


def test_is_deterministic(tmp_path, archive):
    result, again = seed(tmp_path, "b.sqlite3", "--articles", "300")
    assert result.returncode == 0, result.stderr
    sql = "SELECT slug, published_at IS NULL, body FROM articles_article ORDER BY id"
    first, second = rows(archive, sql), rows(again, sql)
    assert first[0][2] == second[0][2]
    assert [r[:2] for r in first] == [r[:2] for r in second]


def test_refuses_a_database_that_already_has_articles(tmp_path, archive):
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_archive", "--articles", "5", "--database-url",
         f"sqlite:///{archive}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "already holds articles" in result.stderr


def test_refuses_the_sites_own_database_unless_asked(tmp_path):
    site = tmp_path / "site.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_archive", "--articles", "5", "--database-url",
         f"sqlite:///{site}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{site}"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "site's own database" in result.stderr
