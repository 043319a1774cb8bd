"""Employment history (任职记录) and transfers between enterprises (调入 / 离职).

One person, one account for life (docs/domain.md): `user.enterprise_id` is the current employer and
every period at an enterprise is an Employment row (enterprise, employee number, trade, from, to and
how it ended). A Transfer is enterprise B's request to take on a person still registered at
enterprise A (or at none); services.accounts.transfers runs it: the person confirms, A's HR confirms
the leave date or answers "still employed here", and it completes (or times out into completion).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.l10n import lazy_gettext as _l
from models import db
from models.types import UTCDateTime, utcnow

# How an employment ended.
ENDED_LEFT = "left"  # HR recorded the leave (离职)
ENDED_TRANSFERRED = "transferred"  # the person moved to another enterprise (调出)
END_LABELS = {ENDED_LEFT: _l("离职"), ENDED_TRANSFERRED: _l("调往其他企业")}

# A transfer's status.
TRANSFER_PENDING = "pending"
TRANSFER_COMPLETED = "completed"
TRANSFER_STOPPED = "stopped"  # the old enterprise answered "still employed here"
TRANSFER_DECLINED = "declined"  # the person declined it
TRANSFER_STATUS_LABELS = {
    TRANSFER_PENDING: _l("进行中"),
    TRANSFER_COMPLETED: _l("已调入"),
    TRANSFER_STOPPED: _l("已终止（原企业确认仍在职）"),
    TRANSFER_DECLINED: _l("已终止（本人拒绝调入）"),
}

# The old enterprise's answer.
ANSWER_LEFT = "left"
ANSWER_EMPLOYED = "employed"
ANSWER_LABELS = {ANSWER_LEFT: _l("已确认离职日期"), ANSWER_EMPLOYED: _l("仍在本企业任职")}


class Employment(db.Model):
    """One period of a person at one enterprise: open while `ended_on` is empty or in the future.

    `ended_on` is the leave date (the last day is the day before); `closed_at` is when the leave took
    effect (the person left the enterprise, roles and open commitments there ended); a leave recorded
    for a future day has `ended_on` set and `closed_at` empty until that day.
    """

    __tablename__ = "employment"
    __table_args__ = (Index("ix_employment_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    employee_no: Mapped[str | None] = mapped_column(String(32))
    trade_id: Mapped[int | None] = mapped_column(ForeignKey("trade.id"))
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, index=True)
    end_reason: Mapped[str | None] = mapped_column(String(16))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise = relationship("Enterprise")
    trade = relationship("Trade")

    @property
    def end_label(self):
        return END_LABELS.get(self.end_reason, self.end_reason) if self.end_reason else ""


class Transfer(db.Model):
    """Enterprise `to_enterprise_id` asks to take on person `user_id` (调入), registered at
    `from_enterprise_id` (None: at no enterprise). The new employment's fields wait here until it
    completes. `code_hash` is the keyed hash of the one-time code HR hands over (never the code)."""

    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    from_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    to_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    employee_no: Mapped[str | None] = mapped_column(String(32))
    trade_id: Mapped[int | None] = mapped_column(ForeignKey("trade.id"))
    hire_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=TRANSFER_PENDING, index=True)
    code_hash: Mapped[str | None] = mapped_column(String(64))
    person_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leave_date: Mapped[date | None] = mapped_column(Date)
    answer_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person = relationship("User", foreign_keys=[user_id])
    from_enterprise = relationship("Enterprise", foreign_keys=[from_enterprise_id])
    to_enterprise = relationship("Enterprise", foreign_keys=[to_enterprise_id])
    trade = relationship("Trade")

    @property
    def status_label(self):
        return TRANSFER_STATUS_LABELS.get(self.status, self.status)

    @property
    def answer_label(self):
        return ANSWER_LABELS.get(self.answer, self.answer) if self.answer else ""
