"""Training programmes (培训项目): their settings and life cycle, and the lists that find them.

Rules (docs/domain.md, Skills training, "Programmes, classes and enrolment"):
- An owner creates a programme as itself (services.common.owners.owner_for: the city for union admins,
  the enterprise for its HR, the town for its officers); only the owner edits, publishes, cancels or
  finishes it (services.training.policy.require_runner).
- Settings (ProgrammeData): a name, a kind (models.training.PROGRAMME_KINDS), target trades (none: any),
  a skill-level range, a target level (required for a skills upgrade, above the range's lowest level),
  self-enrolment, capacity, an enrolment window (optional; it closes by the last day), start and end
  days, a budget in yuan (Decimal, optional) with its funding source, and the completion rule (a
  percentage of the hours attended, an assessment required or not).
- Draft -> published -> finished; a draft or a published programme may be cancelled with a reason
  (its active enrolments' workers are told). A published programme keeps its capacity at or above the
  seats taken and its days around its classes (more seats move the first waiting workers up, told);
  a finished or cancelled one is no longer edited.
  A programme is finished by its owner once its last day has passed.
- Lists: "培训" shows the programmes that exist for the actor (services.training.policy.visible_clause),
  filtered by kind, status and owner level, open for enrolment first, then those to come (soonest first),
  then finished ones (newest first), cancelled ones last; the owner's management list its own, also
  filtered by TO_FINISH (待结业: published, last day passed, waiting for its owner to finish it; the
  owners' to-do lists count the same, services.training.todos); a worker's "我的培训" their enrolments
  (services.training.enrolment). Each is one query per page.
Every status change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, bindparam, case, false, func, or_, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Town, Trade, db
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from models.skills import MAX_RANK, MIN_RANK
from models.training import (
    ACTIVE_ENROLMENTS,
    CANCELLED,
    DRAFT,
    FUNDING_SOURCES,
    PROGRAMME_KINDS,
    PROGRAMME_STATUSES,
    PUBLISHED,
    SKILLS_UPGRADE,
    TrainingClass,
    TrainingEnrolment,
    TrainingProgramme,
)
from models.vocabulary import TOWN_LABELS, TRADE_LABELS, reference_label
from services import policy
from services.common import audit, owners
from services.common.rows import LIMIT, OFFSET, kept_rows_page
from services.errors import NotAllowed, RuleViolation
from services.training import policy as training_policy
from services.training.enrolment import fill_freed_seats
from services.training.enrolment_events import programme_cancelled

OWNER_LEVELS = (OWNER_CITY, OWNER_TOWN, OWNER_ENTERPRISE)
MAX_CAPACITY = 100_000
MAX_BUDGET = Decimal("100000000")
# The list filter (not a stored status) of published programmes whose last day has passed (待结业).
TO_FINISH = "to_finish"
TO_FINISH_LABEL = _l("待结业")


@dataclass
class ProgrammeData:
    """The editable settings of a programme; the view fills it from the form. Window times are aware
    datetimes (UTC) or None; levels are ranks of models.skills; money is Decimal yuan."""

    name: str = ""
    kind: str = ""
    description: str = ""
    trade_ids: list[int] = field(default_factory=list)
    min_skill_level: int | None = None
    max_skill_level: int | None = None
    target_level: int | None = None
    self_enrol: bool = True
    capacity: int | None = None
    enrol_opens_at: datetime | None = None
    enrol_closes_at: datetime | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    budget: Decimal | None = None
    funding_source: str = "union"
    completion_percent: int | None = 80
    assessment_required: bool = True


def local_day(moment: datetime) -> date:
    """The Asia/Shanghai day of an aware UTC time (the day people see)."""
    return moment.astimezone(clock.SHANGHAI).date()


def _check_levels(data: ProgrammeData) -> None:
    for name in ("min_skill_level", "max_skill_level", "target_level"):
        value = getattr(data, name)
        if value is not None and not MIN_RANK <= value <= MAX_RANK:
            raise RuleViolation(_l("职业技能等级不正确。"), field=name)
    if data.min_skill_level is not None and data.max_skill_level is not None \
            and data.min_skill_level > data.max_skill_level:
        raise RuleViolation(_l("最低等级不能高于最高等级。"), field="max_skill_level")
    if data.kind == SKILLS_UPGRADE:
        if data.target_level is None:
            raise RuleViolation(_l("技能提升培训请填写目标等级。"), field="target_level")
        if data.min_skill_level is not None and data.target_level <= data.min_skill_level:
            raise RuleViolation(_l("目标等级应高于参训人员的最低等级。"), field="target_level")


def _check_dates(data: ProgrammeData) -> None:
    if data.starts_on is None:
        raise RuleViolation(_l("请填写培训开始日期。"), field="starts_on")
    if data.ends_on is None:
        raise RuleViolation(_l("请填写培训结束日期。"), field="ends_on")
    if data.ends_on < data.starts_on:
        raise RuleViolation(_l("结束日期不能早于开始日期。"), field="ends_on")
    opens, closes = data.enrol_opens_at, data.enrol_closes_at
    if opens and closes and closes <= opens:
        raise RuleViolation(_l("报名截止时间应晚于报名开始时间。"), field="enrol_closes_at")
    if closes and local_day(closes) > data.ends_on:
        raise RuleViolation(_l("报名截止时间不能晚于培训结束日期。"), field="enrol_closes_at")


def check_kind(kind: str | None, field: str = "kind") -> None:
    """RuleViolation (on `field`) unless `kind` is a programme kind (models.training.PROGRAMME_KINDS)."""
    if kind not in PROGRAMME_KINDS:
        raise RuleViolation(_l("请选择培训类型。"), field=field)


def check_data(data: ProgrammeData) -> list[Trade]:
    """Every rule on the settings alone (RuleViolation on the field); returns the target trades."""
    data.name = (data.name or "").strip()
    if not data.name or len(data.name) > 100:
        raise RuleViolation(_l("请填写项目名称（不超过 100 字）。"), field="name")
    check_kind(data.kind)
    if data.capacity is None or not 0 < data.capacity <= MAX_CAPACITY:
        raise RuleViolation(_l("名额应为 1-%(n)d 之间的整数。", n=MAX_CAPACITY), field="capacity")
    if data.budget is not None and not Decimal(0) <= data.budget < MAX_BUDGET:
        raise RuleViolation(_l("预算金额不正确。"), field="budget")
    if data.funding_source not in FUNDING_SOURCES:
        raise RuleViolation(_l("请选择预算的经费来源。"), field="funding_source")
    if data.completion_percent is None or not 1 <= data.completion_percent <= 100:
        raise RuleViolation(_l("结业所需学时比例应为 1-100。"), field="completion_percent")
    _check_levels(data)
    _check_dates(data)
    trades = list(db.session.scalars(select(Trade).where(Trade.id.in_(data.trade_ids or []))))
    if len(trades) != len(set(data.trade_ids or [])):
        raise RuleViolation(_l("请选择有效的工种。"), field="trade_ids")
    return trades


def _apply(programme: TrainingProgramme, data: ProgrammeData, trades: list[Trade]) -> None:
    for name in ("name", "kind", "min_skill_level", "max_skill_level", "self_enrol", "capacity", "enrol_opens_at",
                 "enrol_closes_at", "starts_on", "ends_on", "budget", "funding_source", "completion_percent",
                 "assessment_required"):
        setattr(programme, name, getattr(data, name))
    programme.description = (data.description or "").strip()
    programme.target_level = data.target_level if data.kind == SKILLS_UPGRADE else None
    programme.trades = trades


def require_owner(actor) -> tuple[str, int | None, int | None]:
    """The owner `actor` creates programmes as (owners.owner_for); NotAllowed for someone who owns nothing."""
    owner = owners.owner_for(actor)
    if owner is None:
        raise NotAllowed(_l("只有企业人力资源、镇街工会干部和总工会管理员可以创建培训项目。"))
    return owner


def create_programme(actor, data: ProgrammeData) -> TrainingProgramme:
    """A new draft programme owned by `actor`'s level (owners.owner_for). Raises NotAllowed (the actor
    owns nothing: a worker, a judge) or RuleViolation (a setting, on its field)."""
    owner = require_owner(actor)
    trades = check_data(data)
    level, enterprise_id, town_id = owner
    programme = TrainingProgramme(owner_level=level, owner_enterprise_id=enterprise_id, owner_town_id=town_id,
                                  status=DRAFT, seats_taken=0, created_by_id=actor.id, created_at=clock.now())
    _apply(programme, data, trades)
    db.session.add(programme)
    db.session.flush()
    audit.record("training.programme_created", actor=actor, obj=programme, owner_level=level, name=programme.name,
                 budget=programme.budget)
    return programme


def class_span(programme: TrainingProgramme) -> tuple[datetime | None, datetime | None]:
    """The first class's start and the last class's end (one aggregate query)."""
    return db.session.execute(select(func.min(TrainingClass.starts_at), func.max(TrainingClass.ends_at))
                              .where(TrainingClass.programme_id == programme.id)).one()


def update_programme(actor, programme: TrainingProgramme, data: ProgrammeData) -> None:
    """Edit a draft or published programme (its owner). Besides check_data: the capacity not below the
    seats taken, the days around every class. Raises NotFound / NotAllowed (not the owner) or
    RuleViolation."""
    training_policy.require_runner(actor, programme)
    if programme.status not in (DRAFT, PUBLISHED):
        raise RuleViolation(_l("已结业或已取消的培训项目不能再修改。"))
    trades = check_data(data)
    if data.capacity < programme.seats_taken:
        raise RuleViolation(_l("已有 %(n)d 人报名，名额不能少于已报名人数。", n=programme.seats_taken),
                            field="capacity")
    first, last = class_span(programme)
    if first is not None and (local_day(first) < data.starts_on or local_day(last) > data.ends_on):
        raise RuleViolation(_l("已安排的班次不在新的起止日期内，请先调整班次。"), field="starts_on")
    old_budget, old_capacity = programme.budget, programme.capacity
    _apply(programme, data, trades)
    db.session.flush()
    audit.record("training.programme_updated", actor=actor, obj=programme, budget_old=old_budget,
                 budget=programme.budget, capacity_old=old_capacity, capacity=programme.capacity)
    if programme.capacity > old_capacity:
        fill_freed_seats(actor, programme)


def publish_programme(actor, programme: TrainingProgramme) -> None:
    """Publish a draft (its owner): it then exists for the people it is for and enrolment opens with its
    window. Raises NotFound / NotAllowed, RuleViolation (not a draft, or its last day has passed)."""
    training_policy.require_runner(actor, programme)
    if programme.status != DRAFT:
        raise RuleViolation(_l("只有草稿状态的培训项目可以发布。"))
    if programme.ends_on < clock.today():
        raise RuleViolation(_l("培训结束日期已过，不能发布。"))
    _set_status(actor, programme, PUBLISHED)


def cancel_programme(actor, programme: TrainingProgramme, reason: str) -> int:
    """Cancel a draft or published programme with a reason (its owner); every worker with an active
    enrolment is told. Returns how many were told. Raises NotFound / NotAllowed, RuleViolation (no reason,
    or already finished or cancelled)."""
    training_policy.require_runner(actor, programme)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写取消原因。"), field="reason")
    if programme.status not in (DRAFT, PUBLISHED):
        raise RuleViolation(_l("已结业或已取消的培训项目不能取消。"))
    _set_status(actor, programme, CANCELLED, reason=reason[:500])
    worker_ids = list(db.session.scalars(select(TrainingEnrolment.worker_id).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.status.in_(ACTIVE_ENROLMENTS))))
    programme_cancelled(programme, worker_ids, reason[:500])
    return len(worker_ids)


def _set_status(actor, programme: TrainingProgramme, status: str, reason: str | None = None) -> None:
    old = programme.status
    programme.status = status
    db.session.flush()
    audit.record(f"training.programme_{status}", actor=actor, obj=programme, old=old, new=status, reason=reason)


# --- finding programmes ------------------------------------------------------------------------------


def programmes_query(actor, *, kind: str | None = None, status: str | None = None, level: str | None = None,
                     own: bool = False):
    """The programmes that exist for `actor` (drafts only for their owner and admins), in list order
    (`list_rank`: open for enrolment, to come, finished, cancelled), filtered by kind, status (or
    TO_FINISH) and owner level (unknown values are ignored); `own`: only those the actor
    owns (the management list; nothing for someone who owns nothing). Plain rows of the columns the lists
    show (id, name, kind, status, starts_on, ends_on, seats_taken, capacity, the owner's level and ids) with
    the owner's name (owner_enterprise_name, owner_town_name: owner_names reads them without a query)."""
    return _list_statement(_list_shape(actor, own, kind, status, level), _list_values(actor, kind, status, level))


def programme_lines(actor, page: int, per_page: int, *, kind: str | None = None, status: str | None = None,
                    level: str | None = None, own: bool = False):
    """Page `page` (of `per_page`) of programmes_query's rows (the same arguments), each with one more last
    column, and their total: a statement kept per kind of reader and filters, the reader's ids, the
    filters' values and the time bind parameters (services.common.rows.kept_rows_page)."""
    shape = _list_shape(actor, own, kind, status, level)

    def build(counted: bool):
        stmt = _list_statement(shape, _LIST_BINDS)
        if counted:
            return select(func.count()).select_from(stmt.order_by(None).subquery())
        return stmt.add_columns(func.count().over()).limit(LIMIT).offset(OFFSET)

    values = _list_values(actor, kind, status, level)
    return kept_rows_page(("training.programme_lines", *shape), build,
                          {_LIST_BINDS[name].key: value for name, value in values.items()}, page, per_page)


_LIST_BINDS = {name: bindparam(f"programmes_{name}") for name in
               ("scope_id", "enterprise_id", "actor_id", "kind", "status", "level", "now", "today")}


def _list_shape(actor, own: bool, kind, status, level) -> tuple:
    """What shapes programmes_query's statement: the reader's kind of scope, whether they have an
    enterprise, `own`, and which filters apply (a status or TO_FINISH)."""
    return (policy.management_scope(actor).kind, actor.enterprise_id is not None, own, kind in PROGRAMME_KINDS,
            "status" if status in PROGRAMME_STATUSES else TO_FINISH if status == TO_FINISH else None,
            level in OWNER_LEVELS)


def _list_values(actor, kind, status, level) -> dict:
    return {"scope_id": policy.management_scope(actor).id, "enterprise_id": actor.enterprise_id,
            "actor_id": actor.id, "kind": kind, "status": status, "level": level, "now": clock.now(),
            "today": clock.today()}


def _list_statement(shape: tuple, v: dict):
    """programmes_query's statement of `shape` (_list_shape), `v` the values or bind parameters."""
    scope_kind, has_enterprise, own, kind_on, status_on, level_on = shape
    P = TrainingProgramme
    stmt = (select(P.id, P.name, P.kind, P.status, P.starts_on, P.ends_on, P.seats_taken, P.capacity,
                   P.owner_level, P.owner_enterprise_id, P.owner_town_id,
                   Enterprise.name.label("owner_enterprise_name"), Town.name.label("owner_town_name"))
            .outerjoin(Enterprise, Enterprise.id == P.owner_enterprise_id)
            .outerjoin(Town, Town.id == P.owner_town_id)
            .where(training_policy.visible_clause_of(scope_kind, v["scope_id"],
                                                     v["enterprise_id"] if has_enterprise else None, v["actor_id"])))
    if own:
        mine = owners.owner_of(scope_kind, v["scope_id"])
        stmt = stmt.where(owners.owned_by_clause(P, *mine) if mine else false())
    if kind_on:
        stmt = stmt.where(P.kind == v["kind"])
    if status_on == "status":
        stmt = stmt.where(P.status == v["status"])
    elif status_on == TO_FINISH:
        stmt = stmt.where(to_finish_clause(v["today"]))
    if level_on:
        stmt = stmt.where(P.owner_level == v["level"])
    rank = list_rank(v["now"], v["today"])
    return stmt.order_by(rank, case((rank <= 1, P.starts_on)), P.starts_on.desc(), P.id.desc())


def list_rank(now, today):
    """The place of a programme in the lists, as SQL: 0 open for enrolment `now` (as
    services.training.enrolment.is_enrolment_open), 1 still to come or under way (published or a draft,
    its last day not before `today`), 2 finished or past, 3 cancelled."""
    P = TrainingProgramme
    open_now = and_(P.status == PUBLISHED, or_(P.enrol_opens_at.is_(None), P.enrol_opens_at <= now),
                    or_(and_(P.enrol_closes_at.is_not(None), P.enrol_closes_at > now),
                        and_(P.enrol_closes_at.is_(None), P.starts_on >= today)))
    return case((open_now, 0), (and_(P.status.in_((PUBLISHED, DRAFT)), P.ends_on >= today), 1),
                (P.status == CANCELLED, 3), else_=2)


def to_finish_clause(today=None):
    """SQL condition on TrainingProgramme: published and its last day before `today` (default today,
    Asia/Shanghai; or a bind parameter), so waiting for its owner to finish it (待结业)."""
    return and_(TrainingProgramme.status == PUBLISHED,
                TrainingProgramme.ends_on < (clock.today() if today is None else today))


def owner_names(programmes) -> dict[int, str]:
    """Programme id -> its owner's name (the enterprise's or the town's, in the reader's language; the
    city's: 市总工会), in two queries at most whatever the number of programmes; none for rows of
    programmes_query, which carry the names."""
    programmes = list(programmes)
    enterprise_ids = {p.owner_enterprise_id for p in programmes if p.owner_level == OWNER_ENTERPRISE}
    town_ids = {p.owner_town_id for p in programmes if p.owner_level == OWNER_TOWN}
    if programmes and hasattr(programmes[0], "owner_town_name"):
        enterprises = {p.owner_enterprise_id: p.owner_enterprise_name for p in programmes}
        towns = {p.owner_town_id: str(reference_label(TOWN_LABELS, p.owner_town_name))
                 for p in programmes if p.owner_town_name is not None}
    else:
        enterprises = dict(db.session.execute(select(Enterprise.id, Enterprise.name).where(
            Enterprise.id.in_(enterprise_ids))).all()) if enterprise_ids else {}
        towns = {t.id: str(t.label) for t in db.session.scalars(select(Town).where(Town.id.in_(town_ids)))} \
            if town_ids else {}
    names = {}
    for p in programmes:
        if p.owner_level == OWNER_ENTERPRISE:
            names[p.id] = enterprises.get(p.owner_enterprise_id, "")
        elif p.owner_level == OWNER_TOWN:
            names[p.id] = towns.get(p.owner_town_id, "")
        else:
            names[p.id] = str(_l("市总工会"))
    return names


def owner_and_trades(programme, facts) -> tuple[str, list[str]]:
    """The programme page's owner name (as owner_names gives it) and its target trades' labels in the
    reader's language, from `facts`: (enterprise name, town name, trade name) of the programme's owner and
    each target trade in order of trade name (none: any trade; one row with no trade name), as
    services.training.programme_page reads them."""
    first = facts[0] if facts else None
    if programme.owner_level == OWNER_ENTERPRISE:
        owner = (first[0] if first is not None else None) or ""
    elif programme.owner_level == OWNER_TOWN:
        owner = str(reference_label(TOWN_LABELS, first[1])) if first is not None and first[1] is not None else ""
    else:
        owner = str(_l("市总工会"))
    trades = [str(reference_label(TRADE_LABELS, trade)) for _e, _t, trade in facts if trade is not None]
    return owner, trades
