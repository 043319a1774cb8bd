"""The yearly excellent-pair selection (优秀师徒评选).

Rules (docs/domain.md, "Mentoring": the union selects excellent pairs each year by quota; "Titles":
public notice 公示 before an honour is final):
- Each year has one round with a quota (the setting `excellent_quota`, default 100, fixed when the
  round opens). HR nominates completed pairs of their own enterprise that passed the final
  assessment, with a short citation (10-500 characters); a pair is nominated once, ever.
- Union admins select nominations up to the quota (a guarded counter: UPDATE ... WHERE
  selected_count < quota, so two admins cannot overrun it) and publish the selection for public
  notice (公示, services.common.notices, default 5 working days). During the notice anyone logged in may object
  under their real name; the admin resolves each objection and may withdraw a selection (an upheld
  objection); after the notice, with every objection resolved, the admin confirms and the honour is
  final and shows on both people's records, and each selected pair gets its certificate's verification
  code (services.mentorship.excellent_certificates). Nominating into a published round is refused.
- A final honour can be revoked by a union admin with a reason (like a title, services.titles.awards):
  it is kept and shown 已撤销 with its date on the list, the pair's page, the public verification and
  the certificate (stamped); it leaves both people's growth records' honours and their evidence, and
  both are told in the message centre.
Every step is audited. The notice's subject is models.mentorship.EXCELLENT_NOTICE_SUBJECT.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, Trade, User, db
from models.mentorship import EXCELLENT_NOTICE_SUBJECT, Assessment, ExcellentNomination, ExcellentRound, MentorPair
from models.notices import NOTICE_FINAL, PublicNotice
from services import policy
from services.common import audit, notices, standing, verification
from services.errors import NotAllowed, NotFound, RuleViolation
from services.mentorship import events
from services.mentorship import policy as mentorship_policy
from services.mentorship.settings import get_settings

ADMIN_ONLY = _l("只有总工会管理员可以评选优秀师徒。")

# --- rounds and nominations ---------------------------------------------------------------------------


def get_round(year: int) -> ExcellentRound | None:
    """The round of `year` (e.g. 2026), or None when nobody nominated that year."""
    return db.session.scalar(db.select(ExcellentRound).where(ExcellentRound.year == year))


def ensure_round(year: int) -> ExcellentRound:
    """The year's round, opened with the current quota setting when missing."""
    selection = get_round(year)
    if selection is None:
        selection = ExcellentRound(year=year, quota=get_settings().excellent_quota, selected_count=0,
                                   published=False)
        db.session.add(selection)
        db.session.flush()
    return selection


def rounds() -> list[ExcellentRound]:
    """Every round, the latest year first."""
    return list(db.session.scalars(db.select(ExcellentRound).order_by(ExcellentRound.year.desc())))


def nominate(actor, pair: MentorPair, citation: str) -> ExcellentNomination:
    """HR nominates a completed, passed pair of their enterprise for this year's round, with a
    citation of 10-500 characters. Raises NotAllowed for anyone but the enterprise's HR and
    RuleViolation for a pair that did not pass, a round already published or a second nomination."""
    if not mentorship_policy.is_enterprise_hr(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以推荐优秀师徒。"))
    if not mentorship_policy.passed_final_assessment(pair):
        raise RuleViolation(_l("只有出师考核合格的结对可以推荐为优秀师徒。"))
    citation = (citation or "").strip()
    if not 10 <= len(citation) <= 500:
        raise RuleViolation(_l("推荐理由须为 10 到 500 字。"), field="citation")
    year = clock.today().year
    selection = ensure_round(year)
    if selection.published:
        raise RuleViolation(_l("%(year)d 年优秀师徒评选结果已公布，不能再推荐。", year=year))
    nominated_twice = RuleViolation(_l("这个结对已经推荐过。"))
    if db.session.scalar(db.select(ExcellentNomination.id).where(ExcellentNomination.pair_id == pair.id)):
        raise nominated_twice
    nomination = ExcellentNomination(round_id=selection.id, pair_id=pair.id, enterprise_id=pair.enterprise_id,
                                     citation=citation, nominated_by_id=actor.id, nominated_at=clock.now())
    db.session.add(nomination)
    try:
        db.session.flush()
    except IntegrityError as error:  # a concurrent nomination of the same pair won
        raise nominated_twice from error
    audit.record("mentorship.excellent_nominated", actor=actor, obj=pair, year=year, nomination=nomination.id)
    return nomination


def get_nomination(actor, nomination_id: int) -> ExcellentNomination:
    """A nomination the actor manages (admins all, HR their enterprise's), else NotFound."""
    stmt = db.select(ExcellentNomination).where(ExcellentNomination.id == nomination_id)
    nomination = db.session.scalar(mentorship_policy.scope_managed_nominations(stmt, actor))
    if nomination is None:
        raise NotFound(_l("找不到这条推荐。"))
    return nomination


def nomination_for_pair(pair_id: int) -> ExcellentNomination | None:
    """The pair's nomination (a pair is nominated once, ever), with its round, or None. A kept statement
    (core.statements.shared_statement, the pair's id a bind parameter)."""
    stmt = shared_statement(("mentorship.nomination_for_pair",), lambda: (
        db.select(ExcellentNomination).where(ExcellentNomination.pair_id == bindparam("pair_id"))
        .options(db.joinedload(ExcellentNomination.round))))
    return db.session.scalar(stmt, {"pair_id": pair_id})


def nominations_query(actor, year: int, *, selected_only: bool = False, rows: bool = False):
    """The year's nominations the actor may see (policy.scope_nominations), selected first. A page of
    them is sorted on the nominations alone; their pairs (people, trade, assessment) and enterprises
    are loaded afterwards for that page only, in two more queries. With `rows`, plain rows of the columns
    the list shows in one query (the nomination's id, citation, selected, certificate_code, revoked_at,
    revoked_reason; mentor_id, apprentice_id, mentor_name, apprentice_name, enterprise_name, trade_name,
    grade: None without a final assessment), no ORM objects."""
    N = ExcellentNomination
    if rows:
        stmt = (db.select(N.id, N.citation, N.selected, N.certificate_code, N.revoked_at, N.revoked_reason,
                          MentorPair.mentor_id, MentorPair.apprentice_id, *_shown_columns())
                .join(ExcellentRound, ExcellentRound.id == N.round_id)
                .join(MentorPair, MentorPair.id == N.pair_id)
                .where(ExcellentRound.year == year))
    else:
        stmt = (db.select(N).join(ExcellentRound, ExcellentRound.id == N.round_id)
                .where(ExcellentRound.year == year)
                .options(db.selectinload(N.pair).options(
                             db.joinedload(MentorPair.mentor).lazyload(User.role_rows),  # roles not shown
                             db.joinedload(MentorPair.apprentice).lazyload(User.role_rows),
                             db.joinedload(MentorPair.trade), db.joinedload(MentorPair.assessment)),
                         db.selectinload(N.enterprise)))
    if selected_only:
        stmt = stmt.where(ExcellentNomination.selected)
    stmt = mentorship_policy.scope_nominations(stmt, actor)
    return stmt.order_by(ExcellentNomination.selected.desc(), ExcellentNomination.id)


@cache
def _shown_columns() -> tuple:
    """The list's columns read through unique keys (mentor_name, apprentice_name, enterprise_name,
    trade_name, grade), scalar subqueries correlated to the nomination and its pair: the same values as
    joins on these required keys (the assessment's: None without one), but PostgreSQL plans the statement
    in a twentieth of the time (seven joined tables cost 8 ms of planning per view at scale 1.0). Built
    once per process (they hold no bind values)."""
    N = ExcellentNomination

    def one(column, *where):
        return db.select(column).where(*where).correlate(N, MentorPair).scalar_subquery()

    return (one(User.name, User.id == MentorPair.mentor_id).label("mentor_name"),
            one(User.name, User.id == MentorPair.apprentice_id).label("apprentice_name"),
            one(Enterprise.name, Enterprise.id == N.enterprise_id).label("enterprise_name"),
            one(Trade.name, Trade.id == MentorPair.trade_id).label("trade_name"),
            one(Assessment.grade, Assessment.pair_id == MentorPair.id).label("grade"))


# --- selection, public notice, final honours -------------------------------------------------------------


def select(actor, nomination: ExcellentNomination) -> None:
    """Admin selects a nomination within the round's quota (guarded counter). Raises NotAllowed for
    anyone but a union admin, RuleViolation for a published round, a nomination already selected, a
    mentor or apprentice without standing now (services.common.standing) or a full quota."""
    policy.require_admin(actor, ADMIN_ONLY)
    selection = nomination.round
    if selection.published:
        raise RuleViolation(_l("评选结果已公布，不能再更改。"))
    if nomination.selected:
        raise RuleViolation(_l("这条推荐已经入选。"))
    for person in (nomination.pair.mentor, nomination.pair.apprentice):
        standing.require_standing(person, nomination.enterprise_id)
    taken = db.session.execute(
        update(ExcellentRound).where(ExcellentRound.id == selection.id,
                                     ExcellentRound.selected_count < ExcellentRound.quota)
        .values(selected_count=ExcellentRound.selected_count + 1).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise RuleViolation(_l("%(year)d 年优秀师徒名额（%(quota)d 对）已满。", year=selection.year,
                               quota=selection.quota))
    nomination.selected = True
    nomination.selected_by_id = actor.id
    nomination.selected_at = clock.now()
    db.session.flush()
    db.session.refresh(selection)
    audit.record("mentorship.excellent_selected", actor=actor, obj=nomination.pair, year=selection.year)


def deselect(actor, nomination: ExcellentNomination) -> None:
    """Admin withdraws a selection before the result is final (during the notice: an upheld
    objection). Raises NotAllowed for anyone but a union admin, RuleViolation once final or for a
    nomination not selected."""
    policy.require_admin(actor, ADMIN_ONLY)
    selection = nomination.round
    if is_final(selection):
        raise RuleViolation(_l("评选结果已经确认，不能再更改。"))
    if not nomination.selected:
        raise RuleViolation(_l("这条推荐尚未入选。"))
    db.session.execute(
        update(ExcellentRound).where(ExcellentRound.id == selection.id, ExcellentRound.selected_count > 0)
        .values(selected_count=ExcellentRound.selected_count - 1).execution_options(synchronize_session=False))
    nomination.selected = False
    nomination.selected_by_id = None
    nomination.selected_at = None
    db.session.flush()
    db.session.refresh(selection)
    audit.record("mentorship.excellent_deselected", actor=actor, obj=nomination.pair, year=selection.year)


def publish(actor, year: int, working_days: int = notices.DEFAULT_WORKING_DAYS) -> ExcellentRound:
    """Admin publishes the year's selection (at least one selected pair) for public notice of
    `working_days` working days. Raises NotAllowed for anyone but a union admin, NotFound for a year
    without a round, RuleViolation for a round already published or with nobody selected."""
    policy.require_admin(actor, ADMIN_ONLY)
    selection = get_round(year)
    if selection is None:
        raise NotFound(_l("这一年还没有优秀师徒评选。"))
    if selection.published:
        raise RuleViolation(_l("评选结果已经公布。"))
    if selection.selected_count < 1:
        raise RuleViolation(_l("请先选出至少一对优秀师徒。"))
    notices.publish(actor, EXCELLENT_NOTICE_SUBJECT, selection.id, f"{year}年优秀师徒拟表彰名单公示", working_days)
    selection.published = True
    selection.published_at = clock.now()
    selection.published_by_id = actor.id
    db.session.flush()
    audit.record("mentorship.excellent_published", actor=actor, year=year, selected=selection.selected_count)
    return selection


def round_notice(selection: ExcellentRound | None):
    """The round's public notice (services.common.notices), or None before publication."""
    return notices.notice_for(EXCELLENT_NOTICE_SUBJECT, selection.id) if selection is not None else None


_UNREAD = object()


def is_final(selection: ExcellentRound | None, notice=_UNREAD) -> bool:
    """Whether the round's notice is over and confirmed: its honours are final. `notice`: the round's
    notice (round_notice, None for none) when the caller has read it already."""
    if notice is _UNREAD:
        notice = round_notice(selection)
    return notice is not None and notice.status == NOTICE_FINAL


def finalise(actor, year: int) -> None:
    """After the notice, with every objection resolved, the honours are final. Raises NotAllowed for
    anyone but a union admin, RuleViolation before publication (and, from services.common.notices,
    while the notice runs or an objection is open)."""
    policy.require_admin(actor, ADMIN_ONLY)
    notice = round_notice(get_round(year))
    if notice is None:
        raise RuleViolation(_l("评选结果还没有公示。"))
    notices.finalise(actor, notice)
    for nomination in db.session.scalars(db.select(ExcellentNomination).where(
            ExcellentNomination.round_id == notice.subject_id, ExcellentNomination.selected,
            ExcellentNomination.certificate_code.is_(None))):
        nomination.certificate_code = verification.new_code()  # the certificate (excellent_certificates)
    audit.record("mentorship.excellent_final", actor=actor, year=year)


def revoke(actor, nomination: ExcellentNomination, reason: str) -> None:
    """Revoke a final excellent-pair honour with a reason of at least 4 characters. Raises NotAllowed
    for anyone but a union admin, RuleViolation for an honour that is not final (withdraw the selection
    instead), one already revoked, or a missing reason. Audited; the mentor and apprentice are told."""
    policy.require_admin(actor, _l("只有总工会管理员可以撤销优秀师徒表彰。"))
    if not (nomination.selected and nomination.certificate_code):
        raise RuleViolation(_l("只有已确认的优秀师徒表彰可以撤销；公示期间请取消入选。"))
    if nomination.revoked_at is not None:
        raise RuleViolation(_l("这项优秀师徒表彰已经撤销。"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise RuleViolation(_l("请写明撤销理由（至少 4 个字）。"), field="reason")
    nomination.revoked_at = clock.now()
    nomination.revoked_reason = reason[:500]
    nomination.revoked_by_id = actor.id
    db.session.flush()
    audit.record("mentorship.excellent_revoked", actor=actor, obj=nomination.pair, year=nomination.round.year,
                 reason=reason)
    events.excellent_revoked(nomination)


def revoked_on(nomination: ExcellentNomination):
    """The day (Asia/Shanghai) a revoked honour was revoked, None otherwise."""
    if nomination.revoked_at is None:
        return None
    return nomination.revoked_at.astimezone(clock.SHANGHAI).date()


def excellent_honours(pair_ids: list[int]) -> dict[int, int]:
    """{pair id: year} for pairs selected as excellent in a round whose public notice is final (not
    revoked)."""
    if not pair_ids:
        return {}
    rows = db.session.execute(
        db.select(ExcellentNomination.pair_id, ExcellentRound.year)
        .join(ExcellentRound, ExcellentRound.id == ExcellentNomination.round_id)
        .join(PublicNotice, (PublicNotice.subject_type == EXCELLENT_NOTICE_SUBJECT)
              & (PublicNotice.subject_id == ExcellentRound.id))
        .where(ExcellentNomination.pair_id.in_(pair_ids), ExcellentNomination.selected,
               ExcellentNomination.revoked_at.is_(None), PublicNotice.status == NOTICE_FINAL)
    ).all()
    return dict(rows)


def _selection_page(round_id: int) -> tuple[str, dict]:
    return "mentorship.excellent_list", {"year": db.session.get(ExcellentRound, round_id).year}


# The objection flow (blueprints/notices) for a year's selection: everybody logged in sees the published
# selection (services.mentorship.policy.scope_nominations) and objects on the year's page.
notices.register_subject(EXCELLENT_NOTICE_SUBJECT, notices.NoticeSubject(
    can_see=notices.visible_if(ExcellentRound), page=_selection_page,
    filed=_l("您的异议已实名提交，管理员处理后会记录处理意见。"), resolved=_l("异议处理结果已保存。")))
