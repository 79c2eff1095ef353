"""The insights' charts put newsroom text (themes', people's, organizations' names) into SVG that
the page includes as it is: every such name must arrive as text, never as markup."""

import pytest
from pygal.etree import etree

from desk.insights import charts
from desk.insights.tables import Cell, Row, Table

HOSTILE = '</text><script>alert(1)</script><text x="0">"Ministry" & <b>co</b>'


def table_of(labels, columns=("Name", "Quotes")):
    rows = [Row(label, [Cell(n + 1)]) for n, label in enumerate(labels)]
    return Table("people", "Who is heard", list(columns), rows, summary=f"{HOSTILE} leads.")


@pytest.fixture(params=["lxml", "ElementTree"])
def serializer(request):
    """Production installs no lxml, the tests do: both of pygal's serializers are checked."""
    if request.param == "ElementTree":
        etree.to_etree()
    yield request.param
    etree.to_lxml()


@pytest.mark.parametrize("draw", [charts.bars, charts.columns])
def test_a_name_that_looks_like_markup_is_text_in_a_chart(serializer, draw):
    chart = draw(table_of(["Amina", HOSTILE]))
    assert "<script" not in chart.svg and "<b>" not in chart.svg
    assert "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in chart.svg
    assert "&lt;script" not in chart.css and "<" not in chart.css


def test_a_theme_named_like_markup_is_text_in_the_coverage_chart(serializer):
    rows = [Row(HOSTILE, [Cell(2), Cell(3), Cell(5)]), Row("Health", [Cell(1), Cell(0), Cell(1)])]
    table = Table("coverage", HOSTILE, ["Theme", "Jan", "Feb", "All"], rows, summary="Two.")
    chart = charts.coverage(table)
    assert "<script" not in chart.svg and "<b>" not in chart.svg
    # The title and the legend both carry the name, escaped.
    assert chart.svg.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
