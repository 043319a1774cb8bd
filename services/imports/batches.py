"""The two steps of every import, as background jobs: upload -> preview -> apply.

Rules:
- Who: a roster (花名册) is imported by the HR of its enterprise, into that enterprise only; the
  enterprise list by union admins. A batch is seen by its importer's side only: the HR of the batch's
  enterprise or, for the enterprise list, union admins; anyone else gets NotFound (404).
- Upload keeps the file as a StoredFile (.xlsx, .xls or .csv by content) and starts the preview job.
- Preview (job "imports.preview") reads the file with services.common.tables and classifies every
  data row (new / update / transfer (调入) / unchanged / error, reasons per cell, an explanation of
  a transfer); nothing but the batch's rows is written.
- Apply (job "imports.apply", only from a finished preview) classifies the file again against the
  data as it is then and applies the new, update and transfer rows in the job's one transaction (a row a
  service still refuses becomes an error, its savepoint rolled back); errors and unchanged rows write
  nothing. Applying the same file again therefore changes nothing (every row unchanged). When the counts
  differ from the preview's (the data changed in between), the job's message says so
  ("数据已变化，按最新数据导入：…", `changed_since_preview`).
- Discard (`discard`): the importer may give up a batch not applied (previewed, or its preview failed);
  audited; it stays in the list as 已放弃 and can no longer be applied.
- Constant memory: rows are streamed and handled in chunks of CHUNK; a chunk's rows are stored with
  one bulk insert and its ORM objects leave the session before the next.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.imports import (
    APPLIED,
    APPLYING,
    DISCARDED,
    ERROR,
    NEW,
    OUTCOMES,
    PREVIEWED,
    PREVIEWING,
    ROSTER,
    TRANSFER,
    UNCHANGED,
    UPDATE,
    ImportBatch,
    ImportRow,
)
from models.jobs import JOB_FAILED, Job
from services import policy
from services.common import audit, tables
from services.common.i18n import as_deferred, deferred
from services.common.uploads import save_upload, stored_path
from services.errors import NotAllowed, NotFound, RuleViolation
from services.jobs import queue

CHUNK = 500
PREVIEW_KIND, APPLY_KIND = "imports.preview", "imports.apply"
UPLOAD_KINDS = ("spreadsheet", "xls", "csv")


@dataclass
class Row:
    """One classified data row: what it shows, its outcome, the reason per cell, what it changes, and
    what the kind needs to apply it (`target_id`: the matched record; `data`: the checked values)."""

    row_no: int
    values: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    target_id: int | None = None
    data: dict = field(default_factory=dict)
    fixed_outcome: str | None = None  # TRANSFER, or UNCHANGED for a transfer already under way
    note: dict | None = None  # why (a deferred message's JSON), shown under the outcome

    @property
    def outcome(self) -> str:
        if self.problems:
            return ERROR
        if self.fixed_outcome is not None:
            return self.fixed_outcome
        if self.target_id is None:
            return NEW
        return UPDATE if self.changes else UNCHANGED

    def explain(self, outcome: str, message) -> None:
        """The row's outcome is `outcome` (unless a cell has a problem), for the reason `message`."""
        self.fixed_outcome, self.note = outcome, as_deferred(message).as_json()

    def problem(self, key: str, message) -> None:
        """Record the first reason for cell `key` (a lazy Chinese message)."""
        self.problems.setdefault(key, as_deferred(message).as_json())


@dataclass
class Kind:
    """One kind of import: its fields, who may import, and its three functions over chunks of rows."""

    name: str
    fields: list[tables.Field]
    require_actor: Callable  # (actor) -> None, raises NotAllowed
    prepare: Callable  # (actor, batch) -> context
    classify: Callable  # (context, [(row_no, {key: raw})]) -> [Row]
    apply: Callable  # (actor, context, [Row] of new, update and transfer rows) -> None; refused rows become errors


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> Kind:
    """The registered kind `name` (importing the kind modules on first use); NotFound for an unknown one."""
    if not KINDS:
        from services.imports import enterprises, roster  # noqa: F401 - they register themselves
    if name not in KINDS:
        raise NotFound(_l("没有这种导入。"))
    return KINDS[name]


# --- the steps ----------------------------------------------------------------------------------


def upload(actor, kind_name: str, file_storage) -> ImportBatch:
    """Keep the uploaded file and start its preview job. NotAllowed for who may not import this kind
    (kind.require_actor); RuleViolation on `file` for a file of another type or too big."""
    kind = kind_of(kind_name)
    kind.require_actor(actor)
    stored = save_upload(actor, file_storage, allowed=UPLOAD_KINDS, field="file")
    batch = ImportBatch(kind=kind.name, created_by_id=actor.id, stored_file_id=stored.id, status=PREVIEWING,
                        enterprise_id=actor.enterprise_id if kind.name == ROSTER else None)
    db.session.add(batch)
    db.session.flush()
    batch.preview_job_id = queue.enqueue(actor, PREVIEW_KIND, batch_id=batch.id).id
    audit.record("import.uploaded", actor=actor, obj=batch, enterprise_id=batch.enterprise_id, kind=kind.name,
                 file=stored.original_name)
    return batch


def start_apply(actor, batch: ImportBatch) -> Job:
    """Start applying a previewed batch (RuleViolation unless its preview is finished and it was not
    applied yet; NotAllowed / NotFound as get_batch)."""
    kind_of(batch.kind).require_actor(actor)
    if batch.status != PREVIEWED:
        raise RuleViolation(_l("只有预览完成、尚未导入的文件才能确认导入。"))
    job = queue.enqueue(actor, APPLY_KIND, batch_id=batch.id)
    batch.apply_job_id, batch.status = job.id, APPLYING
    return job


def _discardable(batch: ImportBatch) -> bool:
    """Not applied: previewed, or its preview failed."""
    return batch.status == PREVIEWED or (batch.status == PREVIEWING and job_state(batch)[1] == "failed")


def may_discard(actor, batch: ImportBatch) -> bool:
    """Whether `discard` would accept: the importer, on a batch not applied (for the page's button)."""
    return actor.id == batch.created_by_id and _discardable(batch)


def discard(actor, batch: ImportBatch) -> ImportBatch:
    """The importer gives up a batch not applied (放弃): previewed, or its preview failed. NotAllowed for
    anyone but the importer; RuleViolation while a job runs on it or once applied. Audited."""
    if actor.id != batch.created_by_id:
        raise NotAllowed(_l("只有上传这个文件的人可以放弃这次导入。"))
    if not _discardable(batch):
        raise RuleViolation(_l("只有尚未导入的文件可以放弃。"))
    batch.status = DISCARDED
    audit.record("import.discarded", actor=actor, obj=batch, enterprise_id=batch.enterprise_id, kind=batch.kind)
    return batch


def _in_reach(actor, batch: ImportBatch) -> bool:
    if batch.kind == ROSTER:
        return policy.is_hr(actor) and batch.enterprise_id == actor.enterprise_id
    return policy.is_admin(actor)


def get_batch(actor, batch_id: int) -> ImportBatch:
    """A batch on the actor's side (the HR of its enterprise; admins for the enterprise list), else NotFound."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or not _in_reach(actor, batch):
        raise NotFound(_l("找不到这次导入。"))
    return batch


def recent_batches(actor, kind_name: str, limit: int = 10) -> list[ImportBatch]:
    """The latest batches of `kind_name` on the actor's side, newest first."""
    stmt = select(ImportBatch).where(ImportBatch.kind == kind_name)
    if kind_name == ROSTER:
        if not policy.is_hr(actor):
            return []
        stmt = stmt.where(ImportBatch.enterprise_id == actor.enterprise_id)
    elif not policy.is_admin(actor):
        return []
    return list(db.session.scalars(stmt.options(db.joinedload(ImportBatch.stored_file))
                                   .order_by(ImportBatch.id.desc()).limit(limit)))


def rows_query(batch: ImportBatch, outcome: str | None = None):
    """The batch's rows in file order, optionally of one outcome (for the paged preview)."""
    stmt = select(ImportRow).where(ImportRow.batch_id == batch.id)
    if outcome in OUTCOMES:
        stmt = stmt.where(ImportRow.outcome == outcome)
    return stmt.order_by(ImportRow.row_no)


def job_state(batch: ImportBatch) -> tuple[Job | None, str]:
    """The batch's running or last job and the state to show: the batch's own, or "failed" when the
    job of its current step failed (the file's problem is that job's message)."""
    job_id = batch.apply_job_id if batch.status in (APPLYING, APPLIED) else batch.preview_job_id
    job = db.session.get(Job, job_id) if job_id else None
    if job is not None and job.status == JOB_FAILED and batch.status in (PREVIEWING, APPLYING):
        return job, "failed"
    return job, batch.status


# --- the jobs -----------------------------------------------------------------------------------


def _count_rows(batch: ImportBatch) -> int:
    """An upper bound of the data rows, for the progress bar."""
    return tables.row_count(stored_path(batch.stored_file), batch.stored_file.kind)


def _release(before: set, keep: tuple) -> None:
    """Let go of the ORM objects the chunk just done loaded or made (flushed; the transaction stays
    open); what the session held before the import (`before`: identity keys) and `keep` stay."""
    db.session.flush()
    for key, obj in list(db.session.identity_map.items()):
        if key not in before and not any(obj is kept for kept in keep):
            db.session.expunge(obj)


def refused(row: Row, error: RuleViolation) -> None:
    """A row a service refused while applying: an error on the refused field's cell."""
    row.problem(error.field or "name", error.message)


def process(actor, batch: ImportBatch, *, apply: bool, report=None) -> Counter:
    """Classify (and with `apply`, apply) every data row of the batch's file, replacing its stored
    rows; returns the count per outcome. RuleViolation for the file's own problems (no header...)."""
    kind = kind_of(batch.kind)
    kind.require_actor(actor)
    path, file_kind = stored_path(batch.stored_file), batch.stored_file.kind
    total = _count_rows(batch)
    table = tables.read_table(path, file_kind, kind.fields)
    context = kind.prepare(actor, batch)
    before = set(db.session.identity_map.keys())
    db.session.execute(delete(ImportRow).where(ImportRow.batch_id == batch.id))
    counts: Counter = Counter()
    done = 0
    chunk: list = []

    def flush_chunk():
        nonlocal done
        rows = kind.classify(context, chunk)
        if apply:
            kind.apply(actor, context, [row for row in rows if row.outcome in (NEW, UPDATE, TRANSFER)])
        db.session.execute(insert(ImportRow), [
            {"batch_id": batch.id, "row_no": r.row_no, "outcome": r.outcome, "values": r.values,
             "problems": r.problems, "changes": r.changes, "note": r.note} for r in rows])
        counts.update(r.outcome for r in rows)
        done += len(chunk)
        chunk.clear()
        _release(before, (actor, batch, batch.stored_file, *getattr(context, "keep", ())))
        if report is not None:
            report(done, max(total - table.header_row, done))

    for item in table.rows:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            flush_chunk()
    if chunk:
        flush_chunk()
    batch.count_new, batch.count_update = counts[NEW], counts[UPDATE]
    batch.count_unchanged, batch.count_error = counts[UNCHANGED], counts[ERROR]
    batch.count_transfer = counts[TRANSFER]
    if report is not None:
        report(done, done)
    return counts


def _batch_for_job(actor, params: dict) -> ImportBatch:
    return get_batch(actor, int(params["batch_id"]))


def _numbers(counts: Counter) -> dict:
    return {"new": counts[NEW], "update": counts[UPDATE], "transfer": counts[TRANSFER],
            "unchanged": counts[UNCHANGED], "error": counts[ERROR]}


@queue.job_kind(PREVIEW_KIND, _l("导入预览"))
def preview_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"batch_id"}; classifies every row and marks the batch previewed."""
    batch = _batch_for_job(actor, params)
    counts = process(actor, batch, apply=False, report=report)
    batch.status, batch.previewed_at = PREVIEWED, clock.now()
    return queue.JobResult(deferred("预览完成：新增 %(new)d，更新 %(update)d，调入 %(transfer)d，无变化 %(unchanged)d，"
                                    "错误 %(error)d。",
                                    **_numbers(counts)))


@queue.job_kind(APPLY_KIND, _l("导入"))
def apply_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"batch_id"}; applies the new and update rows in one transaction."""
    batch = _batch_for_job(actor, params)
    previewed = dict(batch.counts)
    counts = process(actor, batch, apply=True, report=report)
    batch.status, batch.applied_at = APPLIED, clock.now()
    audit.record("import.applied", actor=actor, obj=batch, enterprise_id=batch.enterprise_id, kind=batch.kind,
                 **{k: counts[k] for k in OUTCOMES})
    if any(previewed[k] != counts[k] for k in OUTCOMES):
        was = {f"was_{key}": value for key, value in _numbers(Counter(previewed)).items()}
        return queue.JobResult(deferred(
            "数据已变化，按最新数据导入：新增 %(new)d，更新 %(update)d，调入 %(transfer)d，无变化 %(unchanged)d，"
            "错误 %(error)d（未导入）；预览时为新增 %(was_new)d，更新 %(was_update)d，调入 %(was_transfer)d，"
            "无变化 %(was_unchanged)d，错误 %(was_error)d。各行结果见下表。", **_numbers(counts), **was))
    return queue.JobResult(deferred("已导入：新增 %(new)d，更新 %(update)d，调入 %(transfer)d，无变化 %(unchanged)d，"
                                    "错误 %(error)d（未导入）。", **_numbers(counts)))


CHANGED_PREFIX = "数据已变化，按最新数据导入"


def changed_since_preview(job: Job | None) -> bool:
    """True when the batch's apply job found other results than its preview (its message says how)."""
    return bool(job is not None and job.message and str(job.message.get("text", "")).startswith(CHANGED_PREFIX))


def row_count(batch: ImportBatch, outcome: str | None = None) -> int:
    """How many stored rows the batch has (of one outcome)."""
    stmt = select(func.count(ImportRow.id)).where(ImportRow.batch_id == batch.id)
    if outcome in OUTCOMES:
        stmt = stmt.where(ImportRow.outcome == outcome)
    return db.session.scalar(stmt) or 0


def require_import_kind(actor, kind_name: str) -> Kind:
    """The kind, if `actor` may import it (NotAllowed otherwise)."""
    kind = kind_of(kind_name)
    kind.require_actor(actor)
    return kind



