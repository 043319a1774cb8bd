"""The Excel export of the records behind a training figure of the yearly report
(services.training.report_records), with the same figure, years and scope as the list.

Rules (docs/domain.md, "Scale the platform is built for": exports over a few thousand rows run in the
background):
- Whoever may see the list may export it (the same checks: services.report.drill, the reader's reach).
- Up to INLINE_ROWS rows (the competitions exports' threshold) the file is written in the request; above,
  the request records the job kind "training.export_report_records", which re-reads the list with the
  person's own reach when it runs, in the language they asked in, and streams it through
  services.common.spreadsheets (text never a formula, dates as dates, money as money) in batches.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.jobs import Job
from services.common import spreadsheets
from services.common.i18n import deferred
from services.common.spreadsheets import DATE, DATETIME, DECIMAL, INTEGER, MONEY, Column
from services.competitions.export import INLINE_ROWS
from services.jobs import queue
from services.training import report_records

KIND = "training.export_report_records"
BATCH = 1000
PROGRAMME = Column(_l("培训项目"), width=28)
COLUMNS = {
    "programmes": (Column(_l("编号"), INTEGER, 8), Column(_l("培训项目"), width=28), Column(_l("主办方"), width=24),
                   Column(_l("类型"), width=14), Column(_l("开始日期"), DATE, 12), Column(_l("状态"), width=10)),
    "classes": (Column(_l("编号"), INTEGER, 8), PROGRAMME, Column(_l("班次"), width=20),
                Column(_l("开始时间"), DATETIME, 17), Column(_l("学时"), DECIMAL, 8)),
    "attendances": (Column(_l("编号"), INTEGER, 8), Column(_l("姓名"), width=10), PROGRAMME,
                    Column(_l("班次"), width=20), Column(_l("开始时间"), DATETIME, 17), Column(_l("签到"), width=8),
                    Column(_l("学时"), DECIMAL, 8)),
    "enrolments": (Column(_l("编号"), INTEGER, 8), Column(_l("姓名"), width=10), PROGRAMME,
                   Column(_l("结业时间"), DATETIME, 17)),
    "upgrades": (Column(_l("编号"), INTEGER, 8), Column(_l("姓名"), width=10), Column(_l("类别"), width=12),
                 Column(_l("提升到"), width=20), Column(_l("日期"), DATE, 12)),
    "costs": (Column(_l("编号"), INTEGER, 8), PROGRAMME, Column(_l("支出类别"), width=14),
              Column(_l("经费来源"), width=14), Column(_l("金额（元）"), MONEY, 14), Column(_l("支出日期"), DATE, 12)),
}
UPGRADE_KINDS = {report_records.EDUCATION: _l("学历提升"), report_records.SKILL: _l("技能等级提升")}


def cells(kind: str, record) -> list:
    """One record's cells in the order of COLUMNS[kind]."""
    if kind == "programmes":
        return [record.id, record.name, str(record.owner_name), str(record.kind_label), record.starts_on,
                str(record.status_label)]
    if kind == "classes":
        return [record.id, record.programme.name, record.title, record.starts_at, record.hours]
    if kind == "attendances":
        lesson = record.training_class
        return [record.id, record.worker.name, lesson.programme.name, lesson.title, lesson.starts_at,
                str(record.status_label), record.hours if record.hours_settled else None]  # None: not yet credited
    if kind == "enrolments":
        return [record.id, record.worker.name, record.programme.name, record.completed_at]
    if kind == "upgrades":
        return [record.id, record.person.name, str(UPGRADE_KINDS[record.kind]), record.what, record.day]
    return [record.id, record.programme.name, str(record.category_label), str(record.funding_label), record.amount,
            record.spent_on]


def _records(request: report_records.Request):
    if request.kind == "upgrades":
        yield from report_records.upgrades(request)
        return
    yield from db.session.scalars(report_records.query(request).execution_options(yield_per=BATCH))


def write_workbook(actor, args: dict, report=None) -> bytes:
    """The list `args` names (report_records.Request.args) as .xlsx bytes; `report(done, total)` after
    each batch. The list's refusals (NotFound, NotAllowed)."""
    request = report_records.from_args(actor, args)
    total = report_records.count(request)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_l("统计报告明细"), COLUMNS[request.kind])
    done = 0
    for record in _records(request):
        sheet.append(cells(request.kind, record))
        done += 1
        if report is not None and done % BATCH == 0:
            report(done, max(total, done))
    if report is not None:
        report(done, done)
    return writer.to_bytes()


def file_name(args: dict) -> str:
    return f"training-{args.get('figure', 'records')}-{clock.today().isoformat()}.xlsx"


@queue.job_kind(KIND, _l("导出培训统计明细"))
def export_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"list": Request.args, "locale"}."""
    args = params.get("list") or {}
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = write_workbook(actor, args, report=report)
    return queue.JobResult(deferred("已导出 %(n)d 条记录。", n=report.done), file_name=file_name(args),
                           content_type=spreadsheets.XLSX_TYPE, data=data)


def start_export(actor, args: dict, locale: str) -> Job | bytes:
    """The export of the list `args` names for `actor`: the file itself up to INLINE_ROWS rows, else the
    recorded job (it runs after the commit). The list's refusals, checked now."""
    request = report_records.from_args(actor, args)
    if report_records.count(request) <= INLINE_ROWS:
        return write_workbook(actor, request.args)
    return queue.enqueue(actor, KIND, list=request.args, locale=locale)
