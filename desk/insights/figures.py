"""The figures of the insights page, each from one or two aggregate queries over the scope's
published stories (scope.py): never a query per theme, per person or per row, so the page costs
the same at a hundred stories or a hundred thousand.

Each returns a Table (tables.py) whose numbers link to the article list that shows them.
"""

from collections import defaultdict
from dataclasses import replace
from datetime import date

from django.db.models import Case, Count, F, Max, Q, Value, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from articles.models import Article, Quote, ThemedArticle
from people.models import Organization

from . import conditions
from .scope import MONTH, Scope
from .tables import Cell, Links, Row, Table, article_list

# Rows in the tables of names (organizations, people, pairs, stories); the charts show fewer.
TOP = 15


def local(values: dict, field: str) -> str:
    """A name in the desk's language: the Arabic form where the desk is Arabic and one is kept."""
    if (get_language() or "").startswith("ar") and values.get(f"{field}_ar"):
        return values[f"{field}_ar"]
    return values[field]


def period_label(scope: Scope, first: date) -> str:
    return formats.date_format(first, "M Y" if scope.step == MONTH else "j M Y")


def count(scope: Scope, value: int, start=None, end=None, **params) -> Cell:
    return Cell(value, article_list({**scope.list_params(start, end), **params}))


def period_of(bounds: list, field: str):
    """The index of the period a row's `field` falls in, as an expression to group by: a binary
    search over the periods' bounds, so a row costs a few comparisons however many periods there
    are (ten years by month is 120). The bounds are worked out here in newsroom time, as the
    article list's date filter does, so each number is the list it links to, and no database
    has to convert time zones row by row. Rows outside every period are not asked about: the
    scope's query keeps only its own."""

    def split(first: int, last: int):
        if first == last:
            return Value(first)
        middle = (first + last + 1) // 2
        earlier = Q(**{f"{field}__lt": bounds[middle][0]})
        return Case(When(earlier, then=split(first, middle - 1)), default=split(middle, last))

    return split(0, len(bounds) - 1)


def by_period(rows, *keys) -> dict:
    """{(key values): {"p0": n, "p1": n, ...}} from grouped rows holding "period", "n" and the
    `keys`; without keys, under None."""
    counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[tuple(row[name] for name in keys) or None][f"p{row['period']}"] = row["n"]
    return counts


def coverage(scope: Scope) -> Table:
    """Published stories per theme per week or month, and all stories per period."""
    stories = scope.articles()
    periods = scope.periods()
    bounds = [scope.bounds(max(first, scope.start), scope.period_end(first)) for first in periods]
    per_theme = (
        ThemedArticle.objects.filter(content_object__in=stories)
        .values("tag", "tag__name", period=period_of(bounds, "content_object__published_at"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = by_period(per_theme, "tag", "tag__name")  # {(theme, name): {"p0": stories, ...}}
    totals = by_period(
        stories.values(period=period_of(bounds, "published_at")).annotate(n=Count("pk")).order_by()
    )[None]
    columns = [period_label(scope, first) for first in periods]
    links = [Links(scope.list_params(first, scope.period_end(first))) for first in periods]
    whole = Links(scope.list_params())

    def cells(values, **params):
        row = [Cell(values[f"p{i}"], link(**params)) for i, link in enumerate(links)]
        return [*row, Cell(sum(cell.value for cell in row), whole(**params))]

    rows = []
    for (pk, name), values in counts.items():
        rows.append(Row(name, cells(values, themes__id__exact=pk)))
    rows.sort(key=lambda row: (-row.cells[-1].value, row.label))
    all_stories = Row(_("All stories"), cells(totals))
    total = all_stories.cells[-1].value
    summary = ngettext(
        "%(count)s story published in the period.",
        "%(count)s stories published in the period.",
        total,
    ) % {"count": formats.number_format(total, force_grouping=True)}
    if rows:
        summary += " " + _("Most covered: %(theme)s (%(count)s).") % {
            "theme": rows[0].label,
            "count": rows[0].cells[-1].value,
        }
    return Table(
        "coverage",
        _("Coverage over time"),
        [_("Theme"), *columns, _("Total")],
        rows,
        note=_(
            "Published stories per theme. A story with two themes counts under each; the last "
            "row counts every story once."
        ),
        summary=summary,
        totals=all_stories,
    )


def voices_by_kind(scope: Scope) -> Table:
    quotes = Quote.objects.filter(article__in=scope.articles())
    rows = []
    by_kind = quotes.values(kind=F("role__organization__kind")).annotate(
        quotes=Count("pk"), stories=Count("article", distinct=True)
    )
    for row in sorted(by_kind, key=lambda row: (-row["quotes"], row["kind"] or "~")):
        kind = row["kind"] or conditions.NO_ROLE
        rows.append(
            Row(
                conditions.kind_label(kind),
                [Cell(row["quotes"]), count(scope, row["stories"], quoted_kind=kind)],
            )
        )
    total = sum(row.cells[0].value for row in rows)
    summary = ngettext("%(count)s quote in all.", "%(count)s quotes in all.", total) % {
        "count": total
    }
    if rows:
        summary += " " + _("Most heard: %(kind)s, %(count)s.") % {
            "kind": rows[0].label,
            "count": rows[0].cells[0].value,
        }
    return Table(
        "kinds",
        _("Who is heard, by kind of organization"),
        [_("Kind of organization"), _("Quotes"), _("Stories")],
        rows,
        note=_(
            "Quotes counted by the organization of the role each speaker spoke in. A translated "
            "quote counts in the story that carries it."
        ),
        summary=summary,
    )


def voices_by_organization(scope: Scope) -> Table:
    org = "role__organization"
    rows = (
        Quote.objects.filter(article__in=scope.articles(), role__isnull=False)
        .values(
            pk=F(org),
            name=F(f"{org}__name"),
            name_ar=F(f"{org}__name_ar"),
            slug=F(f"{org}__slug"),
        )
        .annotate(quotes=Count("pk"), stories=Count("article", distinct=True))
        .order_by("-quotes", "-stories", "name", "pk")[:TOP]
    )
    return Table(
        "organizations",
        _("Who is heard, by organization"),
        [_("Organization"), _("Quotes"), _("Stories")],
        [
            Row(
                local(row, "name"),
                [Cell(row["quotes"]), count(scope, row["stories"], quoted_org=row["pk"])],
                url=public_url("people:organization_detail", row["slug"], scope),
            )
            for row in rows
        ],
        note=_("The organizations whose people were quoted most, speaking for them."),
        summary=top_summary(rows),
    )


def voices_by_person(scope: Scope) -> Table:
    rows = (
        Quote.objects.filter(article__in=scope.articles())
        .values(
            pk=F("person"),
            name=F("person__name"),
            name_ar=F("person__name_ar"),
            slug=F("person__slug"),
        )
        .annotate(quotes=Count("pk"), stories=Count("article", distinct=True))
        .order_by("-quotes", "-stories", "name", "pk")[:TOP]
    )
    return Table(
        "people",
        _("The people quoted most"),
        [_("Person"), _("Quotes"), _("Stories")],
        [
            Row(
                local(row, "name"),
                [Cell(row["quotes"]), count(scope, row["stories"], quoted=row["pk"])],
                url=public_url("people:person_detail", row["slug"], scope),
            )
            for row in rows
        ],
        note=_("Each name leads to the person's page; each number to the stories."),
        summary=top_summary(rows),
    )


def top_summary(rows) -> str:
    rows = list(rows)
    if not rows:
        return _("No one was quoted in the period.")
    first = rows[0]
    return _("Quoted most: %(name)s, %(quotes)s quotes in %(stories)s stories.") % {
        "name": local(first, "name"),
        "quotes": first["quotes"],
        "stories": first["stories"],
    }


def public_url(name: str, slug: str, scope: Scope) -> str:
    """A person's or organization's page in the scope's edition (English for both)."""
    prefix = "/ar" if scope.language == "ar" else ""
    return prefix + reverse(name, kwargs={"slug": slug})


def officials_only(scope: Scope) -> Table:
    """The share of stories that quote no one outside government."""
    shares = (
        scope.articles()
        .alias(
            quotes_any=conditions.quoting(),
            quotes_outside=conditions.quoting_outside_government(),
        )
        .aggregate(
            stories=Count("pk"),
            quoting=Count("pk", filter=Q(quotes_any=True)),
            officials=Count("pk", filter=Q(quotes_any=True, quotes_outside=False)),
        )
    )

    def row(label, n, **params):
        share = formats.number_format(100 * n / stories, 1) + " %" if stories else "—"
        return Row(label, [count(scope, n, **params), Cell(share)])

    stories = shares["stories"]
    rows = [
        row(_("Stories published"), stories),
        row(_("Stories quoting anyone"), shares["quoting"], voices="quoting"),
        row(
            _("Stories quoting no one outside government"),
            shares["officials"],
            voices="officials",
        ),
    ]
    return Table(
        "officials",
        _("Stories that quote only officials"),
        [_("Stories"), _("Number"), _("Share")],
        rows,
        note=_(
            "Officials speak for a government body or an embassy. A quote whose speaker gave no "
            "role counts as outside government."
        ),
        summary=_("%(share)s of the stories quote no one outside government.")
        % {"share": rows[2].cells[1].value},
    )


def co_mentions(scope: Scope) -> Table:
    """The pairs of organizations most often mentioned in the same stories."""
    links = Article.organizations.through.objects
    pairs = list(
        links.filter(
            article__in=scope.articles(), article__organizations__pk__gt=F("organization_id")
        )
        .values(first=F("organization_id"), second=F("article__organizations__pk"))
        .annotate(stories=Count("article_id"))
        .order_by("-stories", "first", "second")[:TOP]
    )
    ids = {pk for pair in pairs for pk in (pair["first"], pair["second"])}
    names = {
        org["pk"]: local(org, "name")
        for org in Organization.objects.filter(pk__in=ids).values("pk", "name", "name_ar")
    }
    rows = [
        Row(
            f"{names[pair['first']]} · {names[pair['second']]}",
            [count(scope, pair["stories"], mentions=f"{pair['first']},{pair['second']}")],
        )
        for pair in pairs
    ]
    return Table(
        "together",
        _("Who appears together"),
        [_("Organizations mentioned together"), _("Stories")],
        rows,
        note=_("The pairs of organizations most often mentioned in the same stories."),
        summary=rows[0].label if rows else _("No two organizations were mentioned together."),
    )


def corrections_by_month(scope: Scope) -> tuple[Table, Table]:
    """Corrections per month, and the stories they touched (newest first)."""
    since, until = scope.bounds()
    corrections = conditions.corrections_between(since, until).filter(
        article__in=Article.objects.published().filter(language__in=scope.languages)
    )
    monthly = replace(scope, step=MONTH)
    months = [(max(first, scope.start), monthly.period_end(first)) for first in monthly.periods()]
    bounds = [scope.bounds(first, last) for first, last in months]
    in_all = corrections.aggregate(n=Count("pk"), stories=Count("article", distinct=True))
    per_month = {
        row["period"]: row
        for row in corrections.values(period=period_of(bounds, "published_at"))
        .annotate(n=Count("pk"), stories=Count("article", distinct=True))
        .order_by()
    }
    empty = {"n": 0, "stories": 0}

    def stories(n, first, last):
        params = {**scope.list_params(dated=False), "corrected": f"{first}..{last}"}
        return Cell(n, article_list(params))

    rows = [
        Row(
            formats.date_format(first, "M Y"),
            [
                Cell(per_month.get(i, empty)["n"]),
                stories(per_month.get(i, empty)["stories"], first, last),
            ],
        )
        for i, (first, last) in enumerate(months)
    ]
    totals = Row(
        _("In all"), [Cell(in_all["n"]), stories(in_all["stories"], scope.start, scope.end)]
    )
    months = Table(
        "corrections",
        _("Corrections"),
        [_("Month"), _("Corrections"), _("Stories corrected")],
        rows,
        note=_("Corrections readers can see, by the month they were made."),
        summary=ngettext(
            "%(count)s correction in the period, to %(stories)s stories.",
            "%(count)s corrections in the period, to %(stories)s stories.",
            in_all["n"],
        )
        % {"count": in_all["n"], "stories": in_all["stories"]},
        totals=totals,
    )
    touched = (
        corrections.values(
            pk=F("article"), headline=F("article__headline"), language=F("article__language")
        )
        .annotate(n=Count("pk"), last=Max("published_at"))
        .order_by("-last", "-pk")[:TOP]
    )
    stories_table = Table(
        "corrected",
        _("The stories corrected"),
        [_("Story"), _("Corrections"), _("Last corrected")],
        [
            Row(
                row["headline"],
                [Cell(row["n"]), Cell(formats.date_format(timezone.localtime(row["last"])))],
                url=reverse("admin:articles_article_change", args=[row["pk"]]),
                language=row["language"],
            )
            for row in touched
        ],
        note=_("The latest corrected first."),
    )
    return months, stories_table
