"""The one Excel (.xlsx) writer of every export, so that no export can forget a rule.

Rules every workbook follows:
- A cell made from user text is text, never a formula: openpyxl would store a string starting with
  "=" as a formula, so every text cell is written with the string type explicitly. Text starting with
  "+", "-", "@", a tab or a carriage return stays text as well (these are what Excel and WPS treat as
  formula starts when typed). Characters XML cannot hold (control characters) are dropped; a carriage
  return becomes a line feed.
- Numbers stay numbers and dates stay dates: integers, Decimal amounts (元, two decimals, thousands
  separator), marks (分, two decimals), dates and date-times. Times are stored in UTC and written in
  Asia/Shanghai, like the screen.
- Header row in bold on a tinted background, frozen; an autofilter over the data; column widths from
  the column definition (or the header's length). Headers name their unit, e.g. "预计年节约额（元）".
  A sheet may start with a title row above the header (e.g. the report's name, scope and span), frozen with it.
- A NUMBER column holds whole numbers and amounts mixed (e.g. a report's figures, one unit per row): each
  cell is formatted by its value, a whole number (int) as "#,##0", anything else as "#,##0.00".
- Rows are streamed (openpyxl write-only mode), so 50,000 rows never sit in memory at once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.clock import SHANGHAI

TEXT, INTEGER, MONEY, SCORE, DECIMAL, DATE, DATETIME, PERCENT, NUMBER = (
    "text", "integer", "money", "score", "decimal", "date", "datetime", "percent", "number")
NUMBER_FORMATS = {
    INTEGER: "#,##0",
    MONEY: "#,##0.00",
    SCORE: "0.00",
    DECIMAL: "#,##0.##",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
    PERCENT: "0.0%",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """One column: its header (with the unit), the kind of its values, its width in characters."""

    header: object
    kind: str = TEXT
    width: int | None = None


def _text(value) -> str:
    """Text XML can hold: control characters dropped, line ends as "\n" (XML turns a lone CR into LF)."""
    return _ILLEGAL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def cell_value(value, kind: str):
    """The value as written: text for TEXT columns, Shanghai wall time for date-times, numbers as such."""
    if value is None or value == "":
        return None
    if kind == TEXT:
        return _text(value)
    if kind == DATETIME and isinstance(value, datetime):
        return value.astimezone(SHANGHAI).replace(tzinfo=None) if value.tzinfo else value
    if kind == DATE and isinstance(value, datetime):
        return (value.astimezone(SHANGHAI) if value.tzinfo else value).date()
    if kind in (MONEY, SCORE, DECIMAL, PERCENT, NUMBER) and not isinstance(value, Decimal | int | float):
        return Decimal(str(value))
    return value


class SheetWriter:
    """Appends rows to one sheet of a WorkbookWriter; `append(values)` in the column order. With a `title`,
    the sheet's first row is that title (bold, larger) and the header is its second row."""

    def __init__(self, sheet, columns: Sequence[Column], title=None):
        self.sheet = sheet
        self.columns = list(columns)
        self.rows = 0
        self.header_row = 1 if title is None else 2
        for index, column in enumerate(self.columns, start=1):
            width = column.width or max(10, min(40, len(str(column.header)) * 2 + 2))
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = f"A{self.header_row + 1}"
        if title is not None:
            cell = WriteOnlyCell(sheet, value=_text(title))
            cell.data_type = "s"
            cell.font = TITLE_FONT
            sheet.append([cell])
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(sheet, value=_text(column.header))
            cell.data_type = "s"
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header.append(cell)
        sheet.append(header)

    def append(self, values: Sequence) -> None:
        cells = []
        for column, raw in zip(self.columns, values, strict=True):
            value = cell_value(raw, column.kind)
            cell = WriteOnlyCell(self.sheet, value=value)
            if value is not None:
                if column.kind == TEXT:
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    if "\n" in value:
                        cell.alignment = WRAP
                elif column.kind == NUMBER:
                    cell.number_format = NUMBER_FORMATS[INTEGER if isinstance(value, int) else MONEY]
                elif column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
            cells.append(cell)
        self.sheet.append(cells)
        self.rows += 1

    def close(self) -> None:
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A{self.header_row}:{last}{self.rows + self.header_row}"


class WorkbookWriter:
    """A streamed workbook of one or more sheets: `sheet(title, columns)`, append rows, `to_bytes()`."""

    def __init__(self):
        self.book = Workbook(write_only=True)
        self.sheets: list[SheetWriter] = []

    def sheet(self, title, columns: Sequence[Column], heading=None) -> SheetWriter:
        """A new sheet named `title` (cut to Excel's 31 characters), its first row `heading` when given."""
        safe_title = re.sub(r"[\[\]:*?/\\]", " ", _text(title))[:31] or "Sheet"
        writer = SheetWriter(self.book.create_sheet(safe_title), columns, title=heading)
        self.sheets.append(writer)
        return writer

    def save(self, target) -> None:
        for writer in self.sheets:
            writer.close()
        self.book.save(target)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()


def workbook_bytes(title, columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """A one-sheet workbook of `rows` under `columns`."""
    writer = WorkbookWriter()
    sheet = writer.sheet(title, columns)
    for row in rows:
        sheet.append(row)
    return writer.to_bytes()
