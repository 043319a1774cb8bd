"""The report's Excel export (services.report.export): a title row naming the report, scope and span on every
sheet; each row's unit the figure's own (the training money by source in 元); whole numbers as "#,##0",
amounts and percentages as "#,##0.00"; the percentages' 合计 filled as on the page; a readable file name."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from models import db
from services.report import export, participation
from services.report.periods import Span
from services.report.scope import resolve
from tests.services.test_report_training import build


def _book(world, first=2025, last=2026):
    name, data = export.workbook(world.admin, {"town_id": world.enterprise_b.town_id, "first": first, "last": last})
    return name, load_workbook(io.BytesIO(data))


def _rows(sheet) -> dict:
    return {row[0].value: row for row in sheet.iter_rows() if row[0].value is not None}


def test_every_sheet_starts_with_the_report_s_title_and_the_file_is_named_by_scope_and_span(world):
    build(world)
    town = resolve(world.admin, town_id=world.enterprise_b.town_id).name
    name, book = _book(world)
    assert name == f"统计报告-{town}-2025-2026.xlsx"
    for sheet in book.worksheets:
        assert sheet["A1"].value == f"统计报告 · {town} · 2025–2026", sheet.title
        assert sheet["A2"].value in ("指标", "名次") or sheet["A2"].font.bold, sheet.title
        assert sheet.freeze_panes == "A3"
    assert export.workbook(world.admin, {"first": 2026})[0] == "统计报告-全市-2026.xlsx"


def test_a_scope_name_cannot_make_the_file_name_a_path(world):
    world.enterprise_b.name = "华彩/纺织:有限*公司"
    db.session.commit()
    name, _ = export.workbook(world.admin, {"enterprise_id": world.enterprise_b.id, "first": 2026})
    assert "/" not in name and ":" not in name and "*" not in name and name.endswith("-2026.xlsx")


def test_each_row_has_its_figure_s_unit_money_in_yuan(world):
    build(world)
    _, book = _book(world)
    rows = _rows(book["技能培训"])
    assert rows["工会经费"][1].value == "元"
    assert rows["工会经费"][3].value == Decimal("1200") and rows["工会经费"][3].number_format == "#,##0.00"
    assert rows["工会经费"][2].number_format == "#,##0.00"  # a year without spending is 0.00 yuan too
    assert rows["参训人次"][1].value == "人次" and rows["参训人次"][3].number_format == "#,##0"
    assert rows["培训学时"][1].value == "学时" and rows["培训学时"][5].value == 7.5
    taking_part = _rows(book["参与面"])
    assert taking_part["参与职工"][1].value == "人" and taking_part["参与企业"][1].value == "家"
    assert taking_part["职工参与率（%）"][1].value == "%"


def test_the_percentages_have_their_total_as_on_the_page(world):
    build(world)
    _, book = _book(world)
    section = participation.section(resolve(world.admin, town_id=world.enterprise_b.town_id), Span(2025, 2026))
    rows = _rows(book["参与面"])
    header = [cell.value for cell in book["参与面"][2]]
    for key, label in (("people_share", "职工参与率（%）"), ("enterprise_share", "企业参与率（%）")):
        total = rows[label][header.index("合计")]
        assert total.value is not None and Decimal(str(total.value)) == section.figure(key).total > 0
        assert rows[label][header.index("同比（%）")].value is None
