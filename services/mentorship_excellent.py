"""The yearly excellent-pair selection (优秀师徒评选).

Rules:
- Each year has one round with a quota (the setting `excellent_quota`, default 100, fixed when the
  round opens). HR nominates completed pairs of their own enterprise that passed the final
  assessment, with a short citation (10-500 characters); a pair is nominated once, ever.
- Union admins select nominations up to the quota (a guarded counter: UPDATE ... WHERE
  selected_count < quota, so two admins cannot overrun it) and publish the selection for public
  notice (公示, services.common.notices, default 5 working days). During the notice anyone logged in may object
  under their real name; the admin resolves each objection and may withdraw a selection (an upheld
  objection); after the notice, with every objection resolved, the admin confirms and the honour is
  final and shows on both people's records. Nominating into a published round is refused.
Every step is audited.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core import clock
from models import db
from models.mentorship import (
    COMPLETED,
    PASSING_GRADES,
    ExcellentNomination,
    ExcellentRound,
    MentorPair,
)
from models.notices import NOTICE_FINAL
from services import policy
from services.common import audit, notices
from services.errors import NotAllowed, NotFound, RuleViolation
from services.mentorship import get_settings, is_enterprise_hr

NOTICE_SUBJECT = "excellent_pairs"


def get_round(year: int) -> ExcellentRound | None:
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


def can_nominate(actor, pair: MentorPair) -> bool:
    assessment = pair.assessment
    return (is_enterprise_hr(actor, pair) and pair.status == COMPLETED and assessment is not None
            and assessment.grade in PASSING_GRADES)


def nominate(actor, pair: MentorPair, citation: str) -> ExcellentNomination:
    """HR nominates a completed, passed pair of their enterprise for this year's round."""
    if not is_enterprise_hr(actor, pair):
        raise NotAllowed(_l("只有本企业人力资源可以推荐优秀师徒。"))
    if pair.status != COMPLETED or pair.assessment is None or pair.assessment.grade not in PASSING_GRADES:
        raise RuleViolation(_l("只有出师考核合格的结对可以推荐为优秀师徒。"))
    citation = (citation or "").strip()
    if not 10 <= len(citation) <= 500:
        raise RuleViolation(_l("推荐理由须为 10 到 500 字。"), field="citation")
    year = clock.today().year
    selection = ensure_round(year)
    if selection.published:
        raise RuleViolation(_l("%(year)d 年优秀师徒评选结果已公布，不能再推荐。", year=year))
    if db.session.scalar(db.select(ExcellentNomination.id).where(ExcellentNomination.pair_id == pair.id)):
        raise RuleViolation(_l("这个结对已经推荐过。"))
    nomination = ExcellentNomination(round_id=selection.id, pair_id=pair.id, enterprise_id=pair.enterprise_id,
                                     citation=citation, nominated_by_id=actor.id, nominated_at=clock.now())
    db.session.add(nomination)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise RuleViolation(_l("这个结对已经推荐过。")) from error
    audit.record("mentorship.excellent_nominated", actor=actor, obj=pair, year=year, nomination=nomination.id)
    return nomination


def get_nomination(actor, nomination_id: int) -> ExcellentNomination:
    """Admins reach every nomination, HR those of their enterprise; others NotFound."""
    stmt = db.select(ExcellentNomination).where(ExcellentNomination.id == nomination_id)
    if not policy.is_admin(actor):
        if not policy.is_hr(actor):
            raise NotFound(_l("找不到这条推荐。"))
        stmt = stmt.where(ExcellentNomination.enterprise_id == actor.enterprise_id)
    nomination = db.session.scalar(stmt)
    if nomination is None:
        raise NotFound(_l("找不到这条推荐。"))
    return nomination


def _require_admin(actor) -> None:
    if not policy.is_admin(actor):
        raise NotAllowed(_l("只有总工会管理员可以评选优秀师徒。"))


def select(actor, nomination: ExcellentNomination) -> None:
    """Admin selects a nomination within the round's quota (guarded counter)."""
    _require_admin(actor)
    selection = nomination.round
    if selection.published:
        raise RuleViolation(_l("评选结果已公布，不能再更改。"))
    if nomination.selected:
        raise RuleViolation(_l("这条推荐已经入选。"))
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
    """Admin withdraws a selection before the result is final (during the notice: an upheld objection)."""
    _require_admin(actor)
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
    """Admin publishes the year's selection (at least one selected pair) for public notice."""
    _require_admin(actor)
    selection = get_round(year)
    if selection is None:
        raise NotFound(_l("这一年还没有优秀师徒评选。"))
    if selection.published:
        raise RuleViolation(_l("评选结果已经公布。"))
    if selection.selected_count < 1:
        raise RuleViolation(_l("请先选出至少一对优秀师徒。"))
    notices.publish(actor, NOTICE_SUBJECT, selection.id, f"{year}年优秀师徒拟表彰名单公示", working_days)
    selection.published = True
    selection.published_at = clock.now()
    selection.published_by_id = actor.id
    db.session.flush()
    audit.record("mentorship.excellent_published", actor=actor, year=year, selected=selection.selected_count)
    return selection


def round_notice(selection: ExcellentRound | None):
    return notices.notice_for(NOTICE_SUBJECT, selection.id) if selection is not None else None


def is_final(selection: ExcellentRound | None) -> bool:
    notice = round_notice(selection)
    return notice is not None and notice.status == NOTICE_FINAL


def finalise(actor, year: int) -> None:
    """After the notice, with every objection resolved, the honours are final."""
    _require_admin(actor)
    notice = round_notice(get_round(year))
    if notice is None:
        raise RuleViolation(_l("评选结果还没有公示。"))
    notices.finalise(actor, notice)
    audit.record("mentorship.excellent_final", actor=actor, year=year)


def nominations_query(actor, year: int, *, selected_only: bool = False):
    """The year's nominations: admins all, HR their enterprise's; after publication everybody sees
    the selected ones. People and enterprise loaded in the same query."""
    stmt = (db.select(ExcellentNomination).join(ExcellentRound, ExcellentRound.id == ExcellentNomination.round_id)
            .where(ExcellentRound.year == year)
            .options(db.joinedload(ExcellentNomination.pair).joinedload(MentorPair.mentor),
                     db.joinedload(ExcellentNomination.pair).joinedload(MentorPair.apprentice),
                     db.joinedload(ExcellentNomination.pair).joinedload(MentorPair.trade),
                     db.joinedload(ExcellentNomination.pair).joinedload(MentorPair.assessment),
                     db.joinedload(ExcellentNomination.enterprise)))
    if selected_only:
        stmt = stmt.where(ExcellentNomination.selected)
    if not policy.is_admin(actor):
        visible = ExcellentRound.published & ExcellentNomination.selected
        if policy.is_hr(actor):
            visible = visible | (ExcellentNomination.enterprise_id == actor.enterprise_id)
        stmt = stmt.where(visible)
    return stmt.order_by(ExcellentNomination.selected.desc(), ExcellentNomination.id)


def rounds() -> list[ExcellentRound]:
    return list(db.session.scalars(db.select(ExcellentRound).order_by(ExcellentRound.year.desc())))


def nomination_for_pair(pair_id: int) -> ExcellentNomination | None:
    return db.session.scalar(db.select(ExcellentNomination).where(ExcellentNomination.pair_id == pair_id)
                             .options(db.joinedload(ExcellentNomination.round)))
