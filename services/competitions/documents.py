"""Server-made PDFs of a competition (services.common.pdf), for the phone as much as for the desk:

- `sign_in_sheet_pdf`: the sign-in sheet (选手签到表) of the confirmed entries, by competitor number;
- `score_sheets_pdf`: one practical score sheet (实操评分表) per judge of the panel (a blank one without a
  panel), by competitor number only, never listing entries of the judge's own enterprise;
- `result_notice_pdf`: a competitor's result notice (成绩通知单) once results are public (公示 or final),
  stamped 已撤销 with the date when the holder's certificate was revoked.

Who may have them is who may see the same HTML pages: the admin for the sheets (policy.require_admin),
the competitor for their own notice (registration.entry_of). Each is drawn in the reader's language
(`locale`, services.common.pdf.language); names, enterprises and items stay as typed.
"""

from __future__ import annotations

from flask_babel import gettext as _

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.competitions import CONFIRMED, FINAL, NOTICED, Competition, CompetitionRegistration
from services.common.pdf.language import in_language, long_date
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
    place = long_date(competition.held_on) + (f" · {competition.venue}" if competition.venue else "")
    return doc.paragraph(place, top=y, size=11, min_size=9, max_lines=2) - 3 * MM


def _entrant(row: CompetitionRegistration) -> str:
    if row.team_name:
        return _("%(team)s：%(members)s", team=row.team_name,
                 members=_("、").join(member.worker.name for member in row.members))
    return row.worker.name


def sign_in_sheet_pdf(actor, competition: Competition, *, locale: str | None = None) -> bytes:
    """The sign-in sheet: number, name (team and members), enterprise, signature and time columns, in
    `locale`. Raises NotAllowed for anyone but an admin, RuleViolation for a character no font can print."""
    competitions_policy.require_runner(actor, competition)
    with in_language(locale):
        doc = Document(_("%(name)s 签到表", name=competition.name))
        y = _heading(doc, competition, _("选手签到表"))
        rows = [[row.number_label, _entrant(row), row.enterprise.name, "", ""]
                for row in _confirmed(actor, competition)]
        doc.table([_("参赛号"), _("姓名"), _("企业"), _("签名"), _("签到时间")], rows, [0.15, 0.24, 0.31, 0.15, 0.15],
                  top=y, row_height=9 * MM)
        return doc.finish()


def score_sheets_pdf(actor, competition: Competition, *, locale: str | None = None) -> bytes:
    """One page (or more) per judge of the panel: judge's name, date, the scale, and a row per competitor
    number with a cell per practical item; entries of the judge's own enterprise are left out (conflict
    of interest). Without a panel, one sheet with a blank judge line. In `locale`. Raises NotAllowed for
    non-admins."""
    competitions_policy.require_runner(actor, competition)
    with in_language(locale):
        rows = _confirmed(actor, competition)
        items = list(competition.items)
        doc = Document(_("%(name)s 评分表", name=competition.name), landscape=len(items) > 4)
        panel = judging.panel(competition) or [None]
        for index, assignment in enumerate(panel):
            if index:
                doc.new_page()
            y = _heading(doc, competition, _("实操评分表"))
            judge = assignment.judge.name if assignment else "____________"
            y = doc.paragraph(_("评委：%(judge)s　（仅按参赛号评分，每项 0–100 分）", judge=judge), top=y, size=11,
                              min_size=9, max_lines=2, align="left")
            own = assignment.judge.enterprise_id if assignment else None
            numbers = [row.number_label for row in rows if not own or row.enterprise_id != own]
            headers = [_("参赛号"), *[_("%(item)s（%(weight)d%%）", item=item.name, weight=item.weight)
                                      for item in items], _("评委签名")]
            widths = [0.15, *[0.67 / len(items)] * len(items), 0.18] if items else [0.3, 0.7]
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


def result_notice_pdf(worker: User, competition: Competition, *, locale: str | None = None) -> bytes:
    """The competitor's result notice: name, enterprise, competition, theory, practical, total, rank and
    prize (or participation), whether the results are on notice or final, and the certificate's code
    when there is one, in `locale`. Stamped 已撤销 with the date when that certificate was revoked."""
    entry = own_entry_with_result(worker, competition)
    result = entry.result
    certificate = certificate_for(entry, worker) if competition.status == FINAL else None
    with in_language(locale):
        doc = Document(_("%(name)s 成绩通知单", name=competition.name))
        y = _heading(doc, competition, _("成绩通知单"))
        team = _("（%(team)s）", team=entry.team_name) if entry.team_name else ""
        rows = [[_("姓名"), f"{worker.name}{team}"], [_("企业"), entry.enterprise.name],
                [_("参赛号"), entry.number_label], [_("理论成绩"), f"{result.theory}"],
                [_("实操成绩"), f"{result.practical}"], [_("总分"), f"{result.total}"],
                [_("名次"), f"{result.rank}" if result.rank else "—"],
                [_("奖项"), awarded_text(certificate) if certificate else (
                    str(result.prize_label) if result.prize else _("参赛"))],
                [_("状态"), _("最终结果") if competition.status == FINAL else _("公示中（以最终结果为准）")]]
        if result.honour:
            rows.append([_("推荐"), str(result.honour_label)])
        if certificate:
            rows.append([_("证书验证码"), grouped(certificate.code)])
        y = doc.table([_("项目"), _("内容")], rows, [0.3, 0.7], top=y, size=12)
        doc.paragraph(_("晋江市总工会 · %(day)s", day=long_date(clock.today())), top=y - 8 * MM, size=12,
                      align="right")
        if certificate and certificate.revoked_at:
            doc.stamp_revoked(_("已撤销"), certificate.revoked_at.astimezone(clock.SHANGHAI).date())
        return doc.finish()
