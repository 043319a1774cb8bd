"""The report's charts as a phone shows them (services/report/charts.py): a long Chinese title wraps inside
the picture, values are grouped as in the tables, and values are printed on the bars only where they fit."""

from __future__ import annotations

import re
from decimal import Decimal

from services.report.charts import TITLE_CHARACTERS, grouped, series_chart, wrap_title
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
