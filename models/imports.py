"""Bulk imports from spreadsheets (issue 13): one ImportBatch per uploaded file, one ImportRow per data row.

A batch goes upload -> preview (a background job reads the file, classifies every row: new, update,
unchanged or error, and stores the rows with their reasons) -> apply (a second job applies the file
again in one transaction). The uploaded file stays a StoredFile between the two steps.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.files import StoredFile
from models.types import UTCDateTime, utcnow

ROSTER, ENTERPRISES = "roster", "enterprises"
IMPORT_KIND_LABELS = {ROSTER: _l("花名册导入"), ENTERPRISES: _l("企业导入")}

# A batch's states.
UPLOADED, PREVIEWING, PREVIEWED, APPLYING, APPLIED, FAILED, DISCARDED = (
    "uploaded", "previewing", "previewed", "applying", "applied", "failed", "discarded")
IMPORT_STATUS_LABELS = {
    UPLOADED: _l("已上传"), PREVIEWING: _l("正在预览"), PREVIEWED: _l("待确认导入"),
    APPLYING: _l("正在导入"), APPLIED: _l("已导入"), FAILED: _l("失败"), DISCARDED: _l("已放弃"),
}

# A row's outcomes.
# TRANSFER (调入): the phone belongs to the same person registered elsewhere; applying starts a transfer.
NEW, UPDATE, TRANSFER, UNCHANGED, ERROR = "new", "update", "transfer", "unchanged", "error"
ROW_OUTCOME_LABELS = {NEW: _l("新增"), UPDATE: _l("更新"), TRANSFER: _l("调入"), UNCHANGED: _l("无变化"),
                      ERROR: _l("错误")}
OUTCOMES = (NEW, UPDATE, TRANSFER, UNCHANGED, ERROR)


class ImportBatch(db.Model):
    """One uploaded file of an import: who, what kind, for which enterprise (a roster), its state and counts."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    status: Mapped[str] = mapped_column(String(16), default=UPLOADED)
    preview_job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    apply_job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    count_new: Mapped[int] = mapped_column(Integer, default=0)
    count_update: Mapped[int] = mapped_column(Integer, default=0)
    count_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    count_error: Mapped[int] = mapped_column(Integer, default=0)
    count_transfer: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    previewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    stored_file: Mapped[StoredFile] = relationship()

    @property
    def kind_label(self):
        return IMPORT_KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return IMPORT_STATUS_LABELS.get(self.status, self.status)

    @property
    def counts(self) -> dict[str, int]:
        return {NEW: self.count_new, UPDATE: self.count_update, TRANSFER: self.count_transfer,
                UNCHANGED: self.count_unchanged, ERROR: self.count_error}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class ImportRow(db.Model):
    """One data row of a batch as the preview classified it: the values read (as shown), the outcome,
    the fields that change, an explanation of the outcome (a transfer), and the reason per cell
    ({field key: deferred message JSON})."""

    __tablename__ = "import_row"
    __table_args__ = (Index("ix_import_row_batch_id_row_no", "batch_id", "row_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    row_no: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(12))
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    problems: Mapped[dict] = mapped_column(JSON, default=dict)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[dict | None] = mapped_column(JSON)  # an explanation of the outcome (deferred message JSON)

    @property
    def outcome_label(self):
        return ROW_OUTCOME_LABELS.get(self.outcome, self.outcome)
