"""Server-made PDFs of a competition (services.common.pdf), for the phone as much as for the desk:

- `sign_in_sheet_pdf`: the sign-in sheet (选手签到表) of the confirmed entries, by competitor number;
- `score_sheets_pdf`: one practical score sheet (实操评分表) per judge of the panel (a blank one without a
  panel), by competitor number only, never listing entries of the judge's own enterprise;
- `result_notice_pdf`: a competitor's result notice (成绩通知单) once results are public (公示 or final),
  stamped 已撤销 with the date when the holder's certificate was revoked.

Who may have them is who may see the same HTML pages: the admin for the sheets (policy.require_admin),
the competitor for their own notice (registration.entry_of). The documents are in Chinese.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from core import clock
from models import User, db
from models.competitions import CONFIRMED, FINAL, NOTICED, Competition, CompetitionRegistration
from services.common.pdf.layout import MM, Document
from services.common.verification import grouped
from services.competitions import judging, registration
from services.competitions import policy as competitions_policy
from services.competitions.certificates import awarded_text, certificate_for
from services.errors import NotFound


def _confirmed(actor, competition: Competition) -> list[CompetitionRegistration]:
    rows = db.session.scalars(registration.registrations_query(actor, competition, status=CONFIRMED)).all()
    return sorted(rows, key=lambda row: row.competitor_no or 0)


def _heading(doc: Document, competition: Competition, what: str) -> float:
    y = doc.paragraph(f"{competition.name} · {what}", top=doc.top, size=18, min_size=12, max_lines=2)
    place = f"{competition.held_on.strftime('%Y年%m月%d日')}" + (f" · {competition.venue}" if competition.venue else "")
    return doc.paragraph(place, top=y, size=11, min_size=9, max_lines=2) - 3 * MM


def _entrant(row: CompetitionRegistration) -> str:
    if row.team_name:
        return f"{row.team_name}：" + "、".join(member.worker.name for member in row.members)
    return row.worker.name


def sign_in_sheet_pdf(actor, competition: Competition) -> bytes:
    """The sign-in sheet: number, name (team and members), enterprise, signature and time columns. Raises
    NotAllowed for anyone but an admin, RuleViolation for a character no font can print."""
    competitions_policy.require_runner(actor, competition)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        doc = Document(f"{competition.name} 签到表")
        y = _heading(doc, competition, "选手签到表")
        rows = [[row.number_label, _entrant(row), row.enterprise.name, "", ""]
                for row in _confirmed(actor, competition)]
        doc.table(["参赛号", "姓名", "企业", "签名", "签到时间"], rows, [0.1, 0.25, 0.35, 0.15, 0.15], top=y,
                  row_height=9 * MM)
        return doc.finish()


def score_sheets_pdf(actor, competition: Competition) -> bytes:
    """One page (or more) per judge of the panel: judge's name, date, the scale, and a row per competitor
    number with a cell per practical item; entries of the judge's own enterprise are left out (conflict
    of interest). Without a panel, one sheet with a blank judge line. Raises NotAllowed for non-admins."""
    competitions_policy.require_runner(actor, competition)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        rows = _confirmed(actor, competition)
        items = list(competition.items)
        doc = Document(f"{competition.name} 评分表", landscape=len(items) > 4)
        panel = judging.panel(competition) or [None]
        for index, assignment in enumerate(panel):
            if index:
                doc.new_page()
            y = _heading(doc, competition, "实操评分表")
            judge = assignment.judge.name if assignment else "____________"
            y = doc.paragraph(f"评委：{judge}　（仅按参赛号评分，每项 0–100 分）", top=y, size=11, min_size=9,
                              max_lines=2, align="left")
            own = assignment.judge.enterprise_id if assignment else None
            numbers = [row.number_label for row in rows if not own or row.enterprise_id != own]
            headers = ["参赛号", *[f"{item.name}（{item.weight}%）" for item in items], "评委签名"]
            widths = [0.12, *[0.7 / len(items)] * len(items), 0.18] if items else [0.3, 0.7]
            doc.table(headers, [[number, *[""] * (len(headers) - 1)] for number in numbers], widths, top=y - 2 * MM,
                      row_height=9 * MM)
        return doc.finish()


def own_entry_with_result(worker: User, competition: Competition) -> CompetitionRegistration:
    """The worker's own entry of a competition whose results are public (公示 or final) and which has a
    result, as on the competition's page; else NotFound."""
    entry = registration.entry_of(worker, competition) if worker.enterprise_id else None
    if entry is None or entry.result is None or competition.status not in (NOTICED, FINAL):
        raise NotFound(_l("还没有您的成绩通知。"))
    return entry


def result_notice_pdf(worker: User, competition: Competition) -> bytes:
    """The competitor's result notice: name, enterprise, competition, theory, practical, total, rank and
    prize (or participation), whether the results are on notice or final, and the certificate's code
    when there is one. Stamped 已撤销 with the date when that certificate was revoked."""
    entry = own_entry_with_result(worker, competition)
    result = entry.result
    certificate = certificate_for(entry, worker) if competition.status == FINAL else None
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        doc = Document(f"{competition.name} 成绩通知单")
        y = _heading(doc, competition, "成绩通知单")
        team = f"（{entry.team_name}）" if entry.team_name else ""
        rows = [["姓名", f"{worker.name}{team}"], ["企业", entry.enterprise.name], ["参赛号", entry.number_label],
                ["理论成绩", f"{result.theory}"], ["实操成绩", f"{result.practical}"], ["总分", f"{result.total}"],
                ["名次", f"{result.rank}" if result.rank else "—"],
                ["奖项", awarded_text(certificate) if certificate else (
                    str(result.prize_label) if result.prize else "参赛")],
                ["状态", "最终结果" if competition.status == FINAL else "公示中（以最终结果为准）"]]
        if result.honour:
            rows.append(["推荐", result.honour])
        if certificate:
            rows.append(["证书验证码", grouped(certificate.code)])
        y = doc.table(["项目", "内容"], rows, [0.3, 0.7], top=y, size=12)
        doc.paragraph(f"晋江市总工会 · {clock.today().strftime('%Y年%m月%d日')}", top=y - 8 * MM, size=12,
                      align="right")
        if certificate and certificate.revoked_at:
            doc.stamp_revoked("已撤销", certificate.revoked_at.astimezone(clock.SHANGHAI).date())
        return doc.finish()
