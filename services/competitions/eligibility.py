"""Who may enter a competition: age on the day, trade, skill-level range, member enterprise, the
enterprise's cap; and the open competitions a worker sees with their eligibility.

Rules (docs/domain.md, Skills competitions): who may take part follows the owner (issue 14): an
enterprise's own competition (选拔赛) only its own workers, a town's the workers of its enterprises;
in-post workers of active member enterprises (members_only),
the competition's trades, skill-level range and age range (default 16-60) on the day it is held, and
at most `per_enterprise_cap` active entries (confirmed or waitlisted) per enterprise. The
registration window is checked apart (setup.is_registration_open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from core.l10n import lazy_gettext as _l
from models import Role, User, db
from models.accounts import Trade
from models.competitions import ACTIVE_STATUSES, Competition, CompetitionRegistration, competition_trade
from models.skills import level
from services.common.rows import PlainRow
from services.competitions import catalogue
from services.competitions.policy import own_entry_condition


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on `day` (a birthday counts from that day)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _active_entries_of(enterprise_id):
    """The condition on CompetitionRegistration of an enterprise's active entries (confirmed or waitlisted)."""
    return and_(CompetitionRegistration.enterprise_id == enterprise_id,
                CompetitionRegistration.status.in_(ACTIVE_STATUSES))


def enterprise_counts(competition_ids, enterprise_id) -> dict[int, int]:
    """Competition id -> active entries (confirmed or waitlisted) of one enterprise, one grouped query."""
    if not enterprise_id or not competition_ids:
        return {}
    rows = db.session.execute(
        select(CompetitionRegistration.competition_id, func.count(CompetitionRegistration.id))
        .where(CompetitionRegistration.competition_id.in_(list(competition_ids)), _active_entries_of(enterprise_id))
        .group_by(CompetitionRegistration.competition_id))
    return dict(rows.all())


def _skill_problem(competition: Competition, rank: int | None):
    low, high = competition.min_skill_level, competition.max_skill_level
    if (low is not None or high is not None) and rank is None:
        return _l("没有登记职业技能等级。")
    if low is not None and rank < low:
        return _l("职业技能等级低于 %(level)s。", level=level(low))
    if high is not None and rank > high:
        return _l("职业技能等级高于 %(level)s。", level=level(high))
    return None


def eligibility_problems(competition: Competition, worker: User, *, enterprise_count: int | None = None,
                         eligible_trades: list | None = None) -> list:
    """Why `worker` may not enter `competition` (a Competition, or an OpenRow), as a list of lazy messages
    (empty when eligible). `eligible_trades`: the competition's, when the caller read them already (else
    its `eligible_trades`).

    `enterprise_count` is the enterprise's active entries when the caller counted them already (a
    list page, or 0 for a team whose cap counts teams); else it is counted here. Refuses nothing
    itself: register() turns the problems into one RuleViolation.
    """
    enterprise = worker.enterprise
    if not worker.has_role(Role.WORKER) or enterprise is None:
        return [_l("只有企业在岗职工可以报名。")]
    problems = []
    if competition.owner_level == "enterprise" and enterprise.id != competition.owner_enterprise_id:
        problems.append(_l("这是其他企业内部的选拔赛，只限该企业职工参加。"))
    elif competition.owner_level == "town" and enterprise.town_id != competition.owner_town_id:
        problems.append(_l("这是其他镇（街道）的竞赛，只限该镇（街道）企业的职工参加。"))
    if not worker.is_active or not enterprise.is_active:
        problems.append(_l("账号或所在企业已停用。"))
    if competition.members_only and not enterprise.is_member:
        problems.append(_l("仅限工会会员企业的职工参赛。"))
    allowed = competition.eligible_trades if eligible_trades is None else eligible_trades
    if allowed and worker.trade_id not in {t.id for t in allowed}:
        problems.append(_l("工种不符（限 %(trades)s）。", trades=trade_restriction(competition, allowed)))
    skill = _skill_problem(competition, worker.skill_level)
    if skill is not None:
        problems.append(skill)
    if worker.birth_date is None:
        problems.append(_l("没有登记出生日期，无法核对年龄。"))
    else:
        age = age_on(worker.birth_date, competition.held_on)
        if not competition.min_age <= age <= competition.max_age:
            problems.append(_l("比赛当日年龄 %(age)d 岁，不在 %(low)d-%(high)d 岁范围内。", age=age,
                               low=competition.min_age, high=competition.max_age))
    if competition.per_enterprise_cap:
        if enterprise_count is None:
            enterprise_count = enterprise_counts([competition.id], enterprise.id).get(competition.id, 0)
        if enterprise_count >= competition.per_enterprise_cap:
            problems.append(_l("本企业报名人数已达上限（%(n)d 人）。", n=competition.per_enterprise_cap))
    return problems


class OpenTrade(PlainRow):
    """A trade of an OpenRow as plain values: its id and name, `label` as Trade's."""

    __slots__ = ("id", "name")

    label = Trade.label


class OpenRow(PlainRow):
    """A competition open for registration as plain values (open_for_worker): what the worker's list
    shows and what eligibility_problems reads (the Competition columns of the same names); `trade` and
    `eligible_trades` (by name, as the relationship) are OpenTrades."""

    __slots__ = ("id", "name", "level", "held_on", "registration_opens_at", "registration_closes_at", "seats_taken",
                 "capacity", "is_team", "owner_level", "owner_enterprise_id", "owner_town_id", "members_only",
                 "min_skill_level", "max_skill_level", "min_age", "max_age", "per_enterprise_cap", "trade",
                 "eligible_trades")

    level_label = Competition.level_label


_OPEN_COLUMNS = tuple(getattr(Competition, name) for name in OpenRow.__slots__[:-2])


class OwnEntry(PlainRow):
    """The worker's own entry of an open competition as open_for_worker reads it: its status
    (`status_label` as CompetitionRegistration's)."""

    __slots__ = ("status",)

    status_label = CompetitionRegistration.status_label


@dataclass
class OpenCompetition:
    """A competition open for registration as one worker sees it (an OpenRow): why they may not enter
    (empty when they may), or their entry (an OwnEntry) when they have one."""

    competition: OpenRow
    problems: list
    registration: OwnEntry | None


def _open_statement(restricted, limit):
    """open_for_worker's one statement, from the open competitions as the reader sees them (`restricted`,
    services.competitions.catalogue): up to `limit` (newest first) with their trade, the enterprise's active
    entries and the worker's own entry's status (the newest, as subqueries), each joined to its eligible
    trades in name order (one row per trade, at least one row per competition)."""
    r = CompetitionRegistration
    entered = select(func.count(r.id)).where(r.competition_id == Competition.id,
                                             _active_entries_of(catalogue.param("enterprise"))).scalar_subquery()
    own = (select(r.status).where(r.competition_id == Competition.id,
                                  own_entry_condition(None, catalogue.param("reader")))
           .order_by(r.id.desc()).limit(1).scalar_subquery())
    found = restricted.with_only_columns(*_OPEN_COLUMNS, Trade.id, Trade.name, entered, own).limit(limit).subquery()
    columns = list(found.c)
    eligible = aliased(Trade)
    return (select(*columns, eligible.id, eligible.name)
            .outerjoin(competition_trade, competition_trade.c.competition_id == columns[0])
            .outerjoin(eligible, eligible.id == competition_trade.c.trade_id)
            .order_by(columns[_HELD_ON].desc(), columns[0].desc(), eligible.name))


_HELD_ON = OpenRow.__slots__.index("held_on")


def open_for_worker(worker: User, limit: int = 50) -> list[OpenCompetition]:
    """Up to `limit` competitions open for registration now (newest first) as plain rows (OpenRow) with the
    worker's eligibility and own entry, in one statement (the enterprise's active entries of each and the
    worker's entry read as subqueries of it, the eligible trades joined: _open_statement; a kept statement,
    services.competitions.catalogue)."""
    rows: list[OpenCompetition] = []
    entries: list = []
    stmt, params = catalogue.kept("open", worker, catalogue.filter_values(open_only=True),
                                  lambda restricted: _open_statement(restricted, catalogue.param("limit")))
    for *values, trade_id, trade_name, count, status, eligible_id, eligible_name in db.session.execute(
            stmt, {**params, catalogue.param("limit").key: limit}):
        if not rows or rows[-1].competition.id != values[0]:
            competition = OpenRow(*values, OpenTrade(trade_id, trade_name), [])
            rows.append(OpenCompetition(competition, [], OwnEntry(status) if status is not None else None))
            entries.append(count)
        if eligible_id is not None:
            rows[-1].competition.eligible_trades.append(OpenTrade(eligible_id, eligible_name))
    for row, count in zip(rows, entries, strict=True):
        if row.registration is None:
            row.problems = eligibility_problems(row.competition, worker, enterprise_count=count)
    return rows


def trade_restriction(competition, eligible_trades: list | None = None) -> str:
    """The one text of a competition's trade restriction, wherever it is shown (the detail page, the
    refusal above, the public list): the trades a worker must hold to enter, by their labels; with none
    chosen, 不限工种 naming the competition's own trade, so the page never reads 不限 under a header that
    names a trade without saying that workers of other trades may enter too. `eligible_trades`: the
    competition's, when the caller read them already (else its `eligible_trades`)."""
    allowed = competition.eligible_trades if eligible_trades is None else eligible_trades
    if allowed:
        return "、".join(str(t.label) for t in allowed)
    return str(_l("不限工种（本赛工种为%(trade)s，其他工种的职工也可报名）", trade=competition.trade.label))
