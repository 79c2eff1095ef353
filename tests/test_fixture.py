"""The launch story: `loaddata conference` loads it, safely and as often as you like."""

import html
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Quote, Theme, ThemedArticle
from articles.sanitize import html_to_text, sanitize_html
from people.models import Organization, Person, Role

from .factories import (
    make_article,
    make_organization,
    make_person,
    make_quote,
    make_role,
    make_theme,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "conference.json"
# A byte-for-byte copy of shared/seeds/000_38a1cb875d3929cc.txt, so that CI does not need it.
SEED = (ROOT / "tests" / "data" / "conference_seed.txt").read_text(encoding="utf-8")
SLUG = "nccpimtip-iom-hold-conference-on-addressing-child-trafficking"

ORGANIZATIONS = {
    # slug: (name, short name, kind, country, parent slug)
    "nccpimtip": (
        "National Coordinating Committee for Combating and Preventing Illegal Migration and "
        "Trafficking in Persons",
        "NCCPIM&TIP",
        "government",
        "Egypt",
        None,
    ),
    "iom": ("International Organization for Migration", "IOM", "un_agency", "", None),
    "iom-egypt": ("IOM Egypt", "IOM Egypt", "un_agency", "Egypt", "iom"),
    "us-department-of-state": (
        "U.S. Department of State",
        "",
        "government",
        "United States",
        None,
    ),
    "us-embassy-in-cairo": (
        "U.S. Embassy in Cairo",
        "",
        "embassy",
        "Egypt",
        "us-department-of-state",
    ),
    "nccm": ("National Council for Childhood and Motherhood", "NCCM", "government", "Egypt", None),
}
ROLES = {
    ("naela-gabr", "nccpimtip", "Chairperson"),
    ("sahar-al-sonbaty", "nccm", "President"),
    ("scott-sanford", "us-embassy-in-cairo", "Deputy Political Chief"),
    ("carlos-oliver-cruz", "iom-egypt", "Chief of Mission"),
}
THEMES = {
    "child-protection": "medtop:20000790",
    "human-trafficking": "medtop:20001283",
    "migration": "medtop:20000771",
}


def between(start, end):
    """The seed's text between two markers (the quotation marks and what stands beside them)."""
    head, found, tail = SEED.partition(start)
    assert found, start
    words, found, _ = tail.partition(end)
    assert found, end
    return words


# The quotes are the words inside the quotation marks, verbatim (FACTS.md).
QUOTES = [
    # order, person, exact words, capacity as the story gives it
    (
        1,
        "naela-gabr",
        # Opens with “ in paragraph 4; the closing mark (printed as “) stands at the end of
        # paragraph 5. Both paragraphs, with the stray "Certainly." kept: slips are corrected
        # only by a published correction.
        between("emphasized that “", " “\nDiscussions"),
        "Chairperson of the National Coordinating Committee for Combating and Preventing "
        "Illegal Migration and Trafficking in Persons",
    ),
    (
        2,
        "sahar-al-sonbaty",
        # The only words inside quotation marks in her paragraph: the day's slogan.
        between("slogan “", ",”"),
        "President of the National Council for Childhood and Motherhood",
    ),
    (
        3,
        "scott-sanford",
        # The first of his two passages, the one introduced with "said:".
        between("Cairo, said: “", "”\nHe continued"),
        "Deputy Political Chief at the U.S. Embassy in Cairo",
    ),
    (
        4,
        "carlos-oliver-cruz",
        between("IOM Egypt, said: “", "”"),
        "Chief of Mission of IOM Egypt",
    ),
]


def load(*labels):
    call_command("loaddata", *labels, verbosity=0)


def load_and_commit(capture, *labels):
    with capture(execute=True):
        load(*labels or ["conference"])


def rows():
    """Everything the fixture could touch, row by row, primary keys included."""
    tables = {
        "article": Article.objects.all(),
        "quote": Quote.objects.all(),
        "theme": Theme.objects.all(),
        "themed": ThemedArticle.objects.all(),
        "person": Person.objects.all(),
        "organization": Organization.objects.all(),
        "role": Role.objects.all(),
        "people mentioned": Article.people.through.objects.all(),
        "organizations mentioned": Article.organizations.through.objects.all(),
    }
    return {name: list(qs.order_by("pk").values()) for name, qs in tables.items()}


def story():
    """The story by natural keys alone, as it must survive a dump and a reload."""
    article = Article.objects.get(slug=SLUG)
    fields = [
        "headline",
        "standfirst",
        "body",
        "body_text",
        "dateline",
        "byline",
        "source",
        "source_url",
        "status",
        "published_at",
        "search_keywords",
    ]
    return {
        "article": {name: getattr(article, name) for name in fields},
        "themes": sorted(
            (t.slug, t.name, t.description, t.iptc_code) for t in article.themes.all()
        ),
        "people": sorted(
            (p.slug, p.name, p.honorific, p.also_known_as, p.bio) for p in article.people.all()
        ),
        "organizations": sorted(
            (o.slug, o.name, o.short_name, o.kind, o.country, o.parent and o.parent.slug)
            for o in article.organizations.all()
        ),
        "roles": sorted(
            (r.person.slug, r.organization.slug, r.title)
            for r in Role.objects.select_related("person", "organization")
        ),
        "quotes": [
            (q.order, q.person.slug, q.text, q.capacity)
            for q in article.quotes.select_related("person").order_by("order")
        ],
    }


# The file itself.


def test_fixture_names_rows_by_natural_key_only_and_parents_come_first():
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert all("pk" not in record for record in records)
    org_slugs = [r["fields"]["slug"] for r in records if r["model"] == "people.organization"]
    for record in records:
        if record["model"] == "people.organization" and record["fields"]["parent"]:
            (parent,) = record["fields"]["parent"]
            assert org_slugs.index(parent) < org_slugs.index(record["fields"]["slug"])


# A fresh database.


@pytest.mark.django_db
def test_fresh_database_gets_the_whole_story(django_capture_on_commit_callbacks):
    load_and_commit(django_capture_on_commit_callbacks)

    assert Article.objects.count() == 1
    assert Organization.objects.count() == 6
    assert Person.objects.count() == 4
    assert Role.objects.count() == 4
    assert Quote.objects.count() == 4
    assert Theme.objects.count() == len(THEMES)

    article = Article.objects.get(slug=SLUG)
    assert article.headline == "NCCPIM&TIP, IOM Hold Conference on Addressing Child Trafficking"
    assert article.dateline == "CAIRO"
    assert article.byline == ""
    assert article.source == "SEE News, citing a statement by IOM Egypt"
    assert article.status == Article.Status.PUBLISHED
    # The date FACTS.md gives for the launch story, not the conference date (not confirmed).
    assert article.published_at == datetime(2024, 8, 5, 0, tzinfo=ZoneInfo("Africa/Cairo"))
    assert article.published_at.isoformat() == "2024-08-04T21:00:00+00:00"
    assert article.is_published
    assert Article.objects.published().get() == article
    assert 0 < len(article.standfirst) <= 600
    assert "Sunday" not in article.standfirst and "August" not in article.standfirst

    # The body is the seed, paragraph for paragraph, with the slips as they stand.
    paragraphs = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", article.body, re.S)]
    assert paragraphs == SEED.split("\n")
    assert len(paragraphs) == 11
    assert "Certainly.\n" in SEED and "principles “" in paragraphs[4]
    assert "NCCPIM&amp;TIP" in article.body
    # Already clean: what the editor's save would store, and the text search indexes.
    assert sanitize_html(article.body) == article.body
    assert article.body_text == html_to_text(article.body)
    for name in ("Naela Gabr", "Sahar El-Sonbaty", "Human trafficking", "NCCPIM&TIP"):
        assert name in article.search_keywords

    assert {(t.slug, t.iptc_code) for t in article.themes.all()} == set(THEMES.items())
    assert all(t.description for t in Theme.objects.all())

    assert set(article.organizations.values_list("slug", flat=True)) == set(ORGANIZATIONS)
    for slug, (name, short_name, kind, country, parent) in ORGANIZATIONS.items():
        org = Organization.objects.get(slug=slug)
        assert (org.name, org.short_name, org.kind, org.country) == (
            name,
            short_name,
            kind,
            country,
        )
        assert (org.parent.slug if org.parent else None) == parent

    assert set(article.people.values_list("slug", flat=True)) == {s for s, _, _ in ROLES}
    gabr = Person.objects.get(slug="naela-gabr")
    assert gabr.full_name == "H.E. Ambassador Naela Gabr"
    assert Person.objects.get(slug="sahar-al-sonbaty").also_known_as == "Sahar El-Sonbaty"
    assert {(r.person.slug, r.organization.slug, r.title) for r in Role.objects.all()} == ROLES

    quotes = [
        (q.order, q.person.slug, q.text, q.capacity) for q in article.quotes.order_by("order")
    ]
    assert quotes == QUOTES
    for _, _, text, _ in QUOTES:
        assert text in SEED and text == text.strip()
        assert "“" not in text and "”" not in text
    assert quotes[0][2].endswith("human rights principles")
    assert "Certainly.\nEgypt recognized early" in quotes[0][2]
    assert quotes[1][2] == "No Child Left Behind"


# Again, and beside other people's work.


@pytest.mark.django_db
def test_loading_twice_changes_nothing(django_capture_on_commit_callbacks):
    load_and_commit(django_capture_on_commit_callbacks)
    first = rows()
    load_and_commit(django_capture_on_commit_callbacks)
    load_and_commit(django_capture_on_commit_callbacks)
    assert rows() == first


@pytest.mark.django_db
def test_loading_beside_editors_work_touches_nothing_it_does_not_own(
    django_capture_on_commit_callbacks,
):
    # Editors got there first: their rows hold the low primary keys.
    elections = make_theme(name="Elections", slug="elections")
    people = [make_person(name=f"Reporter {n}", slug=f"reporter-{n}") for n in range(5)]
    orgs = [make_organization(name=f"Ministry {n}", slug=f"ministry-{n}") for n in range(7)]
    make_role(person=people[0], organization=orgs[0], title="Spokesperson")
    their_articles = [
        make_article(
            headline=f"Editors' story {n}",
            slug=f"editors-story-{n}",
            themes=[elections],
            people=people[:2],
            organizations=orgs[:2],
        )
        for n in range(3)
    ]
    make_quote(article=their_articles[0], person=people[0], order=1, text="Ours.")
    make_quote(article=their_articles[0], person=people[1], order=2, text="Also ours.")
    before = rows()

    load_and_commit(django_capture_on_commit_callbacks)
    load_and_commit(django_capture_on_commit_callbacks)

    after = rows()
    for table, old_rows in before.items():
        kept = [row for row in after[table] if row in old_rows]
        assert kept == old_rows, f"the fixture changed editors' {table}"
    # (The factories make a few extra rows of their own; count what the fixture added.)
    added = {table: len(after[table]) - len(before[table]) for table in before}
    assert added == {
        "article": 1,
        "quote": 4,
        "theme": len(THEMES),
        "themed": len(THEMES),
        "person": 4,
        "organization": 6,
        "role": 4,
        "people mentioned": 4,
        "organizations mentioned": 6,
    }
    assert min(row["id"] for row in after["article"] if row["slug"] == SLUG) > max(
        row["id"] for row in before["article"]
    )
    loaded = story()
    assert loaded["quotes"] == QUOTES
    assert {slug for slug, *_ in loaded["themes"]} == set(THEMES)
    assert {slug for slug, *_ in loaded["organizations"]} == set(ORGANIZATIONS)
    assert {slug for slug, *_ in loaded["people"]} == {slug for slug, _, _ in ROLES}
    assert set(loaded["roles"]) >= ROLES
    for article in their_articles:
        article.refresh_from_db()
        assert list(article.themes.names()) == ["Elections"]
        assert article.quotes.count() == (2 if article == their_articles[0] else 0)


@pytest.mark.django_db
def test_a_theme_editors_already_have_is_shared_not_duplicated(django_capture_on_commit_callbacks):
    migration = make_theme(name="Migration", slug="migration")
    theirs = make_article(slug="editors-story", themes=[migration])

    load_and_commit(django_capture_on_commit_callbacks)

    assert Theme.objects.filter(slug="migration").count() == 1
    assert Theme.objects.get(slug="migration").pk == migration.pk
    assert list(theirs.themes.names()) == ["Migration"]
    assert set(Article.objects.get(slug=SLUG).themes.values_list("slug", flat=True)) == set(THEMES)


# Through a dump and back.


@pytest.mark.django_db
def test_everything_survives_a_natural_key_dump_flush_and_reload(
    django_capture_on_commit_callbacks, tmp_path
):
    load_and_commit(django_capture_on_commit_callbacks)
    before = story()
    dump = tmp_path / "dump.json"
    call_command(
        "dumpdata",
        "articles",
        "people",
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        output=str(dump),
        verbosity=0,
    )
    dumped = json.loads(dump.read_text(encoding="utf-8"))
    assert all("pk" not in record for record in dumped)
    assert sum(r["model"] == "articles.themedarticle" for r in dumped) == len(THEMES)

    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists() and not Theme.objects.exists()

    load_and_commit(django_capture_on_commit_callbacks, str(dump))
    assert story() == before
    assert len(before["themes"]) == len(THEMES)
    assert len(before["quotes"]) == len(before["roles"]) == len(before["people"]) == 4
    assert len(before["organizations"]) == 6


# Broken fixtures: a clear message, and the database as it was.

STAMPS = {"created_at": "2024-08-05T09:00:00+03:00", "updated_at": "2024-08-05T09:00:00+03:00"}
# A good record first, which would rename one of the story's people if anything were written.
GOOD_PERSON = {
    "model": "people.person",
    "fields": {"name": "Renamed By A Broken Fixture", "slug": "naela-gabr", **STAMPS},
}
THEME_RENAME = {"model": "articles.theme", "fields": {"name": "Moving people", "slug": "migration"}}


def record(model, **fields):
    return {"model": model, "fields": fields}


BROKEN = {
    "malformed JSON": (
        FIXTURE.read_text(encoding="utf-8")[:-300],
        ["is not valid JSON", "line "],
    ),
    "unknown field": (
        [GOOD_PERSON, record("people.person", name="X", slug="x", nickname="Ex")],
        ["record 2 (people.person)", "unknown field 'nickname'"],
    ),
    "quote by a person who does not exist": (
        [
            GOOD_PERSON,
            record(
                "articles.quote",
                article=[SLUG],
                person=["nobody-at-all"],
                text="Words.",
                order=5,
            ),
        ],
        ["record 2 (articles.quote)", "'person'", "people.person", "nobody-at-all"],
    ),
    "mention of a person who does not exist": (
        [
            THEME_RENAME,
            record("articles.article", **STAMPS, headline="H", slug="h", people=[["nobody"]]),
        ],
        ["record 2 (articles.article)", "'people'", '["nobody"]'],
    ),
    "role of a person who does not exist": (
        [record("people.role", person=["nobody-at-all"], organization=["iom"], title="Head")],
        ["record 1 (people.role)", "'person'", "nobody-at-all"],
    ),
    "missing timestamps": (
        # loaddata stores rows as they are: auto_now does not fill created_at in.
        [GOOD_PERSON, record("people.person", name="No Timestamps", slug="nts")],
        ["record 2 (people.person)", "'created_at', 'updated_at'"],
    ),
    "a row the database refuses": (
        # Passes every check, and is written, until the second record fails in the database:
        # theme names are unique whatever their case.
        [THEME_RENAME, GOOD_PERSON, record("articles.theme", name="CHILD PROTECTION", slug="cp")],
        ["Could not load articles.Theme", "theme_name_case_insensitive_unique"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_fixture_says_what_is_wrong_and_changes_nothing(
    case, tmp_path, settings, django_capture_on_commit_callbacks
):
    load_and_commit(django_capture_on_commit_callbacks)
    before = rows()
    content, expected = BROKEN[case]
    (tmp_path / "broken.json").write_text(
        content if isinstance(content, str) else json.dumps(content), encoding="utf-8"
    )
    settings.FIXTURE_DIRS = [tmp_path]

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CommandError) as raised,
    ):
        load("broken")

    message = str(raised.value)
    assert str(tmp_path / "broken.json") in message
    for words in expected:
        assert words in message
    assert "Nothing was loaded; the database is as it was." in message
    assert callbacks == []
    assert rows() == before


@pytest.mark.django_db
def test_a_fixture_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(CommandError, match="No fixture named 'no-such-story' found"):
        load("no-such-story")
    with pytest.raises(CommandError, match="No fixture named 'missing' found"):
        load(str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_a_broken_fixture_beside_the_story_stops_the_story_too(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(BROKEN["quote by a person who does not exist"][0]))
    with pytest.raises(CommandError, match="nobody-at-all"):
        load("conference", str(broken))
    assert not any(rows().values())


@pytest.mark.django_db
def test_a_fixture_may_refer_to_rows_another_fixture_in_the_same_command_defines(
    tmp_path, django_capture_on_commit_callbacks
):
    extra = tmp_path / "extra.json"
    role = record("people.role", person=["naela-gabr"], organization=["iom"], title="Guest")
    extra.write_text(json.dumps([role]))
    load_and_commit(django_capture_on_commit_callbacks, "conference", str(extra))
    assert Role.objects.filter(person__slug="naela-gabr", title="Guest").exists()
