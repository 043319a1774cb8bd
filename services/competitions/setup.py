"""Setting a competition up and finding it: its settings (CompetitionData) and their checks, create,
edit, publish for registration, start scoring; one competition, the filtered list, the years.

Rules (docs/domain.md, Skills competitions; defaults changeable per competition):
- The owner creates, edits, opens and starts scoring: union admins the city's competitions, a town's
  officers the town's (镇街级), an enterprise's HR its own selection contest (选拔赛).
- Settings are edited while the competition is a draft or open; the scoring scheme (theory +
  practical weights = 100, sub-item weights = 100, prize ranges without overlap) is fixed once
  scoring starts.
- Drafts are visible to their owner and admins only.
- Prize rewards (奖金): an optional amount per prize, set by the owner at any level (an enterprise's or a
  town's contest, or the city where the union pays one); services.common.rewards checks them and audits
  every change (competition.rewards_set). They are part of the settings, so they change only until scoring.
Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, select

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Trade, db
from models.competition_tallies import EntryTally
from models.competitions import (
    DRAFT,
    OPEN,
    REGISTRATION_STATUSES,
    SCORING,
    Competition,
    CompetitionItem,
    CompetitionPrizeTier,
)
from models.rewards import REWARD_FIELDS
from models.vocabulary import COMPETITION_LEVELS, PRIZE_LABELS, PRIZES
from services import policy
from services.common import audit, rewards, skills
from services.competitions import policy as competitions_policy
from services.competitions.policy import MANAGE_COMPETITIONS, can_see_competition
from services.errors import NotAllowed, RuleViolation

# The prize table a new competition starts from (docs/domain.md, Skills competitions: 1st 一等奖 and the city
# May Day labour medal, 2nd-3rd 技术能手): (rank from, rank to, prize code, honour or None).
DEFAULT_PRIZE_TIERS = ((1, 1, "first", "五一劳动奖章"), (2, 3, "second", "技术能手"), (4, 6, "third", None))

# What a new competition starts from by its owner's level (the one place they are stated): practical judges
# and the prize table. A town's or an enterprise's selection contest (选拔赛) confers no city honour.
LEVEL_DEFAULTS: dict[str, dict] = {
    "city": {"min_judges": 3, "prize_tiers": DEFAULT_PRIZE_TIERS},
    "town": {"min_judges": 3, "prize_tiers": ((1, 1, "first", None), (2, 3, "second", None), (4, 6, "third", None))},
    "enterprise": {"min_judges": 2, "prize_tiers": ((1, 1, "first", None), (2, 2, "second", None),
                                                    (3, 3, "third", None))},
}


def defaults_for(level: str | None) -> dict:
    """The settings a new competition of an owner `level` ('city', 'town', 'enterprise') starts from:
    min_judges (int) and prize_tiers ((rank from, rank to, prize code, honour or None) rows); the city's
    for an unknown level."""
    return dict(LEVEL_DEFAULTS.get(level or "city", LEVEL_DEFAULTS["city"]))


def owner_level_of(actor) -> str | None:
    """The level of the competitions `actor` would own ('city', 'town', 'enterprise'), None for nobody."""
    return {policy.CITY: "city", policy.TOWN: "town", policy.ENTERPRISE: "enterprise"}.get(
        policy.management_scope(actor).kind)


@dataclass
class CompetitionData:
    """The editable settings of a competition; the view fills it from the form.

    Times are aware datetimes (UTC), `held_on` a date; skill levels are ranks of models.skills;
    weights are whole percentages; `items` is [(sub-item name, weight)]; `prize_tiers` is
    [(rank from, rank to, prize code of models.vocabulary.PRIZES, honour or None)].
    """

    name: str = ""
    trade_id: int | None = None
    level: str = "city"
    description: str = ""
    venue: str = ""
    held_on: date | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    capacity: int | None = None
    eligible_trade_ids: list[int] = field(default_factory=list)
    min_skill_level: int | None = None
    max_skill_level: int | None = None
    min_age: int = 16
    max_age: int = 60
    members_only: bool = True
    per_enterprise_cap: int | None = None
    is_team: bool = False
    team_min: int = 1
    team_max: int = 1
    theory_weight: int = 30
    practical_weight: int = 70
    items: list[tuple[str, int]] = field(default_factory=list)
    min_judges: int = 3
    judge_min_level: int = 4
    prize_tiers: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    promote_top_n: int = 0
    reward_first: Decimal | None = None
    reward_second: Decimal | None = None
    reward_third: Decimal | None = None
    reward_honourable: Decimal | None = None


def _refuse(message, field_name):
    raise RuleViolation(message, field=field_name)


def _check_basics(data: CompetitionData, competition: Competition | None) -> None:
    """Name, trade, level, day, registration window (closing by the day of the competition), capacity."""
    data.name = (data.name or "").strip()
    if not data.name:
        _refuse(_l("请填写竞赛名称。"), "name")
    if data.trade_id is None or db.session.get(Trade, data.trade_id) is None:
        _refuse(_l("请选择工种。"), "trade_id")
    if data.level not in COMPETITION_LEVELS:
        _refuse(_l("请选择竞赛级别。"), "level")
    if data.held_on is None:
        _refuse(_l("请填写比赛日期。"), "held_on")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens is None or closes is None:
        _refuse(_l("请填写报名起止时间。"), "registration_closes_at")
    if opens >= closes:
        _refuse(_l("报名截止时间应晚于开始时间。"), "registration_closes_at")
    day_end = datetime.combine(data.held_on + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
    if closes > day_end:
        _refuse(_l("报名应在比赛日之前截止。"), "registration_closes_at")
    if not data.capacity or data.capacity < 1:
        _refuse(_l("名额至少为 1。"), "capacity")
    if competition is not None and data.capacity < competition.seats_taken:
        _refuse(_l("已有 %(n)d 人确认参赛，名额不能少于这个数。", n=competition.seats_taken), "capacity")


def _check_eligibility(data: CompetitionData) -> None:
    """Skill-level range, age range 16-70, per-enterprise cap, team sizes 2-10 (1 for individuals)."""
    for rank in (data.min_skill_level, data.max_skill_level, data.judge_min_level):
        if rank is not None:
            skills.check_skill_level(rank, field="min_skill_level")
    if (data.min_skill_level is not None and data.max_skill_level is not None
            and data.min_skill_level > data.max_skill_level):
        _refuse(_l("最低等级不能高于最高等级。"), "max_skill_level")
    if not 16 <= data.min_age <= data.max_age <= 70:
        _refuse(_l("年龄范围应在 16 到 70 岁之间，且下限不高于上限。"), "max_age")
    if data.per_enterprise_cap is not None and data.per_enterprise_cap < 1:
        _refuse(_l("每家企业限报人数至少为 1。"), "per_enterprise_cap")
    if data.is_team:
        if not 2 <= data.team_min <= data.team_max <= 10:
            _refuse(_l("团体赛每队 2 到 10 人，且下限不高于上限。"), "team_max")
    else:
        data.team_min = data.team_max = 1


def _check_scoring_scheme(data: CompetitionData) -> None:
    """Theory + practical weights = 100, named sub-items with positive weights summing to 100, 1-15 judges."""
    if not (0 <= data.theory_weight <= 100 and 0 <= data.practical_weight <= 100
            and data.theory_weight + data.practical_weight == 100):
        _refuse(_l("理论与实操权重之和应为 100%。"), "practical_weight")
    items = [((name or "").strip(), weight) for name, weight in data.items if (name or "").strip()]
    if not items:
        _refuse(_l("请至少设置一个实操评分项目。"), "items")
    if any(not weight or weight <= 0 for _name, weight in items):
        _refuse(_l("每个实操项目的权重应大于 0。"), "items")
    if sum(weight for _name, weight in items) != 100:
        _refuse(_l("实操各项目权重之和应为 100%%（现为 %(n)d%%）。", n=sum(w for _n, w in items)), "items")
    if len({name for name, _w in items}) != len(items):
        _refuse(_l("实操项目名称不能重复。"), "items")
    data.items = items
    if not 1 <= data.min_judges <= 15:
        _refuse(_l("实操评委人数应为 1 到 15 人。"), "min_judges")


def _check_prizes(data: CompetitionData) -> None:
    """Prize tiers: known prize codes, rank ranges from 1 without overlap; top N for promotion 0-100."""
    tiers = sorted((t for t in data.prize_tiers if t[2]), key=lambda t: t[0])
    previous_to = 0
    for rank_from, rank_to, prize, _honour in tiers:
        if prize not in PRIZES:
            _refuse(_l("奖项只能是%(prizes)s之一。", prizes="、".join(str(PRIZE_LABELS[p]) for p in PRIZES)),
                    "prize_tiers")
        if not rank_from or not rank_to or rank_from < 1 or rank_from > rank_to:
            _refuse(_l("奖项的名次范围不正确。"), "prize_tiers")
        if rank_from <= previous_to:
            _refuse(_l("奖项的名次范围不能重叠。"), "prize_tiers")
        previous_to = rank_to
    data.prize_tiers = tiers
    if data.promote_top_n is None or not 0 <= data.promote_top_n <= 100:
        _refuse(_l("推荐晋升人数应为 0 到 100。"), "promote_top_n")


def _apply(competition: Competition, data: CompetitionData) -> None:
    for name in ("name", "trade_id", "level", "description", "venue", "held_on", "registration_opens_at",
                 "registration_closes_at", "capacity", "min_skill_level", "max_skill_level", "min_age",
                 "max_age", "members_only", "per_enterprise_cap", "is_team", "team_min", "team_max",
                 "theory_weight", "practical_weight", "min_judges", "judge_min_level", "promote_top_n",
                 *REWARD_FIELDS.values()):
        setattr(competition, name, getattr(data, name))
    competition.description = (data.description or "").strip()
    competition.venue = (data.venue or "").strip()
    trade_ids = set(data.eligible_trade_ids or [])
    competition.eligible_trades = list(
        db.session.scalars(select(Trade).where(Trade.id.in_(trade_ids)))) if trade_ids else []
    competition.items = [CompetitionItem(name=name, weight=weight, position=i)
                         for i, (name, weight) in enumerate(data.items)]
    competition.prize_tiers = [
        CompetitionPrizeTier(rank_from=a, rank_to=b, prize=p, honour=(h or "").strip() or None)
        for a, b, p, h in data.prize_tiers]


def _snapshot(competition: Competition) -> dict:
    return {
        "name": competition.name, "capacity": competition.capacity, "status": competition.status,
        "window": [str(competition.registration_opens_at), str(competition.registration_closes_at)],
        "weights": [competition.theory_weight, competition.practical_weight],
        "items": [[i.name, i.weight] for i in competition.items],
        "prizes": [[t.rank_from, t.rank_to, t.prize, t.honour] for t in competition.prize_tiers],
    }


def _validate(data: CompetitionData, competition: Competition | None) -> None:
    _check_basics(data, competition)
    _check_eligibility(data)
    _check_scoring_scheme(data)
    _check_prizes(data)
    rewards.check_rewards(data)


def create_competition(actor, data: CompetitionData) -> Competition:
    """An owner sets up a competition, as a draft until opened: a union admin the city's (any level it
    holds), enterprise HR its enterprise's own selection contest (选拔赛, level "enterprise"), a town
    officer its town's (level "town").

    Raises NotAllowed for anyone else and RuleViolation (on the field concerned) for settings that
    break the rules above (docs/domain.md, Skills competitions: window, capacity, eligibility, 30/70 weights,
    prize table, top N for promotion).
    """
    scope = policy.management_scope(actor)
    owner = {policy.CITY: ("city", None, None), policy.TOWN: ("town", None, scope.id),
             policy.ENTERPRISE: ("enterprise", scope.id, None)}.get(scope.kind)
    if owner is None:
        raise NotAllowed(MANAGE_COMPETITIONS)
    if owner[0] != "city":
        data.level = owner[0]
    _validate(data, None)
    competition = Competition(status=DRAFT, seats_taken=0, numbers_issued=0, created_by_id=actor.id,
                              owner_level=owner[0], owner_enterprise_id=owner[1], owner_town_id=owner[2])
    _apply(competition, data)
    db.session.add(competition)
    db.session.flush()
    audit.record("competition.created", actor=actor, obj=competition, new=_snapshot(competition))
    rewards.audit_change("competition.rewards_set", actor, competition, None)
    return competition


def update_competition(actor, competition: Competition, data: CompetitionData) -> Competition:
    """Edit the settings while the competition is a draft or open for registration; the capacity never
    drops below the seats already taken. Raises NotAllowed (not an admin) or RuleViolation."""
    competitions_policy.require_runner(actor, competition)
    if competition.status not in (DRAFT, OPEN):
        raise RuleViolation(_l("评分开始后不能再修改竞赛设置。"))
    _validate(data, competition)
    old, old_rewards = _snapshot(competition), rewards.rewards_of(competition)
    _apply(competition, data)
    db.session.flush()
    audit.record("competition.updated", actor=actor, obj=competition, old=old, new=_snapshot(competition))
    rewards.audit_change("competition.rewards_set", actor, competition, old_rewards)
    return competition


def open_competition(actor, competition: Competition) -> None:
    """Publish a draft: workers see it and may register within its window. Raises NotAllowed or
    RuleViolation (not a draft)."""
    competitions_policy.require_runner(actor, competition)
    if competition.status != DRAFT:
        raise RuleViolation(_l("只有草稿状态的竞赛可以发布报名。"))
    competition.status = OPEN
    audit.record("competition.status", actor=actor, obj=competition, old=DRAFT, new=OPEN)


def start_scoring(actor, competition: Competition) -> None:
    """Close registration and open marking: only an open competition, only after its window closed,
    only with at least one confirmed competitor. Raises NotAllowed or RuleViolation."""
    competitions_policy.require_runner(actor, competition)
    if competition.status != OPEN:
        raise RuleViolation(_l("只有报名中的竞赛可以开始评分。"))
    if clock.now() < competition.registration_closes_at:
        raise RuleViolation(_l("报名尚未截止，不能开始评分。"))
    if not competition.seats_taken:
        raise RuleViolation(_l("没有确认参赛的选手。"))
    competition.status = SCORING
    audit.record("competition.status", actor=actor, obj=competition, old=OPEN, new=SCORING)


# --- finding and listing ---------------------------------------------------------------------


_COMPETITION = bindparam("setup_competition")


def _competition_stmt(with_trade: bool, with_counts: bool):
    """The competition _COMPETITION (with its trade joined); `with_counts`: then its entries in each
    registration status, from the stored tallies (models.competition_tallies, kept in the same transaction
    as every entry), one primary-key lookup per status as a column of the same row."""
    stmt = select(Competition).where(Competition.id == _COMPETITION)
    if with_trade:
        stmt = stmt.options(db.joinedload(Competition.trade))
    if with_counts:
        stmt = stmt.add_columns(*[
            select(EntryTally.entries).where(EntryTally.competition_id == Competition.id, EntryTally.status == status)
            .scalar_subquery() for status in REGISTRATION_STATUSES])
    return stmt


def _found(actor, competition_id: int, *, with_trade: bool, with_counts: bool):
    """The row of _competition_stmt (a kept statement, core.statements) after the visibility check."""
    row = db.session.execute(
        shared_statement(("setup.competition", with_trade, with_counts),
                         lambda: _competition_stmt(with_trade, with_counts)),
        {_COMPETITION.key: competition_id}).first()
    if row is None or not can_see_competition(actor, row[0]):
        competitions_policy.competition_not_found()
    return row


def get_competition(actor, competition_id: int, *, with_trade: bool = False) -> Competition:
    """One competition by id; NotFound for an unknown id and for a draft seen by a non-admin.
    `with_trade`: its trade read in the same query (for a page that shows it)."""
    return _found(actor, competition_id, with_trade=with_trade, with_counts=False)[0]


def get_competition_with_counts(actor, competition_id: int) -> tuple[Competition, dict[str, int]]:
    """get_competition with its trade, and status -> number of entries of the competition (statuses with
    none left out, as services.competitions.registration.status_counts), read in the same statement."""
    competition, *counts = _found(actor, competition_id, with_trade=True, with_counts=True)
    return competition, {status: n for status, n in zip(REGISTRATION_STATUSES, counts, strict=True) if n}


def is_registration_open(competition: Competition) -> bool:
    """Open for registration: published (open) and now within [opens, closes)."""
    now = clock.now()
    return (competition.status == OPEN
            and competition.registration_opens_at <= now < competition.registration_closes_at)


def require_registration_open(competition: Competition) -> None:
    """Refuse (RuleViolation) an entry outside the registration window (see is_registration_open)."""
    if not is_registration_open(competition):
        raise RuleViolation(_l("不在报名时间内。"))
