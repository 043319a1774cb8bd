"""The one reader of uploaded tables (.xlsx, .xls, .csv), as HR and union offices actually write them.

Rules:
- Formats: .xlsx read by openpyxl in read-only mode, .xls (Excel 97-2003, WPS) by python-calamine, .csv
  in UTF-8 with or without a BOM or else GBK (GB18030, its superset), detected. The first sheet is read.
- Rows are streamed (`raw_rows` is a generator): a 5,000-row roster never sits in memory as cells.
  (A CSV is decoded as a whole: uploads are capped at 10 MB by services.common.uploads.)
- The header row is found, not assumed: the first of the first HEADER_SCAN rows naming the most known
  columns (at least two, or the one required). Title rows above it (often a merged "XX公司花名册"),
  merged header cells (the name sits in the first cell, the rest are empty) and empty columns are
  tolerated. Header names are compared after normalisation (`header_key`: NFKC, no spaces, no "*",
  no bracketed note such as "（必填）" or "(yyyy-mm-dd)", lower case) and through synonyms
  (手机 / 手机号 / 联系电话 ...). Blank rows anywhere (also the trailing ones Excel keeps) are skipped.
- Cells: text is NFKC (full-width letters, digits and punctuation become ASCII), trimmed.
  Names (`name_text`) keep the Chinese full-width brackets they are written with.
  Dates (`read_date`) accept real Excel dates, serial numbers (days since 1899-12-30), 2024/3/1,
  2024-03-01, 2024年3月1日, 2024.3.1 and 20240301. Phones (`read_phone`) written as numbers are
  recovered when exact (13912345678.0, or 1.3912345678E10 with all 11 digits in a CSV saved by Excel)
  and refused otherwise (1.39123E+10 lost its digits) with a message saying how to fix the column.
Problems of one cell raise CellProblem (a Chinese message, lazy); problems of the file RuleViolation
on `file`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core.l10n import lazy_gettext as _l
from services.common.validators import normalize_phone
from services.errors import RuleViolation

HEADER_SCAN = 15
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)


class CellProblem(Exception):
    """One cell that cannot be read; `message` is the Chinese reason (lazy)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- bytes to rows ------------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """The text of a CSV: UTF-8 (a BOM dropped) when it decodes, else GBK/GB18030; RuleViolation
    on `file` when neither does."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RuleViolation(_l("无法识别这个 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码。"), field="file")


def _unreadable() -> RuleViolation:
    return RuleViolation(_l("无法读取这个 Excel 文件，请另存为 .xlsx 后重试。"), field="file")


def _xlsx_rows(path: Path) -> Iterator[list]:
    from openpyxl import load_workbook

    handle = path.open("rb")  # a file object: openpyxl refuses a path without the .xlsx ending
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        handle.close()
        raise _unreadable() from None
    try:
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()
        handle.close()


def _xls_rows(path: Path) -> Iterator[list]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception:  # noqa: BLE001 - an unreadable .xls is the user's file problem
        raise _unreadable() from None
    for values in rows:
        yield list(values)


def _csv_rows(path: Path) -> Iterator[list]:
    yield from csv.reader(io.StringIO(decode_csv(path.read_bytes())))


def raw_rows(path: Path, kind: str) -> Iterator[tuple[int, list]]:
    """(row number from 1, cell values) of the first sheet of a stored upload of `kind`
    (services.common.uploads: "spreadsheet" = .xlsx, "xls", "csv"), streamed. Values are as the file
    holds them: str, int, float, date or datetime, None or "" for empty."""
    readers = {"spreadsheet": _xlsx_rows, "xls": _xls_rows, "csv": _csv_rows}
    if kind not in readers:
        raise RuleViolation(_l("请上传 Excel（.xlsx / .xls）或 CSV 文件。"), field="file")
    yield from enumerate(readers[kind](path), start=1)


def row_count(path: Path, kind: str) -> int:
    """How many rows the first sheet has, cheaply where the format says (the .xlsx dimension, the .xls
    height, the CSV's lines), for a progress bar; read in full only when the workbook does not say."""
    if kind == "spreadsheet":
        from openpyxl import load_workbook

        with path.open("rb") as handle:
            try:
                rows = load_workbook(handle, read_only=True).worksheets[0].max_row
            except Exception:  # noqa: BLE001 - the reading itself reports a broken file
                rows = None
        if rows:
            return rows
    elif kind == "csv":
        return decode_csv(path.read_bytes()).count("\n") + 1
    return sum(1 for _ in raw_rows(path, kind))


# --- header -------------------------------------------------------------------------------------

_NOTE = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")


def header_key(value) -> str:
    """A header cell as compared: NFKC, bracketed notes and "*" dropped, no spaces or colons, lower case."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    text = _NOTE.sub("", text)
    return re.sub(r"[\s*:：]", "", text).lower()


@dataclass(frozen=True)
class Field:
    """One column an import knows: its key, its header in the template and the other names it goes by."""

    key: str
    header: object  # lazy Chinese header, as in the template
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {header_key(self.header), *(header_key(s) for s in self.synonyms)}


@dataclass
class Table:
    """A table read against known fields: where its header is, which column holds which field."""

    header_row: int
    columns: dict[str, int]  # field key -> column index
    rows: Iterator[tuple[int, dict]]  # (row number, {field key: raw value}) of non-blank data rows


def _match(cells: list, fields: list[Field]) -> dict[str, int]:
    names = {name: f.key for f in fields for name in f.names()}
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = names.get(header_key(cell))
        if key and key not in columns:
            columns[key] = index
    return columns


def _is_blank(values: list) -> bool:
    return all(cell_text(v) == "" for v in values)


def read_table(path: Path, kind: str, fields: list[Field]) -> Table:
    """Find the header among the first HEADER_SCAN rows (the one naming the most `fields`, at least
    two) and stream the data rows below it as {field key: raw value}, blank rows skipped. RuleViolation
    on `file` when no header is found or a required column is missing (naming it)."""
    rows = raw_rows(path, kind)
    best: tuple[int, dict[str, int]] | None = None
    for number, values in rows:
        columns = _match(values, fields)
        if len(columns) >= 2 and (best is None or len(columns) > len(best[1])):
            best = (number, columns)
            break
        if number >= HEADER_SCAN:
            break
    if best is None:
        raise RuleViolation(_l("没有找到表头：请使用下载的模板，表头写在数据上方的一行里（如“姓名”“手机号”）。"),
                            field="file")
    header_row, columns = best
    missing = [str(f.header) for f in fields if f.required and f.key not in columns]
    if missing:
        raise RuleViolation(_l("表头缺少必填列：%(names)s。", names="、".join(missing)), field="file")

    def data() -> Iterator[tuple[int, dict]]:
        for number, values in rows:
            if _is_blank(values):
                continue
            yield number, {key: (values[i] if i < len(values) else None) for key, i in columns.items()}

    return Table(header_row, columns, data())


# --- cells --------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """Any cell as text: NFKC, trimmed, runs of white space as one space; a whole float without ".0";
    a date as YYYY-MM-DD; "" for empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip()


_KEPT_PUNCTUATION = "（）【】，：；"


def name_text(value) -> str:
    """A person's or an enterprise's name from a cell: as cell_text, but the Chinese full-width
    brackets and punctuation names are written with stay as they are (晋江市某某（集团）有限公司), so that
    a name typed in a form and the same name imported compare equal."""
    text = "".join(ch if ch in _KEPT_PUNCTUATION else unicodedata.normalize("NFKC", ch)
                   for ch in ("" if value is None else str(value)))
    return cell_text(text) if not isinstance(value, str) else re.sub(r"\s+", " ", text).strip()


_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def _from_serial(serial: float) -> date:
    if not 1 <= serial < 2958466:
        raise CellProblem(_l("无法识别的日期“%(v)s”。", v=cell_text(serial)))
    return EXCEL_EPOCH + timedelta(days=int(serial))


def read_date(value) -> date | None:
    """A date from a cell: a real date, an Excel serial number (as a number or as text in a CSV), or
    text 2024/3/1, 2024-03-01, 2024年3月1日, 2024.3.1, 20240301 (a time after it ignored). None for an
    empty cell; CellProblem for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = cell_text(value)
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}\D", text) else text
    for form in _DATE_FORMS:
        found = form.match(text)
        if found:
            try:
                return date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                raise CellProblem(_l("日期“%(v)s”不存在。", v=text)) from None
    if re.fullmatch(r"\d{1,6}(\.0+)?", text):
        return _from_serial(float(text))
    raise CellProblem(_l("无法识别的日期“%(v)s”：请写成 2024-03-01 这样的格式。", v=text))


_SCIENTIFIC = re.compile(r"^(\d)(?:\.(\d+))?E\+?(\d+)$", re.IGNORECASE)


def read_phone(value) -> str:
    """A phone number from a cell, as text (normalised; not yet checked as a mobile number).

    A number cell (13912345678.0) gives its digits when it is a whole number. Text in scientific
    notation, as Excel saves a long number into a CSV, is recovered only when its mantissa carries
    every digit (1.3912345678E10); otherwise the digits are lost and CellProblem says how to fix it.
    """
    if value is None:
        return ""
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
        if number != number.to_integral_value():
            raise CellProblem(_l("手机号“%(v)s”不是整数。", v=cell_text(value)))
        return str(int(number))
    text = cell_text(value)
    found = _SCIENTIFIC.match(text.replace(" ", ""))
    if found:
        digits = found[1] + (found[2] or "")
        exponent = int(found[3])
        if len(digits) != exponent + 1:
            raise CellProblem(_l("手机号“%(v)s”被 Excel 存成了科学计数法，位数已丢失："
                                 "请把这一列设为“文本”格式后重新填写。", v=text))
        return digits
    if re.fullmatch(r"\d{11}\.0+", text):
        return text.split(".")[0]
    return normalize_phone(text)


def read_decimal_text(value) -> str:
    """A number cell as text without a spurious ".0" (an employee number stored as a number)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    try:
        if isinstance(value, str) and re.fullmatch(r"\d+\.0+", value.strip()):
            return str(int(Decimal(value.strip())))
    except InvalidOperation:
        pass
    return cell_text(value)
