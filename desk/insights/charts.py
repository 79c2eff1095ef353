"""The insights' charts, drawn on the server as SVG with pygal and put into the page as they are:
no JavaScript charting, no script at all, so the desk's Content-Security-Policy stays as strict.

pygal (pure Python, 1.3 MB) was measured against matplotlib's SVG backend for a twelve-month
stacked bar chart of eight themes: 44 ms to import and 13 ms a chart, against 507 ms and 84 ms
(and 80 MB with numpy). What pygal adds for its own browser script is taken out (the script
elements, the hidden tooltip), and its stylesheet is handed to the page separately, to be
included with the request's CSP nonce: a chart is cached, a nonce is not.

Each chart is an image to assistive technology (role="img"), named by its title and described by
a sentence of its numbers (the table's summary); the table beside it holds the same numbers.
"""

from dataclasses import dataclass

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from .tables import Table

# Okabe and Ito's palette, told apart with any colour vision.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#555555")
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    # The admin's own colours, so the charts follow its light and dark themes.
    foreground="var(--body-fg)",
    foreground_strong="var(--body-fg)",
    foreground_subtle="var(--hairline-color)",
    font_family="system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans Arabic', sans-serif",
    colors=COLOURS,
    title_font_size=22,
    label_font_size=16,
    major_label_font_size=16,
    legend_font_size=16,
    value_font_size=16,
    opacity="1",
    opacity_hover="0.8",
    transition="none",
)
# Themes drawn in the coverage chart; the rest are added up as "other themes" (the table has all).
SERIES = len(COLOURS) - 1


@dataclass
class Chart:
    svg: SafeString  # the <svg> element, without its stylesheet
    css: SafeString  # its stylesheet, scoped to its id


class _Filter:
    """pygal's xml_filter: takes out the script, the tooltip placeholder (an inline style) and the
    stylesheet (kept in `css`), names the chart by its table's key, and makes it an image named
    by its title and described by the table's summary."""

    def __init__(self, table: Table):
        self.table = table
        self.css = ""

    def __call__(self, root):
        chart_id = f"chart-{self.table.key}"
        for parent in list(root.iter()):
            for child in list(parent):
                if not isinstance(child.tag, str):  # pygal's comments
                    parent.remove(child)
                    continue
                tag = child.tag.rsplit("}", 1)[-1]
                if tag == "style":  # two: pygal's base rules, then the style's
                    self.css += child.text.replace(root.get("id"), chart_id)
                classes = set((child.get("class") or "").split())
                if tag in ("script", "style", "desc") or classes & {"tooltip-overlay", "tooltip"}:
                    parent.remove(child)  # the bars themselves are "tooltip-trigger": kept
        root.set("id", chart_id)
        title = next(e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("title"))
        title.set("id", f"{chart_id}-title")
        description = title.makeelement(
            title.tag.replace("title", "desc"), {"id": f"{chart_id}-desc"}
        )
        description.text = self.table.summary
        root.insert(list(root).index(title) + 1, description)
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
        return root


def _chart(kind, table: Table, **options) -> tuple:
    xml_filter = _Filter(table)
    config = {
        "title": table.title,
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "width": 760,
        "height": 420,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "truncate_label": -1,
        "truncate_legend": 40,
        "margin": 12,
        **options,
    }
    return kind(**config).add_xml_filter(xml_filter), xml_filter


def _render(chart, xml_filter) -> Chart:
    svg = chart.render(is_unicode=True)
    # pygal's output is lxml's (or ElementTree's) serialization, every text in it escaped. Its
    # stylesheet holds only the style's values and the chart's id (no text from the newsroom) and
    # goes into a <style> element, where an escaped quote would not be read back: it is passed as
    # it is, once it is sure not to close the element.
    if "<" in xml_filter.css:
        raise ValueError("A chart's stylesheet may not hold '<'.")
    return Chart(mark_safe(svg), mark_safe(xml_filter.css))  # noqa: S308


def coverage(table: Table) -> Chart:
    """Stories per theme per period, stacked: the largest themes, the rest as one."""
    periods = table.columns[1:-1]
    chart, xml_filter = _chart(
        pygal.StackedBar,
        table,
        x_title=_("Published"),
        y_title=_("Stories"),
        x_label_rotation=-45 if len(periods) > 12 else 0,
        show_minor_x_labels=len(periods) <= 18,
        x_labels_major_every=max(1, len(periods) // 12),
    )
    chart.x_labels = periods
    for row in table.rows[:SERIES]:
        chart.add(row.label, [cell.value for cell in row.cells[:-1]])
    rest = table.rows[SERIES:]
    if rest:
        others = [sum(row.cells[i].value for row in rest) for i in range(len(periods))]
        chart.add(_("Other themes"), others)
    return _render(chart, xml_filter)


def bars(table: Table, column: int = 0, rows: int = 10) -> Chart:
    """One bar a row (the table's first `rows`), longest first, with its name beside it."""
    shown = table.rows[:rows]
    chart, xml_filter = _chart(
        pygal.HorizontalBar,
        table,
        height=120 + 40 * max(len(shown), 1),
        show_legend=False,
        x_title=table.columns[column + 1],
        print_values=True,
    )
    chart.x_labels = [row.label for row in reversed(shown)]
    chart.add(table.columns[column + 1], [row.cells[column].value for row in reversed(shown)])
    return _render(chart, xml_filter)


def columns(table: Table, column: int = 0) -> Chart:
    """One column a row, in the table's order (months)."""
    chart, xml_filter = _chart(
        pygal.Bar,
        table,
        show_legend=False,
        x_title=table.columns[0],
        y_title=table.columns[column + 1],
        x_label_rotation=-45 if len(table.rows) > 12 else 0,
    )
    chart.x_labels = [row.label for row in table.rows]
    chart.add(table.columns[column + 1], [row.cells[column].value for row in table.rows])
    return _render(chart, xml_filter)
