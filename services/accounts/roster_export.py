"""The worker list export (Excel): HR its enterprise's workers, town officers their town's, union admins
the whole city.

Rules (issue 13, "Bulk import": "A worker list export (Excel) for HR and, union-wide, for admins"):
- Who and whom: the people services.accounts.people.people_query gives the actor (HR: its own
  enterprise; town officers: the enterprises of their town; admins: every enterprise), workers only;
  anyone else NotAllowed.
- ID-card numbers as services.accounts.policy.shown_id_card gives them (in full for the HR of the
  person's current employer, masked for everyone else).
- The status and leave date come from the employment records (employment.leave_dates: one query a batch).
- Written by services.common.spreadsheets (text never a formula, dates typed). Up to INLINE_ROWS rows
  the file is made in the request; above, as the background job "accounts.export_workers", reading
  its rows in batches of BATCH and reporting progress after each (like the competition exports).
- Its columns are the roster template's (services.imports.roster), so an exported list can be edited
  and imported back.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func

from core.l10n import lazy_gettext as _l
from models import Role, User, db
from models.jobs import Job
from services import policy
from services.accounts import employment, people
from services.accounts import policy as accounts_policy
from services.common import spreadsheets
from services.common.i18n import deferred
from services.common.spreadsheets import DATE, Column
from services.errors import NotAllowed
from services.jobs import queue

INLINE_ROWS = 2000
BATCH = 1000
KIND = "accounts.export_workers"
COLUMNS = (
    Column(_l("姓名"), width=16), Column(_l("手机号"), width=14), Column(_l("工号"), width=12),
    Column(_l("企业"), width=30), Column(_l("工种"), width=14), Column(_l("职业技能等级"), width=16),
    Column(_l("学历"), width=12), Column(_l("入职日期"), DATE, width=12), Column(_l("出生日期"), DATE, width=12),
    Column(_l("身份证号"), width=20), Column(_l("在职状态"), width=10), Column(_l("离职日期"), DATE, width=12))


def _require(actor) -> None:
    if not (policy.is_hr(actor) or policy.is_admin(actor) or policy.is_town_officer(actor)):
        raise NotAllowed(_l("只有企业人力资源、镇街工会干部和总工会管理员可以导出职工名单。"))


def workers_query(actor):
    """The workers `actor` exports, in a stable order (services.accounts.people.people_query's scope)."""
    _require(actor)
    return people.people_query(actor, role=Role.WORKER)


def worker_count(actor) -> int:
    """How many workers `actor` exports (an indexed count within the actor's scope)."""
    stmt = workers_query(actor).order_by(None).with_only_columns(func.count(User.id))
    return db.session.scalar(stmt) or 0


def worker_cells(actor, person: User, leave_date=None) -> list:
    """One worker's cells in the order of COLUMNS (`leave_date`: from employment.leave_dates)."""
    return [person.name, person.phone, person.employee_no, person.enterprise.name if person.enterprise else "",
            str(person.trade.label) if person.trade else "", str(person.skill.label) if person.skill else "",
            str(person.education_label), person.hire_date, person.birth_date,
            accounts_policy.shown_id_card(actor, person), _("离职") if leave_date else _("在职"), leave_date]


def workers_file(actor, report=None) -> bytes:
    """The workers `actor` may export as .xlsx bytes, `report(done, total)` after each batch."""
    total = worker_count(actor)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("职工名单"), COLUMNS)
    done = 0
    for batch in db.session.scalars(workers_query(actor).execution_options(yield_per=BATCH)).partitions():
        leaving = employment.leave_dates(person.id for person in batch)
        for person in batch:
            sheet.append(worker_cells(actor, person, leaving.get(person.id)))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    return writer.to_bytes()


@queue.job_kind(KIND, _l("导出职工名单"))
def workers_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"locale"}; the file workers.xlsx."""
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = workers_file(actor, report)
    return queue.JobResult(deferred("已导出 %(n)d 名职工。", n=report.done), file_name="workers.xlsx",
                           content_type=spreadsheets.XLSX_TYPE, data=data)


def start_export(actor, locale: str) -> Job:
    """Record the export job for HR or an admin (NotAllowed otherwise)."""
    _require(actor)
    return queue.enqueue(actor, KIND, locale=locale)



