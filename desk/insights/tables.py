"""The shape every insight takes: a table of numbers, each linked to the article list behind it,
which the page shows beside its chart and `?format=csv` downloads."""

import csv
import functools
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse


def article_list(params: dict) -> str:
    """The desk's article list, filtered by `params`. (A table links thousands of numbers: the
    list's path is worked out once per script prefix, not once a number.)"""
    return _changelist(get_script_prefix()) + "?" + urlencode(params)


class Links:
    """Addresses of the article list sharing `params` (a scope's, a period's), each number adding
    its own one or two: encoded once a table, not once a number."""

    def __init__(self, params: dict):
        self.base = article_list(params)

    def __call__(self, **params) -> str:
        return f"{self.base}&{urlencode(params)}" if params else self.base


@functools.cache
def _changelist(prefix: str) -> str:
    return reverse("admin:articles_article_changelist")


@dataclass
class Cell:
    value: int | str
    url: str = ""  # the filtered article list the number counts


@dataclass
class Row:
    label: str
    cells: list[Cell]
    url: str = ""  # the row's own page: a person's, an organization's, a story's
    language: str = ""  # the language of the label, when it is content (a headline, a name)


@dataclass
class Table:
    key: str  # its name in the address: ?format=csv&table=<key>
    title: str
    columns: list[str]  # the first column's heading, then the numbers'
    rows: list[Row] = field(default_factory=list)
    note: str = ""  # what is counted, in a sentence
    summary: str = ""  # the numbers in a sentence: the chart's text alternative
    totals: Row | None = None

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in [*self.rows, *([self.totals] if self.totals else [])]:
            writer.writerow([csv_safe(row.label), *(cell.value for cell in row.cells)])
        return out.getvalue()


def csv_safe(text: str) -> str:
    """A label as a spreadsheet reads it as text: a name starting with = + - @ would be run as
    a formula (CSV injection), so it gets a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
