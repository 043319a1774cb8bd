"""The report's charts as a phone shows them (services/report/charts.py): a long Chinese title wraps inside
the picture, values are grouped as in the tables, values are printed on the bars only where they fit, and the
labels of the value axis never overlap (on the page and in the PDF, which draws the same SVG)."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from services.common.pdf.fonts import text_width
from services.report.charts import FONT, MOST_TICKS, TITLE_CHARACTERS, grouped, series_chart, wrap_title
from services.report.figures import Series

LONG = "2026年各行业参与职工（人，按记录产生时所在企业的行业）"


def test_a_long_chinese_title_is_wrapped_and_nothing_of_it_is_lost():
    lines = wrap_title(LONG).split("\n")
    assert len(lines) == 2 and "".join(lines) == LONG
    assert all(len(line) <= TITLE_CHARACTERS + 2 for line in lines)  # digits count half a character
    assert wrap_title("征集提案") == "征集提案"
    svg = series_chart(Series("industry", LONG, "people", [("制鞋", 3), ("纺织服装", 2)]))
    assert "按记录产生时所在企业" in svg and "的行业）" in svg  # both lines drawn


def test_values_are_grouped_as_the_tables_show_them():
    assert [grouped(v) for v in (1391000, 7150.5, 3, 0.25, None)] == ["1,391,000", "7,150.5", "3", "0.25", ""]


def test_values_are_printed_on_vertical_bars_only_where_they_fit():
    def printed(points) -> bool:
        svg = series_chart(Series("money_by_month", "培训经费支出（元）", "yuan", points))
        return bool(re.search(r'<text[^>]*class="value', svg))

    assert printed([(f"{m}月", 3) for m in range(1, 13)])
    assert not printed([(f"{m}月", Decimal(329000 + m * 48000)) for m in range(1, 13)])


SVG = "{http://www.w3.org/2000/svg}"


def _axis_labels(svg: str, axis: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of the labels of the chart's `axis` ("x": across the bottom, "y": up the left side), in
    the order pygal draws them (the value axis of horizontal bars is pygal's x axis once transposed)."""
    root = ElementTree.fromstring(svg)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class", "").split()[:2] == ["axis", axis]]
    assert len(groups) == 1, axis
    return [(float(t.get("x")), float(t.get("y")), t.text or "") for t in groups[0].iter(f"{SVG}text")]


def _assert_value_labels_apart(svg: str) -> list[str]:
    """The value labels of a horizontal bar chart, checked not to overlap: neighbours (centred on their
    x) keep at least 4 px between them at the width the PDF's font (and the page's WenQuanYi) draws them,
    and the last one ends inside the picture. Returns the labels."""
    labels = sorted(_axis_labels(svg, "x"))
    assert len(labels) >= 2, labels
    root = ElementTree.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    plot = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "plot")
    plot_x = float(re.match(r"translate\(([\d.]+)", plot.get("transform")).group(1))
    for (x1, _y1, a), (x2, _y2, b) in itertools.pairwise(labels):
        assert x2 - x1 >= (text_width(a, FONT) + text_width(b, FONT)) / 2 + 4, (a, b, x2 - x1)
    last_x, _y, last = labels[-1]
    assert plot_x + last_x + text_width(last, FONT) / 2 <= width, (last, plot_x + last_x)
    return [text for _x, _y, text in labels]


@pytest.mark.parametrize(("points", "fewest"), [
    ([("工会经费", Decimal(1391000)), ("企业自筹", Decimal("820500.50")), ("财政补助", Decimal(40000))], 3),
    ([(f"第{n}个镇（街道）名字很长", 500 + n * 37) for n in range(12)], 3),
    ([("制鞋", 987_654_321)], 3),
    # long English labels leave the axis about 250 px: room for two numbers of eight digits
    ([("Textiles and garments", 12_345_678), ("Shoemaking", 9_876_543), ("Machinery and equipment", 77)], 2),
])
def test_the_value_axis_labels_of_horizontal_bars_never_overlap(points, fewest):
    """The report draws horizontal bars of categories (by town, by industry, a breakdown's money) in a
    480 px picture that the PDF scales to half a page: pygal's own scale put up to 16 numbers such as
    1,300,000 on that axis, one over the other. The ticks are round numbers, far enough apart."""
    labels = _assert_value_labels_apart(series_chart(Series("by_town", "2026年各镇征集提案", "count", points)))
    assert labels[0] == "0" and fewest <= len(labels) <= MOST_TICKS + 1, labels
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", label) for label in labels), labels  # grouped


def test_counts_get_whole_number_ticks_up_to_their_largest_value():
    labels = _assert_value_labels_apart(series_chart(Series("by_town", "各镇", "count", [("甲镇", 7), ("乙镇", 2)])))
    assert labels == [str(n) for n in range(8)]
    labels = _assert_value_labels_apart(series_chart(Series("by_town", "各镇", "count", [("甲镇", 1), ("乙镇", 0)])))
    assert labels == ["0", "1"]


@pytest.mark.parametrize("values", [[0] * 9 + [15, 30, 0], [Decimal(329000 + m * 48000) for m in range(1, 13)]])
def test_the_value_axis_of_vertical_bars_keeps_its_labels_apart(values):
    """Tryout: the PDF's attendances by month (up to 30) had 16 numbers up a 200 px axis, one over the other."""
    svg = series_chart(Series("attendances_by_month", "2026年各月参训人次", "person_times",
                              [(f"{m}月", value) for m, value in enumerate(values, start=1)]))
    ys = sorted(y for _x, y, _text in _axis_labels(svg, "y"))
    assert len(ys) >= 3 and all(b - a >= FONT + 4 for a, b in itertools.pairwise(ys)), ys
