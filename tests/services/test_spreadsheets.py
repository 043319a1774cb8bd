"""The one export writer: user text never becomes a formula, numbers and dates stay typed, Shanghai
time, a frozen and filtered header."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from services.common.spreadsheets import DATE, DATETIME, INTEGER, MONEY, SCORE, TEXT, Column, workbook_bytes

COLUMNS = [Column("标题"), Column("提交时间", DATETIME), Column("预计年节约额（元）", MONEY),
           Column("得分（分）", SCORE), Column("人数", INTEGER), Column("日期", DATE)]
DANGEROUS = ["=1+1", '=HYPERLINK("http://x.test","张三")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_user_text_is_never_a_formula():
    data = workbook_bytes("提案", [Column("标题", TEXT)], [[text] for text in DANGEROUS])
    assert "<f>" not in _sheet_xml(data)
    sheet = load_workbook(io.BytesIO(data)).active
    expected = [text.replace("\r", "\n") for text in DANGEROUS]  # XML keeps no lone carriage return
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(DANGEROUS))] == expected
    assert all(sheet.cell(row=i + 2, column=1).data_type == "s" for i in range(len(DANGEROUS)))


@given(st.text(min_size=1).filter(lambda t: t.strip()))
def test_any_text_comes_back_as_text(text):
    data = workbook_bytes("x", [Column("t")], [[text]])
    value = load_workbook(io.BytesIO(data)).active.cell(row=2, column=1).value
    assert "<f>" not in _sheet_xml(data)
    assert value is None or isinstance(value, str)


def test_numbers_and_dates_stay_typed_and_times_are_shanghai():
    submitted = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 2026-03-02 00:30 in Shanghai
    data = workbook_bytes("提案", COLUMNS, [["标题", submitted, Decimal("8000.13"), Decimal("87.5"), 3,
                                            date(2026, 3, 2)]])
    sheet = load_workbook(io.BytesIO(data)).active
    row = [cell.value for cell in sheet[2]]
    assert row[1] == datetime(2026, 3, 2, 0, 30)
    assert row[2] == 8000.13 and sheet["C2"].number_format == "#,##0.00"
    assert row[3] == 87.5 and row[4] == 3 and row[5] == datetime(2026, 3, 2)
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"


def test_header_is_bold_frozen_and_filtered():
    data = workbook_bytes("提案", COLUMNS, [["a", None, None, None, None, None]] * 3)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"
    assert sheet["A1"].font.bold and sheet["A1"].value == "标题"
    assert sheet.column_dimensions["A"].width >= 10


def test_control_characters_are_dropped_not_fatal():
    data = workbook_bytes("x", [Column("t")], [["a\x00b\x1fc"]])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "abc"
