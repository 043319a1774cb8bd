"""Files of the competitions area: reading uploaded lists (Excel or CSV, type checked by content in
services.common.uploads), Excel exports of registrations and results, and PDF certificates with Chinese text.

The certificate font is the TrueType file at config CJK_FONT_PATH (embedded); without that file,
reportlab's built-in STSong-Light CID font is used (not embedded; the PDF reader supplies the glyphs).
"""

from __future__ import annotations

import csv
import io

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook

from core import clock
from models.competitions import PRIZES, Certificate
from services.common.pdf import cjk_font
from services.common.uploads import save_upload, stored_path
from services.errors import RuleViolation

MAX_ROWS = 2000


def read_rows(uploader, file_storage) -> list[tuple[int, list[str]]]:
    """Rows (row number, cells as text) of an uploaded .xlsx or CSV; the upload is kept as a StoredFile."""
    stored = save_upload(uploader, file_storage, allowed=("spreadsheet", "csv"), field="file")
    data = stored_path(stored).read_bytes()
    rows: list[tuple[int, list[str]]] = []
    if stored.kind == "spreadsheet":
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file problem
            raise RuleViolation(_l("无法读取这个 Excel 文件，请另存为 .xlsx 后重试。"), field="file") from None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell_text(v) for v in values]))
    else:
        text = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        rows = [(number, [c.strip() for c in cells]) for number, cells in
                enumerate(csv.reader(io.StringIO(text or "")), start=1)]
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if len(rows) > MAX_ROWS:
        raise RuleViolation(_l("一次最多导入 %(n)d 行。", n=MAX_ROWS), field="file")
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


HEADER_WORDS = {"工号", "员工工号", "职工工号", "员工编号", "职工编号", "编号", "参赛号", "选手编号",
                "employee no", "employee_no", "employee number", "competitor no", "number", "no"}


def _is_header(cells: list[str]) -> bool:
    """Only a first row naming the column is a header; anything else is data and gets an outcome."""
    first = (cells[0] if cells else "").strip().lower().rstrip(":：")
    return first in HEADER_WORDS


def employee_numbers(rows) -> list[tuple[int, str]]:
    """The first column of each row; a header row (e.g. “工号”) is skipped."""
    if rows and _is_header(rows[0][1]):
        rows = rows[1:]
    return [(n, cells[0] if cells else "") for n, cells in rows]


def theory_rows(rows) -> list[tuple[int, str, str]]:
    """(row, competitor number, mark) from the first two columns; a header row is skipped."""
    if rows and _is_header(rows[0][1]):
        rows = rows[1:]
    return [(n, cells[0] if cells else "", cells[1] if len(cells) > 1 else "") for n, cells in rows]


# --- exports --------------------------------------------------------------------------------


def _workbook_bytes(title: str, header: list[str], rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def registrations_workbook(registrations, positions: dict[int, int]) -> bytes:
    """An .xlsx of entries: number, entrant, employee numbers, enterprise, status, waitlist place."""
    header = [str(h) for h in (_l("参赛号"), _l("姓名"), _l("工号"), _l("企业"), _l("状态"), _l("候补位次"),
                               _l("报名时间"), _l("审核"))]
    rows = []
    for r in registrations:
        rows.append([
            r.number_label, _entrant(r), _employee_nos(r), r.enterprise.name, str(r.status_label),
            positions.get(r.id, ""), r.created_at.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            str(_l("已审核")) if r.approved_at else (r.reason or ""),
        ])
    return _workbook_bytes(str(_l("报名名单")), header, rows)


def _entrant(registration) -> str:
    if registration.team_name:
        return f"{registration.team_name}（{'、'.join(m.worker.name for m in registration.members)}）"
    return registration.worker.name


def _employee_nos(registration) -> str:
    if registration.team_name:
        return "、".join(m.worker.employee_no or "" for m in registration.members)
    return registration.worker.employee_no or ""


def results_workbook(ranked) -> bytes:
    """An .xlsx of the ranking: rank, number, entrant, enterprise, marks, prize, honour."""
    header = [str(h) for h in (_l("名次"), _l("参赛号"), _l("姓名"), _l("企业"), _l("理论"), _l("实操"), _l("总分"),
                               _l("奖项"), _l("荣誉推荐"))]
    rows = []
    for result, rank in ranked:
        r = result.registration
        rows.append([rank, r.number_label, r.entrant_name, r.enterprise.name, float(result.theory),
                     float(result.practical), float(result.total), result.prize or "", result.honour or ""])
    return _workbook_bytes(str(_l("成绩")), header, rows)


# --- certificates ---------------------------------------------------------------------------

def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """An A4 landscape certificate: title, holder, competition, prize or participation, code."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    registration = certificate.registration
    competition = registration.competition
    result = registration.result
    font = cjk_font()
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"{competition.name} 证书")
    pdf.setLineWidth(3)
    pdf.rect(30, 30, width - 60, height - 60)
    is_prize = certificate.kind == "prize" and result is not None and result.prize
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 120, "荣誉证书" if is_prize else "参赛证书")
    pdf.setFont(font, 22)
    pdf.drawCentredString(width / 2, height - 200, f"{certificate.holder.name} 同志：")
    team = f"作为“{registration.team_name}”队员" if registration.team_name else ""
    if is_prize:
        line = f"{team}在{competition.held_on.year}年“{competition.name}”中荣获{result.prize}（第 {result.rank} 名）。"
    else:
        line = f"{team}参加{competition.held_on.year}年“{competition.name}”，特发此证。"
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 250, line)
    if is_prize and result.honour:
        pdf.drawCentredString(width / 2, height - 285, f"并推荐为：{result.honour}")
    pdf.setFont(font, 16)
    pdf.drawRightString(width - 90, 150, "晋江市总工会")
    pdf.drawRightString(width - 90, 125, competition.held_on.strftime("%Y年%m月%d日"))
    pdf.setFont(font, 11)
    pdf.drawString(60, 80, f"验证码：{certificate.code}")
    pdf.drawString(60, 62, f"验证网址：{verify_url}")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


DEFAULT_PRIZE_TIERS = ((1, 1, PRIZES[0], "五一劳动奖章"), (2, 3, PRIZES[1], "技术能手"), (4, 6, PRIZES[2], ""))
