"""The insights page (/admin/insights/, editors only): who the newsroom quotes and what it covers,
for a period and an edition, as charts with their tables; `?format=csv&table=<key>` downloads a
table.

The figures and their charts are worked out once and cached until the next edit: the key holds
the database's change clock (newsroom/invalidation/keys.py), which every edit advances, and no
entry outlives the next scheduled publication, when the figures change with nobody saving.
"""

from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsroom import editions, pagecache
from newsroom.invalidation import keys
from workflow import permissions

from . import charts, figures
from .scope import ScopeForm


def build(scope) -> dict:
    """Every table, by key, and the charts drawn from them."""
    months, corrected = figures.corrections_by_month(scope)
    tables = [
        figures.coverage(scope),
        figures.voices_by_kind(scope),
        figures.officials_only(scope),
        figures.voices_by_organization(scope),
        figures.voices_by_person(scope),
        figures.co_mentions(scope),
        months,
        corrected,
    ]
    tables = {table.key: table for table in tables}
    draw = {
        "coverage": charts.coverage,
        "kinds": charts.bars,
        "organizations": charts.bars,
        "people": charts.bars,
        "corrections": charts.columns,
    }
    # A period with nothing to count says so in words, under the figure's heading: no empty axes.
    drawn = {key: chart(tables[key]) for key, chart in draw.items() if counts_any(tables[key])}
    return {"tables": tables, "charts": drawn}


def counts_any(table) -> bool:
    return any(cell.value for row in table.rows for cell in row.cells)


def cached_build(scope) -> dict:
    seen = keys.clock()
    key = ":".join(
        ["desk:insights:v2", seen[1], str(seen[0]), scope.key(), get_language() or "",
         editions.catalogue_version()]
    )  # fmt: skip
    entry = cache.get(key)
    if entry is None or (entry["until"] is not None and timezone.now() >= entry["until"]):
        until = pagecache.next_publication(seen)
        entry = {"value": build(scope), "until": until}
        if lifetime := pagecache.seconds_until(until):
            cache.set(key, entry, lifetime)
    return entry["value"]


def insights(request, admin_site: admin.AdminSite):
    if not permissions.is_editor(request.user):
        raise PermissionDenied
    form = ScopeForm(request.GET)
    scope = form.scope()
    wanted = request.GET.get("format", "html")
    status = 200 if scope else 400
    if wanted not in ("html", "csv"):
        return HttpResponse(_("Unknown format: ask for html or csv."), status=400)
    if wanted == "csv":
        return csv_download(request, scope, form)
    context = {
        **admin_site.each_context(request),
        "title": _("Insights"),
        "subtitle": None,
        "form": form,
        "scope": scope,
        "download_query": query_without(request.GET, "format", "table"),
        **(cached_build(scope) if scope else {}),
    }
    return TemplateResponse(request, "desk/insights.html", context, status=status)


def query_without(query, *names) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def csv_download(request, scope, form):
    if scope is None:
        errors = "; ".join(str(error) for field in form.errors.values() for error in field)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    table = cached_build(scope)["tables"].get(request.GET.get("table", ""))
    if table is None:
        raise Http404(_("No such table."))
    # A byte-order mark first: spreadsheets then read the names in Arabic script as UTF-8.
    response = HttpResponse("\ufeff" + table.csv(), content_type="text/csv; charset=utf-8")
    name = f"newsroom-{table.key}-{scope.key()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
