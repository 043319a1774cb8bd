"""Awards: granting a title within the round's quota, public notice, finalising, revoking, holders.

Rules (docs/domain.md, "Titles" and "Public notice"):
- The union admin awards approved nominations up to the round's quota; the quota is a guarded
  counter (one UPDATE ... WHERE awarded_count < quota), so concurrent awards never exceed it.
- The same title is never awarded twice to one person (also a unique constraint).
- After the nomination deadline the round's awards go to public notice (services.common.notices);
  when the notice is finalised they become final. Until then a title is only proposed (拟授予).
- An award can be revoked with a reason; it is kept and shown as revoked. Revoking during the
  notice frees its quota place. Every status change is audited.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, update

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, User, db
from models.titles import (
    AWARD_FINAL,
    AWARD_NOTICE,
    AWARD_REVOKED,
    NOMINATION_APPROVED,
    NOMINATION_AWARDED,
    ROUND_CLOSED,
    ROUND_FINAL,
    ROUND_NOTICE,
    ROUND_OPEN,
    TITLE_NOTICE_SUBJECT,
    Nomination,
    TitleAward,
    TitleRound,
    award_stage_label,
)
from services import policy
from services.common import audit, notices, standing
from services.common.rows import PlainRow
from services.errors import NotFound, RuleViolation
from services.titles import events
from services.titles.certificates import new_verification_code


def ensure_not_awarded_twice(already_holds: bool, field: str | None = None) -> None:
    """The same title is never awarded twice to one person (docs/domain.md, "Titles"): a
    RuleViolation (on `field`, when given) if `already_holds`. Called when nominating and awarding."""
    if already_holds:
        raise RuleViolation(_l("该职工已获得这个称号，同一称号不能重复授予。"), field=field)


def award(actor, nomination: Nomination, award_date: date | None = None) -> TitleAward:
    """Award the title to an approved nomination, within the round's quota (guarded counter).

    Union admins only (NotAllowed); the nomination is approved and the round not yet on notice, the
    worker has standing now (services.common.standing: active account, still with the nominating
    enterprise, which is active), does not hold (nor ever held) the title and a quota place is free
    (RuleViolation otherwise). `award_date` defaults to today (Asia/Shanghai); the award is on notice (拟授予),
    with a certificate number JX-<year>-<title id>-<n> and a secret verification code. Audited.
    """
    policy.require_admin(actor, _l("只有总工会管理员可以授予称号。"))
    title_round = nomination.round
    if nomination.status != NOMINATION_APPROVED:
        raise RuleViolation(_l("只有评审通过的推荐可以授予称号。"))
    if title_round.status not in (ROUND_OPEN, ROUND_CLOSED):
        raise RuleViolation(_l("评选结果已公示，不能再授予。"))
    standing.require_standing(nomination.worker, nomination.enterprise_id)
    ensure_not_awarded_twice(db.session.scalar(
        db.select(TitleAward.id).where(TitleAward.title_type_id == title_round.title_type_id,
                                       TitleAward.worker_id == nomination.worker_id)) is not None)
    _take_quota_place(title_round)
    award_date = award_date or clock.today()
    title_type = title_round.title_type
    valid_until = None
    if title_type.validity_years:
        valid_until = award_date.replace(year=award_date.year + title_type.validity_years)
    granted = TitleAward(
        title_type_id=title_type.id, worker_id=nomination.worker_id, round_id=title_round.id,
        nomination_id=nomination.id, enterprise_id=nomination.enterprise_id,
        certificate_no=f"JX-{title_round.year}-{title_type.id:02d}-{title_round.awarded_count:04d}",
        verification_code=new_verification_code(), award_date=award_date, valid_until=valid_until,
        citation=nomination.citation, status=AWARD_NOTICE, awarded_by_id=actor.id,
    )
    db.session.add(granted)
    nomination.status = NOMINATION_AWARDED
    if title_round.status == ROUND_OPEN and clock.now() >= title_round.deadline:
        title_round.status = ROUND_CLOSED
    db.session.flush()
    audit.record("title.awarded", actor=actor, obj=granted, worker_id=granted.worker_id, title=title_type.name,
                 certificate_no=granted.certificate_no)
    return granted


def _take_quota_place(title_round: TitleRound) -> None:
    """Count one award against the quota in one guarded UPDATE, or refuse when it is used up."""
    taken = db.session.execute(
        update(TitleRound).where(TitleRound.id == title_round.id, TitleRound.awarded_count < TitleRound.quota)
        .values(awarded_count=TitleRound.awarded_count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise RuleViolation(_l("本次评选的名额（%(n)d 名）已用完。", n=title_round.quota))
    db.session.refresh(title_round, ["awarded_count"])


def publish_awards(actor, title_round: TitleRound, working_days: int = notices.DEFAULT_WORKING_DAYS):
    """Put the round's awards on public notice for `working_days` working days; returns the notice.

    Union admins only (NotAllowed); after the nomination deadline, once per round and only when
    someone was awarded (RuleViolation otherwise). Audited.
    """
    notices.require_publisher(actor)
    if title_round.status not in (ROUND_OPEN, ROUND_CLOSED):
        raise RuleViolation(_l("这次评选已经公示过了。"))
    if clock.now() < title_round.deadline:
        raise RuleViolation(_l("推荐截止后才能公示结果。"))
    if not title_round.awarded_count:
        raise RuleViolation(_l("还没有授予任何人，无需公示。"))
    notice = notices.publish(actor, TITLE_NOTICE_SUBJECT, title_round.id,
                             f"{title_round.year}年度“{title_round.title_type.name}”拟授予名单公示", working_days)
    title_round.status = ROUND_NOTICE
    audit.record("title_round.noticed", actor=actor, obj=title_round, notice_id=notice.id)
    return notice


def round_notice(title_round: TitleRound):
    """The round's public notice, or None before it is published."""
    return notices.notice_for(TITLE_NOTICE_SUBJECT, title_round.id)


def finalise_round(actor, title_round: TitleRound) -> None:
    """After the notice period, with every objection resolved, the round's awards become final.

    RuleViolation when the round is not on notice; the notice's own rules (admins only, period
    over, no pending objection) are services.common.notices.finalise's. Audited.
    """
    notice = round_notice(title_round)
    if notice is None or title_round.status != ROUND_NOTICE:
        raise RuleViolation(_l("这次评选还没有公示。"))
    notices.finalise(actor, notice)
    for granted in db.session.scalars(db.select(TitleAward).where(TitleAward.round_id == title_round.id,
                                                                  TitleAward.status == AWARD_NOTICE)):
        granted.status = AWARD_FINAL
        audit.record("title.final", actor=actor, obj=granted, old=AWARD_NOTICE, new=AWARD_FINAL)
    title_round.status = ROUND_FINAL
    audit.record("title_round.final", actor=actor, obj=title_round)
    db.session.flush()
    events.titles_final(title_round)


def revoke_award(actor, granted: TitleAward, reason: str) -> None:
    """Revoke a title with a reason of at least 4 characters; union admins only (NotAllowed).

    The award is kept and shown as revoked; during the notice its quota place is freed. Revoking
    twice is a RuleViolation. Audited.
    """
    policy.require_admin(actor, _l("只有总工会管理员可以撤销称号。"))
    if granted.status == AWARD_REVOKED:
        raise RuleViolation(_l("这个称号已经撤销。"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise RuleViolation(_l("请写明撤销理由。"), field="reason")
    old = granted.status
    if old == AWARD_NOTICE and granted.round_id:
        db.session.execute(update(TitleRound).where(TitleRound.id == granted.round_id)
                           .values(awarded_count=TitleRound.awarded_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.refresh(granted.round, ["awarded_count"])
    granted.status = AWARD_REVOKED
    granted.revoked_at = clock.now()
    granted.revoked_reason = reason
    granted.revoked_by_id = actor.id
    audit.record("title.revoked", actor=actor, obj=granted, old=old, new=AWARD_REVOKED, reason=reason)
    events.revoked(granted)


def get_award(award_id: int) -> TitleAward:
    """The award with this id; NotFound (404) otherwise. Who may see its certificate is
    services.titles.policy.can_see_award_certificate."""
    granted = db.session.get(TitleAward, award_id)
    if granted is None:
        raise NotFound(_l("找不到这个称号记录。"))
    return granted


def round_awards(title_round: TitleRound) -> list[TitleAward]:
    """Every award of a round (at most its quota), revoked ones included, holders with their trade and
    enterprise loaded in the same query: the admin's round page and the round's public notice."""
    return list(db.session.scalars(
        db.select(TitleAward).options(db.joinedload(TitleAward.worker).joinedload(User.trade),
                                      db.joinedload(TitleAward.worker).lazyload(User.role_rows),
                                      db.joinedload(TitleAward.enterprise))
        .where(TitleAward.round_id == title_round.id).order_by(TitleAward.id)))


class AwardRow(PlainRow):
    """A line of the admin's round page: an award as plain columns, its label read with its round's stage."""

    __slots__ = ("id", "certificate_no", "status", "revoked_reason", "worker_name", "enterprise_name",
                 "status_label")


def round_award_rows(title_round: TitleRound) -> list[AwardRow]:
    """round_awards as plain rows of what the admin's round page shows (the holder's and the enterprise's
    names read through their keys, "" without an enterprise; the status label as award.status_label
    reads it), in the same order; one kept statement (the round's id a bind parameter) on the session's
    connection."""
    rows = db.session.flush() or db.session.connection().execute(
        shared_statement(("titles.round_award_rows",), _award_rows_statement), {_ROUND.key: title_round.id})
    return [AwardRow(*row[:5], row[5] or "", award_stage_label(row[2], title_round.status)) for row in rows]


_ROUND = bindparam("round_award_rows_round")


def _award_rows_statement():
    A = TitleAward
    return db.select(A.id, A.certificate_no, A.status, A.revoked_reason,
                     db.select(User.name).where(User.id == A.worker_id).correlate(A).scalar_subquery(),
                     db.select(Enterprise.name).where(Enterprise.id == A.enterprise_id).correlate(A).scalar_subquery(),
                     ).where(A.round_id == _ROUND).order_by(A.id)


def holds_any_title(worker_id: int) -> bool:
    """A final (after public notice), unrevoked title of any type."""
    return db.session.scalar(db.select(TitleAward.id).where(TitleAward.worker_id == worker_id,
                                                           TitleAward.status == AWARD_FINAL).limit(1)) is not None


def awards_of(worker_id: int) -> list[TitleAward]:
    """Every title award of a worker (on notice, final and revoked), oldest first, with its title type (a
    kept statement: core.statements.shared_statement, the worker's id a bind parameter)."""
    worker = bindparam("awards_of_worker")
    stmt = shared_statement(("titles.awards_of",), lambda: (
        db.select(TitleAward).options(db.joinedload(TitleAward.title_type))
        .where(TitleAward.worker_id == worker).order_by(TitleAward.award_date)))
    return list(db.session.scalars(stmt, {worker.key: worker_id}))


# The objection flow (blueprints/notices) for a round's awards: everybody logged in sees the round's notice
# page and objects there; the admin resolves on the round's page.
notices.register_subject(TITLE_NOTICE_SUBJECT, notices.NoticeSubject(
    can_see=notices.visible_if(TitleRound),
    page=lambda round_id: ("titles.round_notice", {"round_id": round_id}),
    owner_page=lambda round_id: ("titles.round_detail", {"round_id": round_id}),
    filed=_l("您的异议已实名提交，管理员处理后会记录处理意见。"), resolved=_l("异议处理结果已保存。")))
