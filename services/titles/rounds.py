"""Nomination rounds: one year's nominations for one title, opened by the union admin.

A round is open for nominations until its deadline; it then closes for review, goes to public
notice with its awards (services.titles.awards) and becomes final. One round per title and year;
its quota defaults to the title's yearly quota (docs/domain.md, "Titles").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.titles import ROUND_OPEN, ROUND_STATUS_LABELS, TitleRound, TitleType
from models.vocabulary import TITLE_LABELS, reference_label
from services import policy
from services.common import audit
from services.common.rows import LIMIT, OFFSET, PlainRow, kept_rows_page
from services.errors import NotFound, RuleViolation


def get_round(round_id: int) -> TitleRound:
    """The round with this id, its title type loaded in the same query; NotFound (404) otherwise."""
    return found_round(db.session.get(TitleRound, round_id, options=[db.joinedload(TitleRound.title_type)]))


def found_round(found):
    """`found`, a round as a page reads it (an entity, or services.titles.round_page's plain row); NotFound
    (404) when it is None."""
    if found is None:
        raise NotFound(_l("找不到这个评选。"))
    return found


def rounds_query(open_only: bool = False):
    """Select of rounds, newest year first (title type loaded); with `open_only` only those accepting
    nominations now. The admin's list pages it."""
    stmt = db.select(TitleRound).options(db.joinedload(TitleRound.title_type)).order_by(
        TitleRound.year.desc(), TitleRound.title_type_id, TitleRound.id)
    if open_only:
        stmt = stmt.where(TitleRound.status == ROUND_OPEN, TitleRound.deadline > clock.now())
    return stmt


class RoundLabels:
    """A round read as a plain row (a `status` and its title's `title_name`): its labels as TitleRound's."""

    __slots__ = ()

    @property
    def status_label(self):
        return ROUND_STATUS_LABELS.get(self.status, self.status)

    @property
    def title_label(self):
        """The title's name in the reader's language (TitleType.label)."""
        return reference_label(TITLE_LABELS, self.title_name)


class RoundLine(RoundLabels, PlainRow):
    """A round as the admin's list of every round shows it (round_lines)."""

    __slots__ = ("id", "year", "title_name", "quota", "awarded_count", "status")


def _lines_statement(counted: bool):
    if counted:
        return db.select(func.count(TitleRound.id))
    return (db.select(TitleRound.id, TitleRound.year, TitleType.name, TitleRound.quota, TitleRound.awarded_count,
                      TitleRound.status, func.count().over())
            .join(TitleType, TitleType.id == TitleRound.title_type_id)
            .order_by(TitleRound.year.desc(), TitleRound.title_type_id, TitleRound.id).limit(LIMIT).offset(OFFSET))


def round_lines(page: int, per_page: int):
    """Page `page` (of `per_page`) of every round in rounds_query's order as RoundLines, with their total (a
    kept statement: services.common.rows.kept_rows_page)."""
    return kept_rows_page(("titles.round_lines",), _lines_statement, {}, page, per_page, make=RoundLine)


def rounds(open_only: bool = False) -> list[TitleRound]:
    """The rounds of `rounds_query` as a list (open ones: a handful at a time)."""
    return list(db.session.scalars(rounds_query(open_only)))


def open_round(actor, title_type: TitleType, year: int, deadline: datetime, quota: int | None = None) -> TitleRound:
    """Open one year's nominations for a title: union admins only (NotAllowed otherwise).

    The title is active; `year` is 2000-2100; `deadline` (aware datetime, UTC) lies in the future;
    `quota` (default: the title's yearly quota) is at least 1; once per title and year. Each broken
    rule is a RuleViolation on its form field. Audited.
    """
    policy.require_admin(actor, _l("只有总工会管理员可以发起评选。"))
    if not title_type.is_active:
        raise RuleViolation(_l("该称号已停用。"), field="title_type_id")
    if not 2000 <= year <= 2100:
        raise RuleViolation(_l("请填写正确的年度。"), field="year")
    if deadline is None or deadline <= clock.now():
        raise RuleViolation(_l("推荐截止时间应晚于现在。"), field="deadline")
    quota = quota or title_type.yearly_quota
    if quota < 1:
        raise RuleViolation(_l("名额至少为 1。"), field="quota")
    if db.session.scalar(db.select(TitleRound.id).where(TitleRound.title_type_id == title_type.id,
                                                       TitleRound.year == year)):
        raise RuleViolation(_l("这个称号本年度已经发起过评选。"), field="year")
    title_round = TitleRound(title_type_id=title_type.id, title_type=title_type, year=year, deadline=deadline,
                             quota=quota, status=ROUND_OPEN, opened_by_id=actor.id, awarded_count=0)
    db.session.add(title_round)
    db.session.flush()
    audit.record("title_round.opened", actor=actor, obj=title_round, title=title_type.name, year=year)
    return title_round


def accepts_nominations(title_round: TitleRound) -> bool:
    """True while the round is open and its deadline (core.clock) has not passed."""
    return title_round.status == ROUND_OPEN and clock.now() < title_round.deadline


def cut_off_date(title_round: TitleRound) -> date:
    """The round's cut-off date (its nomination deadline, Asia/Shanghai): nominees' evidence (years in
    the trade, competition placings) is taken as of this day, not as of the day someone looks."""
    return title_round.deadline.astimezone(clock.SHANGHAI).date()
