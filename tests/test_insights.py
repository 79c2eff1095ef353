"""The desk's insights page (issue 17): each figure checked against counts worked out here, in
the test, from a baker-made newsroom of stories, quotes, mentions and corrections that includes
drafts, stories in review, withdrawn and scheduled stories (which never count) and the other
edition's stories; each number leads to an article list of that many stories; the page costs the
same number of queries whatever the newsroom holds; CSV downloads; editors only."""

import csv
import io
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk.insights.conditions import NO_ROLE, OFFICIAL_KINDS
from people.models import Organization
from tests.factories import (
    make_article,
    make_correction,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_theme,
)
from workflow.roles import EDITOR, REPORTER

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:insights")
KINDS = [Organization.Kind.GOVERNMENT, Organization.Kind.EMBASSY, Organization.Kind.NGO,
         Organization.Kind.UN_AGENCY, Organization.Kind.ACADEMIA]  # fmt: skip


def local(moment):
    return timezone.localtime(moment).date()


@dataclass
class Story:
    article: Article
    published: bool  # what readers see: the only stories that count
    language: str
    themes: list
    organizations: list
    quotes: list = field(default_factory=list)  # (person, role or None)
    corrections: list = field(default_factory=list)  # correction dates


@dataclass
class World:
    start: object  # the period's first and last days
    end: object
    stories: list
    people: list
    organizations: list

    def counted(self, language="en"):
        return [s for s in self.stories if s.published and s.language == language]


def build_world(seed=17, stories=60):
    """Stories over the past three months and scheduled ones in the days ahead, in both editions;
    people with roles at organizations of several kinds (a few quoted with no role)."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=62)).replace(day=1)
    end = today + timedelta(days=20)
    themes = {
        "en": [make_theme(name=f"Theme {seed}-{i}") for i in range(4)],
        "ar": [make_theme(name=f"موضوع {seed}-{i}", language="ar") for i in range(2)],
    }
    organizations = [make_organization(kind=KINDS[i % len(KINDS)]) for i in range(6)]
    people, roles = [], {}
    for i in range(8):
        person = make_person()
        people.append(person)
        roles[person] = [make_role_at(person, rng.choice(organizations)) for _ in range(1 + i % 2)]
    since = timezone.make_aware(datetime.combine(start, time.min))
    made = []
    for i in range(stories):
        language = "ar" if i % 5 == 0 else "en"
        fate = rng.choice(["published"] * 6 + ["draft", "review", "unpublished", "scheduled"])
        if fate == "scheduled":
            published_at = now + timedelta(hours=rng.randint(1, 24 * 15))
        else:
            published_at = since + (now - since) * rng.random()
        if i == 0:  # the period's first minute, newsroom time: counted in its first month
            published_at, fate = since + timedelta(minutes=1), "published"
        if i == 1:  # a minute before it: not counted
            published_at, fate = since - timedelta(minutes=1), "published"
        status = "published" if fate == "scheduled" else fate
        story_themes = rng.sample(themes[language], rng.randint(0, 2))
        story_orgs = rng.sample(organizations, rng.randint(0, 3))
        article = make_article(
            language=language, status=status, published_at=published_at,
            themes=story_themes, organizations=story_orgs,
        )  # fmt: skip
        story = Story(article, fate == "published" and i != 1, language, story_themes, story_orgs)
        if i == 1:
            story.published = "before"
        for person in rng.sample(people, rng.randint(0, 3)):
            for _ in range(rng.choice([1, 1, 2])):
                role = rng.choice([*roles[person], None])
                make_quote_by(person, article, role=role)
                story.quotes.append((person, role))
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            at = published_at + timedelta(hours=rng.randint(1, 24 * 20))
            make_correction(article, published_at=at)
            story.corrections.append(at)
        made.append(story)
    return World(start, end, made, people, organizations)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def staff(django_user_model):
    def make(username, role):
        user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return django_user_model.objects.get(pk=user.pk)

    return {"editor": make("esther", EDITOR), "reporter": make("rania", REPORTER)}


@pytest.fixture
def desk(client, staff):
    client.force_login(staff["editor"])
    return client


def page(client, world, language="en", **params):
    query = {"start": world.start, "end": world.end, "language": language, **params}
    response = client.get(PAGE, query)
    assert response.status_code == 200, response.content[:2000]
    return response


def table(response, key):
    return response.context["tables"][key]


def in_period(world, story):
    return story.published is True and world.start <= local(story.article.published_at)


def counted(world, language="en"):
    return [s for s in world.counted(language) if in_period(world, s)]


def months(world):
    month, firsts = world.start, []
    while month <= world.end:
        firsts.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return firsts


def month_of(moment):
    return local(moment).replace(day=1)


def test_coverage_counts_published_stories_per_theme_per_month(desk, world):
    coverage = table(page(desk, world), "coverage")
    firsts = months(world)
    stories = counted(world)
    expected = {}
    for story in stories:
        for theme in story.themes:
            column = firsts.index(month_of(story.article.published_at))
            expected.setdefault(theme.name, [0] * len(firsts))[column] += 1
    shown = {row.label: [cell.value for cell in row.cells] for row in coverage.rows}
    assert shown == {name: [*values, sum(values)] for name, values in expected.items()}
    per_month = Counter(firsts.index(month_of(s.article.published_at)) for s in stories)
    totals = [cell.value for cell in coverage.totals.cells]
    assert totals == [*(per_month[i] for i in range(len(firsts))), len(stories)]
    # The Arabic edition's themes are its own.
    assert not any(row.label.startswith("موضوع") for row in coverage.rows)


def test_weeks_count_the_same_stories(desk, world):
    weekly = table(page(desk, world, step="week"), "coverage")
    assert weekly.totals.cells[-1].value == len(counted(world))
    days = [world.start + timedelta(days=d) for d in range((world.end - world.start).days + 1)]
    weeks = {day.isocalendar()[:2] for day in days}
    assert len(weekly.columns) == 1 + len(weeks) + 1  # the theme, each week, the total


def kind_of(role):
    return role.organization.kind if role else NO_ROLE


def test_who_is_heard_by_kind_organization_and_person(desk, world):
    response = page(desk, world)
    stories = counted(world)
    quotes = [(story, person, role) for story in stories for person, role in story.quotes]

    kinds = {
        row.label: (row.cells[0].value, row.cells[1].value) for row in table(response, "kinds").rows
    }
    expected = {}
    for kind in {kind_of(role) for _, _, role in quotes}:
        mine = [(story, role) for story, _, role in quotes if kind_of(role) == kind]
        label = "No role given" if kind == NO_ROLE else Organization.Kind(kind).label
        expected[label] = (len(mine), len({story.article.pk for story, _ in mine}))
    assert kinds == expected

    organizations = {row.label: (row.cells[0].value, row.cells[1].value)
                     for row in table(response, "organizations").rows}  # fmt: skip
    expected = {}
    for org in {role.organization for _, _, role in quotes if role}:
        mine = [story for story, _, role in quotes if role and role.organization == org]
        expected[org.name] = (len(mine), len({story.article.pk for story in mine}))
    assert organizations == expected

    people = {
        row.label: (row.cells[0].value, row.cells[1].value)
        for row in table(response, "people").rows
    }
    expected = {}
    for person in {person for _, person, _ in quotes}:
        mine = [story for story, who, _ in quotes if who == person]
        expected[person.name] = (len(mine), len({story.article.pk for story in mine}))
    assert people == expected
    # Most quoted first, each name leading to the person's public page.
    rows = table(response, "people").rows
    assert [row.cells[0].value for row in rows] == sorted(
        (r.cells[0].value for r in rows), reverse=True
    )
    assert all(row.url.startswith("/people/") for row in rows)


def test_share_of_stories_quoting_no_one_outside_government(desk, world):
    officials = table(page(desk, world), "officials")
    stories = counted(world)
    quoting = [s for s in stories if s.quotes]
    only = [s for s in quoting if all(role and role.organization.kind in OFFICIAL_KINDS
                                      for _, role in s.quotes)]  # fmt: skip
    assert [row.cells[0].value for row in officials.rows] == [len(stories), len(quoting), len(only)]
    assert officials.rows[2].cells[1].value == f"{100 * len(only) / len(stories):.1f} %"


def test_organizations_mentioned_together(desk, world):
    together = table(page(desk, world), "together")
    pairs = Counter()
    for story in counted(world):
        ids = sorted(org.pk for org in story.organizations)
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    names = {org.pk: org.name for org in world.organizations}
    expected = {f"{names[a]} · {names[b]}": n for (a, b), n in pairs.items()}
    shown = {row.label: row.cells[0].value for row in together.rows}
    assert shown == dict(sorted(expected.items(), key=lambda item: -item[1])[: len(shown)])
    assert len(shown) == min(15, len(expected))


def test_corrections_per_month_and_the_stories_they_touched(desk, world):
    response = page(desk, world)
    now = timezone.now()
    firsts = months(world)
    made = [
        (story, at)
        for story in world.counted("en")
        for at in story.corrections
        if world.start <= local(at) <= world.end and at <= now
    ]
    rows = table(response, "corrections").rows
    assert [row.label for row in rows] == [f"{first:%b %Y}" for first in firsts]
    for row, first in zip(rows, firsts, strict=True):
        mine = [story for story, at in made if month_of(at) == first]
        assert (row.cells[0].value, row.cells[1].value) == (
            len(mine),
            len({story.article.pk for story in mine}),
        )
    corrected = table(response, "corrected")
    assert {row.label for row in corrected.rows} == {
        story.article.headline for story, _ in made
    } or len(corrected.rows) == 15


def cells(response):
    """Every linked number on the page, with its link."""
    for key, shown in response.context["tables"].items():
        for row in [*shown.rows, *([shown.totals] if shown.totals else [])]:
            for cell in row.cells:
                if cell.url:
                    yield key, row.label, cell


@pytest.mark.parametrize("language", ["en", "ar", "all"])
def test_every_number_leads_to_a_list_of_that_many_stories(desk, world, language):
    response = page(desk, world, language=language)
    checked = 0
    for key, label, cell in cells(response):
        listed = desk.get(cell.url)
        assert listed.status_code == 200, (key, label, cell.url)
        assert listed.context["cl"].result_count == cell.value, (key, label, cell.url)
        checked += 1
    assert checked > 30


def test_the_lists_name_the_filter_they_were_opened_with(desk, world):
    response = page(desk, world)
    person_row = table(response, "people").rows[0]
    listed = desk.get(person_row.cells[1].url)
    assert "quoting" in listed.content.decode()
    assert person_row.label in listed.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"quoted": "x"},
        {"quoted": "999999"},
        {"mentions": "1,2,3"},
        {"mentions": "a,b"},
        {"corrected": "2026-13-01..2026-01-01"},
        {"corrected": "nonsense"},
        {"quoted_kind": "pirates"},
        {"voices": "everyone"},
    ],  # fmt: skip
)
def test_a_hand_edited_list_address_is_the_lists_own_error_not_a_500(desk, params):
    listed = desk.get(reverse("admin:articles_article_changelist"), params)
    assert listed.status_code == 302 and "e=1" in listed["Location"]


def test_the_page_costs_the_same_queries_at_any_size_and_is_cached_until_the_next_edit(desk):
    small = build_world(seed=1, stories=10)
    with CaptureQueriesContext(connection) as cold_small:
        page(desk, small)
    with CaptureQueriesContext(connection) as warm:
        page(desk, small)
    build_world(seed=2, stories=60)
    cache.clear()
    with CaptureQueriesContext(connection) as cold_large:
        page(desk, small)
    assert len(cold_small) == len(cold_large) == 17, [q["sql"][:120] for q in cold_large]
    assert len(warm) == 5
    # An edit: the figures are worked out again, and show it.
    before = table(page(desk, small), "coverage").totals.cells[-1].value
    make_article(published_at=timezone.now() - timedelta(minutes=5))
    assert table(page(desk, small), "coverage").totals.cells[-1].value == before + 1


def test_a_scheduled_story_counts_once_its_time_has_come(desk, world):
    first = table(page(desk, world), "coverage").totals.cells[-1].value
    scheduled = [
        s for s in world.stories if s.published is False and s.article.status == "published"
    ]
    soonest = min(s.article.published_at for s in scheduled)
    later = soonest + timedelta(seconds=1)
    # Time passes (nobody saves anything): the cached figures are not served past the moment.
    with mock.patch("django.utils.timezone.now", return_value=later):
        coverage = table(page(desk, world), "coverage")
    gone_live = [s for s in scheduled if s.article.published_at <= later and s.language == "en"]
    assert coverage.totals.cells[-1].value == first + len(gone_live)


@pytest.mark.parametrize("key", ["coverage", "kinds", "officials", "organizations", "people",
                                 "together", "corrections", "corrected"])  # fmt: skip
def test_each_table_downloads_as_csv(desk, world, key):
    shown = table(page(desk, world), key)
    response = desk.get(
        PAGE, {"start": world.start, "end": world.end, "format": "csv", "table": key}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="newsroom-{key}-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == shown.columns
    body = [*shown.rows, *([shown.totals] if shown.totals else [])]
    assert [row[0] for row in rows[1:]] == [row.label for row in body]
    assert [row[1:] for row in rows[1:]] == [[str(c.value) for c in row.cells] for row in body]


def test_a_name_that_looks_like_a_formula_is_text_in_the_csv(desk):
    person = make_person(name='=HYPERLINK("http://evil")')
    make_quote_by(person, make_article())
    response = desk.get(PAGE, {"format": "csv", "table": "people"})
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "params, status",
    [
        ({"start": "2026-05-01", "end": "2026-04-01"}, 400),
        ({"start": "yesterday"}, 400),
        ({"start": "2020-01-01", "end": "2026-01-01", "step": "week"}, 400),
        ({"language": "fr"}, 400),
        ({"format": "xml"}, 400),
        ({"format": "csv", "table": "nope"}, 404),
        ({"format": "csv", "start": "2026-05-01", "end": "2026-04-01"}, 400),
    ],  # fmt: skip
)
def test_bad_input_is_a_clear_4xx(desk, params, status):
    response = desk.get(PAGE, params)
    assert response.status_code == status


def test_a_period_that_ends_before_it_starts_says_so(desk):
    response = desk.get(PAGE, {"start": "2026-05-01", "end": "2026-04-01"})
    assert "The period must end on or after its first day." in response.content.decode()


def test_reporters_cannot_open_the_page_and_anonymous_visitors_sign_in(client, staff):
    client.force_login(staff["reporter"])
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE, {"format": "csv", "table": "people"}).status_code == 403
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_editors_find_it_from_the_dashboard(desk, client, staff):
    assert PAGE in desk.get(reverse("admin:index")).content.decode()
    client.force_login(staff["reporter"])
    assert PAGE not in client.get(reverse("admin:index")).content.decode()


def test_charts_are_images_with_a_title_and_a_description_and_no_script(desk, world):
    html = page(desk, world).content.decode()
    charts = re.findall(r'<svg[^>]* id="chart-[^"]+".*?</svg>', html, flags=re.S)
    assert len(charts) == 5
    for chart in charts:
        chart_id = re.search(r'id="(chart-[^"]+)"', chart)[1]
        assert f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in chart
        assert f'<title id="{chart_id}-title">' in chart and f'<desc id="{chart_id}-desc">' in chart
        # No script, and no inline style the CSP would refuse: the stylesheets carry the nonce.
        assert "<script" not in chart and 'style="' not in chart and "<style" not in chart
    # Every bar is drawn: one a row of the table (up to ten) in the kinds' chart.
    kinds = next(chart for chart in charts if 'id="chart-kinds"' in chart)
    bars = re.findall(r'<rect[^>]* class="rect reactive tooltip-trigger"', kinds)
    assert len(bars) == min(10, len(table(page(desk, world), "kinds").rows)) > 0
    # Both of pygal's stylesheets (its base and the palette), unescaped inside <style>.
    css = re.search(r'<style nonce="[^"]+">(#chart-kinds.*?)</style>', html, flags=re.S)[1]
    assert "#chart-kinds .graph > .background{fill:transparent}" in css
    assert "#chart-kinds .color-0" in css
    assert "'Noto Sans'" in css and "&#x27;" not in css
    nonce = re.search(r'<style nonce="([^"]+)">#chart-coverage', html)[1]
    policy = desk.get(PAGE)["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "style-src 'self' 'nonce-" in policy
    assert nonce and f"'nonce-{nonce}'" not in policy  # each response its own nonce


def test_the_arabic_desk_shows_the_page_in_arabic(desk, world):
    desk.cookies["django_language"] = "ar"
    html = page(desk, world).content.decode()
    assert 'lang="ar"' in html and "Coverage over time" not in html


def test_charts_are_drawn_the_same_without_lxml(desk, world):
    """Production installs no lxml (only the tests do): pygal then builds its SVG with the
    standard library's ElementTree, and the charts must come out the same way."""
    from pygal.etree import etree

    etree.to_etree()
    try:
        html = page(desk, world, start="2020-01-01").content.decode()
    finally:
        etree.to_lxml()
    charts = re.findall(r'<svg[^>]* id="chart-[^"]+".*?</svg>', html, flags=re.S)
    assert len(charts) == 5
    for chart in charts:
        assert 'role="img"' in chart and "<desc id=" in chart
        assert 'class="rect reactive tooltip-trigger"' in chart
        assert "<script" not in chart and "<style" not in chart and 'style="' not in chart


def test_a_period_with_nothing_published_draws_no_empty_chart(desk):
    make_article(status="draft")
    response = desk.get(PAGE, {"start": "2001-01-01", "end": "2001-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert not re.findall(r'<svg[^>]* id="chart-', html)
    assert html.count("Nothing to count in this period.") >= 5
