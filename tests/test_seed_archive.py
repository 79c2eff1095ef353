"""An operator builds a synthetic archive for load tests: deterministic, complete, separate; with
--arabic, a share of it in the Arabic edition."""

import re
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


ARABIC_SHARE = ("--articles", "300", "--arabic", "0.3")
ARABIC_LETTERS = re.compile("[\u0621-\u064a]")
TASHKEEL = re.compile("[\u064b-\u0652]")
LATIN_LETTERS = re.compile("[A-Za-z]")


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory):
    result, path = seed(tmp_path_factory.mktemp("bilingual"), "ar.sqlite3", *ARABIC_SHARE)
    assert result.returncode == 0, result.stderr
    assert re.search(r"Built 300 articles \(\d+ in Arabic\)", result.stdout), result.stdout
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


def test_without_arabic_every_story_and_theme_is_english(archive):
    assert rows(archive, "SELECT DISTINCT language FROM articles_article") == [("en",)]
    assert rows(archive, "SELECT DISTINCT language FROM articles_theme") == [("en",)]
    assert rows(archive, "SELECT count(*) FROM people_person WHERE name_ar != ''") == [(0,)]


def test_arabic_writes_that_share_of_the_stories_in_arabic(bilingual):
    counts = dict(rows(bilingual, "SELECT language, count(*) FROM articles_article GROUP BY 1"))
    assert counts.keys() == {"en", "ar"}
    assert 0.2 < counts["ar"] / 300 < 0.4
    stories = rows(
        bilingual,
        "SELECT headline, standfirst, body_text, dateline, slug FROM articles_article "
        "WHERE language = 'ar'",
    )
    for headline, standfirst, body, dateline, slug in stories:
        for text in (headline, standfirst, body, dateline):
            assert ARABIC_LETTERS.search(text), text
        # Arabic throughout; a headline may carry an organization's Latin acronym, as Arabic copy
        # quotes NCCPIM&TIP.
        assert not LATIN_LETTERS.search(body), body[:80]
        assert ARABIC_LETTERS.search(slug), slug  # Arabic slugs are kept
        assert not TASHKEEL.search(slug), slug
    # Some write their vowels, most do not.
    vowelled = [body for _, _, body, _, _ in stories if TASHKEEL.search(body)]
    assert 0 < len(vowelled) < len(stories)


def test_arabic_stories_are_on_arabic_themes_and_english_ones_on_english(bilingual):
    languages = dict(rows(bilingual, "SELECT language, count(*) FROM articles_theme GROUP BY 1"))
    assert languages == {"en": 40, "ar": 40}
    for name, description in rows(
        bilingual, "SELECT name, description FROM articles_theme WHERE language = 'ar'"
    ):
        assert ARABIC_LETTERS.search(name) and ARABIC_LETTERS.search(description)
    mixed = rows(
        bilingual,
        "SELECT count(*) FROM articles_themedarticle link "
        "JOIN articles_article a ON a.id = link.content_object_id "
        "JOIN articles_theme t ON t.id = link.tag_id WHERE a.language != t.language",
    )
    assert mixed == [(0,)]


def test_some_arabic_stories_translate_english_ones(bilingual):
    pairs = rows(
        bilingual,
        "SELECT a.language, o.language, o.translation_of_id, o.status, "
        "a.published_at >= o.published_at FROM articles_article a "
        "JOIN articles_article o ON o.id = a.translation_of_id",
    )
    (arabic,) = rows(bilingual, "SELECT count(*) FROM articles_article WHERE language = 'ar'")[0]
    assert 0 < len(pairs) < arabic
    # An Arabic translation of a published English original, which is no translation itself,
    # published after it; one translation per original.
    assert set(pairs) == {("ar", "en", None, "published", 1)}
    (originals,) = rows(
        bilingual,
        "SELECT count(DISTINCT translation_of_id) FROM articles_article "
        "WHERE translation_of_id IS NOT NULL",
    )[0]
    assert originals == len(pairs)
    # A translation mentions the same people as its original.
    differ = rows(
        bilingual,
        "SELECT count(*) FROM articles_article a JOIN articles_article_people p "
        "ON p.article_id = a.translation_of_id WHERE NOT EXISTS (SELECT 1 FROM "
        "articles_article_people q WHERE q.article_id = a.id AND q.person_id = p.person_id)",
    )
    assert differ == [(0,)]


def test_people_organizations_and_roles_get_arabic_names(bilingual):
    for table, column in (
        ("people_person", "name_ar"),
        ("people_organization", "name_ar"),
        ("people_role", "title_ar"),
    ):
        values = [value for (value,) in rows(bilingual, f"SELECT {column} FROM {table}")]  # noqa: S608
        assert values and all(ARABIC_LETTERS.search(value) for value in values), table
    quotes = rows(
        bilingual,
        "SELECT q.text, q.capacity FROM articles_quote q "
        "JOIN articles_article a ON a.id = q.article_id WHERE a.language = 'ar'",
    )
    assert quotes and all(ARABIC_LETTERS.search(t) and ARABIC_LETTERS.search(c) for t, c in quotes)


def test_the_arabic_share_is_deterministic_too(tmp_path, bilingual):
    result, again = seed(tmp_path, "ar2.sqlite3", *ARABIC_SHARE)
    assert result.returncode == 0, result.stderr
    sql = (
        "SELECT slug, language, translation_of_id, published_at IS NULL, body "
        "FROM articles_article ORDER BY id"
    )
    assert rows(bilingual, sql) == rows(again, sql)


@pytest.mark.parametrize("share", ["-0.1", "1.5"])
def test_refuses_a_share_outside_0_to_1(tmp_path, share):
    result, _ = seed(tmp_path, "bad.sqlite3", "--articles", "5", "--arabic", share)
    assert result.returncode != 0
    assert "--arabic is a share of the articles, from 0 to 1" in result.stderr


def test_quotes_are_said_in_a_role_of_their_speaker_with_its_capacity(archive, bilingual):
    sql = (
        "SELECT q.person_id, r.person_id, q.capacity, r.title, r.title_ar, o.short_name, "
        "a.language FROM articles_quote q JOIN articles_article a ON a.id = q.article_id "
        "LEFT JOIN people_role r ON r.id = q.role_id "
        "LEFT JOIN people_organization o ON o.id = r.organization_id"
    )
    for path in (archive, bilingual):
        quotes = rows(path, sql)
        assert quotes
        for speaker, role_holder, capacity, title, title_ar, short, language in quotes:
            assert role_holder == speaker  # a role, and one of the speaker's own
            # The organization by its short name, Latin in Arabic copy too (as the site shows it).
            expected = f"{title_ar}، {short}" if language == "ar" else f"{title}, {short}"
            assert capacity == expected


def test_a_few_published_stories_carry_a_correction_dated_after_them(archive, bilingual):
    for path in (archive, bilingual):
        corrections = rows(
            path,
            "SELECT a.status, a.published_at < c.published_at, c.published_at <= "
            "strftime('%Y-%m-%d %H:%M:%f', 'now'), c.wrong != '' AND c.right != '' "
            "FROM articles_correction c JOIN articles_article a ON a.id = c.article_id",
        )
        assert 0 < len(corrections) < 300 * 0.05
        assert set(corrections) == {("published", 1, 1, 1)}
    arabic = rows(
        bilingual,
        "SELECT c.wrong, c.right FROM articles_correction c "
        "JOIN articles_article a ON a.id = c.article_id WHERE a.language = 'ar'",
    )
    assert arabic and all(ARABIC_LETTERS.search(w) and ARABIC_LETTERS.search(r) for w, r in arabic)
