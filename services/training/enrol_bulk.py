"""HR enrols its own workers in a training programme: one by employee number, one chosen by search, or a
list from Excel / CSV with the per-row report of the other imports.

Reuses the competitions' list machinery (services.competitions.bulk: find_own_worker, check_row_name,
RowOutcome; services.competitions.spreadsheets: read_rows, employee_rows) and the rules of
services.training.enrolment.enrol for each row. A list of up to INLINE_ROWS rows is enrolled within the
request; a longer one runs as a background job (services.jobs) whose result is the per-row report as an
.xlsx file and a summary line.
"""

from __future__ import annotations

from sqlalchemy import select

from core.l10n import lazy_gettext as _l
from models import User, db
from models.jobs import Job
from models.training import CONFIRMED, TrainingProgramme
from services import policy
from services.accounts.search import pick_person
from services.common import audit
from services.common.i18n import deferred
from services.common.spreadsheets import INTEGER, XLSX_TYPE, Column, workbook_bytes
from services.common.uploads import save_upload
from services.common.validators import normalize_employee_no, normalize_text
from services.competitions import spreadsheets
from services.competitions.bulk import RowOutcome, find_own_worker, own_row_worker, require_numbers
from services.errors import NotAllowed, RuleViolation
from services.jobs import queue
from services.training import policy as training_policy
from services.training.enrolment import DuplicateEnrolment, enrol, waitlist_position

INLINE_ROWS = 200
JOB_KIND = "training.enrol_list"
OUTCOME_LABELS = {"registered": _l("已报名"), "waitlisted": _l("候补"), "refused": _l("未报名"),
                  "skipped": _l("已跳过")}


def _require_hr(actor) -> None:
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以为职工报名培训。"))


def hr_enrol_number(actor, programme: TrainingProgramme, employee_no: str):
    """HR enrols one worker of its enterprise by employee number (enrolment.enrol's rules and errors;
    RuleViolation on employee_no when no such worker)."""
    _require_hr(actor)
    return enrol(actor, programme, find_own_worker(actor, employee_no))


def hr_enrol_person(actor, programme: TrainingProgramme, person_id: int | None):
    """HR enrols one worker chosen with the search picker (purpose "workers"); RuleViolation on person
    when none was chosen, NotFound (enrol) for a person of another enterprise."""
    _require_hr(actor)
    worker = db.session.get(User, person_id) if person_id else None
    if worker is None:  # nothing chosen: the picker's own refusal
        pick_person(actor, None, None, purpose="workers", field="person")
    return enrol(actor, programme, worker)


def _enrol_row(actor, programme: TrainingProgramme, row: int, raw: str, typed_name: str) -> RowOutcome:
    employee_no, typed_name = normalize_employee_no(raw), normalize_text(typed_name)
    name = typed_name
    if not employee_no and not typed_name:
        return RowOutcome(row, "", "", "skipped", str(_l("空行，已跳过。")))
    try:
        worker = own_row_worker(actor, employee_no, typed_name)
        name = worker.name
        enrolment = enrol(actor, programme, worker)
    except DuplicateEnrolment:
        raise
    except RuleViolation as error:
        return RowOutcome(row, employee_no, name, "refused", str(error.message))
    if enrolment.status == CONFIRMED:
        return RowOutcome(row, employee_no, name, "registered", str(_l("已报名")))
    return RowOutcome(row, employee_no, name, "waitlisted",
                      str(_l("名额已满，候补第 %(n)d 位", n=waitlist_position(enrolment))))


def hr_enrol_rows(actor, programme: TrainingProgramme, rows: list[tuple]) -> list[RowOutcome]:
    """Enrol (row number, employee number, name) rows one by one; every row gets an outcome: enrolled,
    waitlisted, refused with the reason, or skipped (blank). Raises NotAllowed (not HR), RuleViolation
    (no row with a number, on `file`), DuplicateEnrolment (a concurrent duplicate: all rolls back)."""
    _require_hr(actor)
    if not training_policy.can_see_programme(actor, programme):
        training_policy.programme_not_found()
    require_numbers(rows)
    outcomes = [_enrol_row(actor, programme, row, number, name) for row, number, name in rows]
    audit.record("training.bulk_enrolled", actor=actor, obj=programme, rows=len(outcomes),
                 refused=sum(o.outcome == "refused" for o in outcomes))
    return outcomes


def hr_enrol_upload(actor, programme: TrainingProgramme, file_storage) -> list[RowOutcome] | Job:
    """An uploaded .xlsx / CSV of 工号 (and 姓名): up to INLINE_ROWS rows enrolled now (the outcomes), a
    longer list as a background job (the Job; its file is the report). The file's own problems are
    RuleViolations on `file`."""
    _require_hr(actor)
    stored = save_upload(actor, file_storage, allowed=("spreadsheet", "xls", "csv"), field="file")
    rows = spreadsheets.employee_rows(spreadsheets.stored_rows(stored))
    if len(rows) <= INLINE_ROWS:
        return hr_enrol_rows(actor, programme, rows)
    return queue.enqueue(actor, JOB_KIND, programme_id=programme.id, file_id=stored.id)


REPORT_COLUMNS = (Column(_l("行号"), INTEGER, 8), Column(_l("工号"), width=14), Column(_l("姓名"), width=14),
                  Column(_l("结果"), width=10), Column(_l("说明"), width=50))


def report_file(outcomes: list[RowOutcome]) -> bytes:
    """The per-row report as an .xlsx file."""
    return workbook_bytes(_l("报名结果"), REPORT_COLUMNS, [
        (o.row, o.employee_no, o.name, str(OUTCOME_LABELS[o.outcome]), o.message) for o in outcomes])


@queue.job_kind(JOB_KIND, _l("从名单为职工报名培训"))
def enrol_list_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"programme_id", "file_id"}; enrols every row and gives back the report."""
    from models.files import StoredFile

    programme = training_policy.get_programme(actor, int(params["programme_id"]))
    stored = db.session.scalar(select(StoredFile).where(StoredFile.id == int(params["file_id"])))
    rows = spreadsheets.employee_rows(spreadsheets.stored_rows(stored))
    outcomes = hr_enrol_rows(actor, programme, rows)
    report(len(outcomes), len(outcomes))
    counts = {kind: sum(o.outcome == kind for o in outcomes) for kind in OUTCOME_LABELS}
    return queue.JobResult(
        deferred("已处理 %(n)d 行：报名 %(a)d 人，候补 %(b)d 人，未报名 %(c)d 行。", n=len(outcomes),
                 a=counts["registered"], b=counts["waitlisted"], c=counts["refused"]),
        file_name=f"training-enrolment-{programme.id}.xlsx", content_type=XLSX_TYPE, data=report_file(outcomes))
