"""Spreadsheets of the competitions domain: reading uploaded lists (Excel .xlsx or CSV, type checked
by content in services.common.uploads) into rows of employee numbers or theory marks, and the Excel
exports of entries and of the ranking (written by services.common.spreadsheets: user text never a
formula, marks and places typed, times in Asia/Shanghai).
"""

from __future__ import annotations

from core.l10n import lazy_gettext as _l
from services.common import tables
from services.common.spreadsheets import DATETIME, INTEGER, SCORE, Column, workbook_bytes
from services.common.uploads import save_upload, stored_path
from services.errors import RuleViolation

MAX_ROWS = 2000


def read_rows(uploader, file_storage) -> list[tuple[int, list[str]]]:
    """The rows (row number from 1, cells as text) of an uploaded .xlsx or .xls (first sheet) or CSV
    (UTF-8 or GB18030), read by services.common.tables, up to the last non-empty one: blank rows in
    between are kept (as rows of empty cells), so that they are reported as skipped; the upload is
    kept as a StoredFile. Raises RuleViolation on `file`: not a spreadsheet, unreadable, more than MAX_ROWS rows."""
    return stored_rows(save_upload(uploader, file_storage, allowed=("spreadsheet", "xls", "csv"), field="file"))


def stored_rows(stored) -> list[tuple[int, list[str]]]:
    """The rows of an uploaded list already kept as a StoredFile (read_rows; a background job reads the
    file again this way). RuleViolation on `file` as read_rows."""
    rows = []
    for number, values in tables.raw_rows(stored_path(stored), stored.kind):
        rows.append((number, [tables.cell_text(v) for v in values]))
        if len(rows) > MAX_ROWS + 1000:  # far past the limit: stop reading, the check below refuses
            break
    while rows and not any(rows[-1][1]):
        rows.pop()
    first = next((i for i, (_n, cells) in enumerate(rows) if any(cells)), len(rows))
    rows = rows[first:]
    if len(rows) > MAX_ROWS:
        raise RuleViolation(_l("一次最多导入 %(n)d 行。", n=MAX_ROWS), field="file")
    return rows


HEADER_WORDS = {"工号", "员工工号", "职工工号", "员工编号", "职工编号", "编号", "参赛号", "选手编号",
                "employee no", "employee_no", "employee number", "competitor no", "number", "no"}
NAME_WORDS = {"姓名", "职工姓名", "员工姓名", "选手姓名", "名字", "name"}
MARK_WORDS = {"成绩", "分数", "理论成绩", "理论分数", "mark", "score"}


def _word(cell: str) -> str:
    return cell.strip().lower().rstrip(":：")


def _header_columns(rows) -> tuple[list, dict[str, int] | None]:
    """(data rows, {"number": i, "name": j, "mark": k} when the first row names its columns, else None).
    Only a first row whose cells name columns is a header; anything else is data and gets an outcome."""
    if not rows:
        return rows, None
    words = [_word(cell) for cell in rows[0][1]]
    if not words or words[0] not in HEADER_WORDS | NAME_WORDS:
        return rows, None
    columns = {}
    for index, word in enumerate(words):
        for key, known in (("number", HEADER_WORDS), ("name", NAME_WORDS), ("mark", MARK_WORDS)):
            if word in known and key not in columns:
                columns[key] = index
    return rows[1:], columns


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def employee_rows(rows) -> list[tuple[int, str, str]]:
    """(row, employee number, name) of each row: by the header's columns (工号, 姓名) when the first
    row names them, else the first column (the number) and the second (the name, optional). A blank
    row gives ("", "")."""
    rows, columns = _header_columns(rows)
    number, name = (columns.get("number", 0), columns.get("name")) if columns is not None else (0, 1)
    return [(n, _cell(cells, number), _cell(cells, name)) for n, cells in rows]


def theory_rows(rows) -> list[tuple[int, str, str, str]]:
    """(row, competitor number, mark, name) of each row: by the header's columns (参赛号, 成绩, 姓名)
    when the first row names them, else the first two columns (number, mark) and the third (the name,
    optional). A blank row gives ("", "", "")."""
    rows, columns = _header_columns(rows)
    if columns is not None:
        number, mark, name = columns.get("number", 0), columns.get("mark", 1), columns.get("name")
    else:
        number, mark, name = 0, 1, 2
    return [(n, _cell(cells, number), _cell(cells, mark), _cell(cells, name)) for n, cells in rows]


# --- exports --------------------------------------------------------------------------------


def _entrant(registration) -> str:
    if registration.team_name:
        return f"{registration.team_name}（{'、'.join(m.worker.name for m in registration.members)}）"
    return registration.worker.name


def _employee_nos(registration) -> str:
    if registration.team_name:
        return "、".join(m.worker.employee_no or "" for m in registration.members)
    return registration.worker.employee_no or ""


REGISTRATION_COLUMNS = (
    Column(_l("参赛号")), Column(_l("姓名"), width=24), Column(_l("工号")), Column(_l("企业"), width=30),
    Column(_l("状态")), Column(_l("候补位次"), INTEGER), Column(_l("报名时间"), DATETIME, width=18),
    Column(_l("审核"), width=24))
RESULT_COLUMNS = (
    Column(_l("名次"), INTEGER), Column(_l("参赛号")), Column(_l("姓名"), width=24), Column(_l("企业"), width=30),
    Column(_l("理论"), SCORE), Column(_l("实操"), SCORE), Column(_l("总分"), SCORE), Column(_l("奖项")),
    Column(_l("荣誉推荐"), width=20))


SCORE_COLUMNS = (
    Column(_l("参赛号")), Column(_l("姓名"), width=24), Column(_l("企业"), width=30), Column(_l("理论"), SCORE),
    Column(_l("实操"), SCORE), Column(_l("总分"), SCORE), Column(_l("评委人数"), INTEGER),
    Column(_l("评委差异（分）"), SCORE), Column(_l("提示"), width=30))


def score_cells(line) -> list:
    """One score line's cells (services.competitions.standings.ScoreLine) in the order of SCORE_COLUMNS."""
    registration = line.registration
    return [registration.number_label, registration.entrant_name, registration.enterprise.name, line.theory,
            line.practical, line.total, len(line.judge_scores), line.spread, "；".join(str(p) for p in line.problems)]


def registration_cells(r, positions: dict[int, int]) -> list:
    """One entry's cells in the order of REGISTRATION_COLUMNS (`positions`: id -> waitlist place)."""
    return [r.number_label, _entrant(r), _employee_nos(r), r.enterprise.name, str(r.status_label),
            positions.get(r.id), r.created_at, str(_l("已审核")) if r.approved_at else (r.reason or "")]


def result_cells(result, rank) -> list:
    """One result's cells in the order of RESULT_COLUMNS."""
    return [rank, result.registration.number_label, result.registration.entrant_name,
            result.registration.enterprise.name, result.theory, result.practical, result.total,
            str(result.prize_label), result.honour or ""]


def registrations_workbook(registrations, positions: dict[int, int]) -> bytes:
    """An .xlsx of entries: number, entrant (a team with its members), employee numbers, enterprise,
    status, waitlist place (`positions`: registration id -> place), time registered, review."""
    return workbook_bytes(_l("报名名单"), REGISTRATION_COLUMNS,
                          (registration_cells(r, positions) for r in registrations))


def results_workbook(ranked) -> bytes:
    """An .xlsx of the ranking ((result, rank) rows of results.ranking): rank, number, entrant,
    enterprise, theory, practical and total marks (分, two decimals), prize (its label), honour."""
    return workbook_bytes(_l("成绩"), RESULT_COLUMNS, (result_cells(result, rank) for result, rank in ranked))
