"""Training figures (培训统计) per owner and year, rolling up the union's tree (issue 15; docs/domain.md,
"Upgrades, spending and figures").

Whose figures (`figures_scope`): enterprise HR its own enterprise; a town officer its town, or one of its
enterprises; a union admin the city, or one town or enterprise when they choose it. Anyone else has none
(NotAllowed). The figures of an owner
roll up (services.common.owners.owned_by_clause(roll_up=True)): an enterprise counts its own programmes, a
town its own and its enterprises' (their current town), the city everything.

What each figure counts, for calendar year `year` in Asia/Shanghai:
- programmes: programmes of the owner, published or finished (drafts and cancelled ones left out), whose
  first day (starts_on) is in the year;
- classes: classes of those owners' programmes (drafts and cancelled left out) starting in the year;
- attendances (人次): TrainingAttendance rows with status present or late, of classes starting in the
  year: one per person per class; people (人数): the distinct people among them; hours: the hours
  credited on those rows;
- team leaders trained: distinct people whose enrolment in a team-leader programme of the owner was
  completed (TrainingEnrolment.completed_at) in the year;
- workers who raised their education or skill level: distinct people with an education upgrade whose
  graduation day is in the year, or a skill-level change by certificate, competition or mentoring
  assessment effective in the year. Below the city they count where the person worked then: an
  education upgrade by the enterprise it was recorded at (EducationUpgrade.enterprise_id); a skill
  change by the Employment period (models/employment.py) that covers its effective day (started_on
  <= day < ended_on, open ends count as open), or, for a person with no employment history at all, by
  their current enterprise. A town is its enterprises by their current town;
- money spent: the owners' programmes' costs (TrainingCost) spent in the year (spent_on), per funding
  source.
Each figure is one SQL query over indexed columns (attendance, people and hours share one), so the page
costs the same few queries whatever the number of rows; `figures` is memoised per data version
(services.common.figures_cache) under the scope's node and the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, exists, false, func, not_, or_, select, true, union

from core import clock
from core.l10n import lazy_gettext as _l
from models import Enterprise, Town, User, db
from models.employment import Employment
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from models.skills import REASON_ASSESSMENT, REASON_CERTIFICATE, REASON_COMPETITION, SkillLevelChange
from models.training import (
    ATTENDED,
    FINISHED,
    FUNDING_SOURCES,
    PUBLISHED,
    TEAM_LEADER,
    EducationUpgrade,
    TrainingAttendance,
    TrainingClass,
    TrainingCost,
    TrainingEnrolment,
    TrainingProgramme,
)
from services import policy
from services.common import figures_cache, owners
from services.common.spreadsheets import DECIMAL, MONEY, TEXT, Column, WorkbookWriter
from services.errors import NotAllowed, NotFound

COUNTED_STATUSES = (PUBLISHED, FINISHED)
UPGRADE_REASONS = (REASON_CERTIFICATE, REASON_COMPETITION, REASON_ASSESSMENT)


@dataclass(frozen=True)
class FiguresScope:
    """The owner whose figures are shown (rolled up): its level, its node and its name."""

    level: str
    enterprise_id: int | None = None
    town_id: int | None = None
    name: object = ""


@dataclass
class Figures:
    """One owner's figures for one year (see the module rules); money in Decimal yuan."""

    year: int
    programmes: int = 0
    classes: int = 0
    attendances: int = 0
    people: int = 0
    hours: Decimal = Decimal(0)
    team_leaders: int = 0
    upgraded: int = 0
    money: dict[str, Decimal] = field(default_factory=dict)

    @property
    def money_total(self) -> Decimal:
        return sum(self.money.values(), Decimal(0))


def figures_scope(actor, town_id: int | None = None, enterprise_id: int | None = None) -> FiguresScope:
    """Whose figures `actor` sees: HR its enterprise, a town officer its town, an admin the city or, with
    `town_id`, that town (NotFound for an unknown town). The levels above an enterprise (its town's
    officers, admins) may ask for that enterprise's figures with `enterprise_id` (NotFound outside their
    reach). NotAllowed for anyone else."""
    scope = policy.management_scope(actor)
    if scope.kind == policy.NOBODY:
        raise NotAllowed(_l("只有主办方及其上级可以查看培训统计。"))
    if enterprise_id is not None:
        enterprise = db.session.get(Enterprise, enterprise_id)
        if enterprise is None or not policy.in_scope(actor, enterprise.id):
            raise NotFound(_l("找不到这家企业。"))
        return FiguresScope(OWNER_ENTERPRISE, enterprise_id=enterprise.id, name=enterprise.name)
    if scope.kind == policy.ENTERPRISE:
        return FiguresScope(OWNER_ENTERPRISE, enterprise_id=scope.id, name=db.session.get(Enterprise, scope.id).name)
    if scope.kind == policy.TOWN:
        return FiguresScope(OWNER_TOWN, town_id=scope.id, name=db.session.get(Town, scope.id).label)
    if town_id:
        town = db.session.get(Town, town_id)
        if town is None:
            raise NotFound(_l("找不到这个镇街。"))
        return FiguresScope(OWNER_TOWN, town_id=town.id, name=town.label)
    return FiguresScope(OWNER_CITY, name=_l("全市"))


def programmes_of(scope: FiguresScope):
    """SQL on TrainingProgramme: the scope's programmes, rolled up (an owner and those below it)."""
    return owners.owned_by_clause(TrainingProgramme, scope.level, scope.enterprise_id, scope.town_id, roll_up=True)


def enterprise_in(scope: FiguresScope, column):
    """SQL: `column` names an enterprise under the scope's node (current town for a town)."""
    if scope.level == OWNER_CITY:
        return true()
    if scope.level == OWNER_ENTERPRISE:
        return column == scope.enterprise_id
    if scope.level == OWNER_TOWN:
        return column.in_(select(Enterprise.id).where(Enterprise.town_id == scope.town_id))
    return false()


def _moments(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=clock.SHANGHAI), datetime(year + 1, 1, 1, tzinfo=clock.SHANGHAI)


def _days(column, year: int):
    return and_(column >= date(year, 1, 1), column < date(year + 1, 1, 1))


def _classes_in_year(scope: FiguresScope, year: int):
    start, end = _moments(year)
    return and_(TrainingClass.starts_at >= start, TrainingClass.starts_at < end,
                TrainingProgramme.status.in_(COUNTED_STATUSES), programmes_of(scope))


def count_programmes(scope: FiguresScope, year: int) -> int:
    return db.session.scalar(select(func.count(TrainingProgramme.id)).where(
        programmes_of(scope), TrainingProgramme.status.in_(COUNTED_STATUSES),
        _days(TrainingProgramme.starts_on, year)))


def count_classes(scope: FiguresScope, year: int) -> int:
    return db.session.scalar(
        select(func.count(TrainingClass.id)).join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
        .where(_classes_in_year(scope, year)))


def count_attendances(scope: FiguresScope, year: int) -> tuple[int, int, Decimal]:
    """(attendances 人次, distinct people 人数, hours) in one query."""
    row = db.session.execute(
        select(func.count(TrainingAttendance.id), func.count(func.distinct(TrainingAttendance.worker_id)),
               func.coalesce(func.sum(TrainingAttendance.hours), 0))
        .join(TrainingClass, TrainingClass.id == TrainingAttendance.class_id)
        .join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
        .where(TrainingAttendance.status.in_(ATTENDED), _classes_in_year(scope, year))).one()
    return row[0], row[1], Decimal(row[2])


def count_team_leaders(scope: FiguresScope, year: int) -> int:
    start, end = _moments(year)
    return db.session.scalar(
        select(func.count(func.distinct(TrainingEnrolment.worker_id)))
        .join(TrainingProgramme, TrainingProgramme.id == TrainingEnrolment.programme_id)
        .where(TrainingProgramme.kind == TEAM_LEADER, programmes_of(scope),
               TrainingEnrolment.completed_at >= start, TrainingEnrolment.completed_at < end))


def skill_change_in_scope(scope: FiguresScope):
    """SQL on SkillLevelChange: the person worked under the scope's node on its effective day."""
    if scope.level == OWNER_CITY:
        return true()
    day = SkillLevelChange.effective_date
    # First the few people who ever worked under the node or work there now (one uncorrelated IN list,
    # which the index on skill_level_change.user_id serves), then, for their changes only, the employment
    # that covers the day. Without the list, the correlated EXISTS walked the employments of a large
    # enterprise for every skill change of the city (0.76 s at a tenth of the city's scale).
    candidates = SkillLevelChange.user_id.in_(union(
        select(Employment.user_id).where(enterprise_in(scope, Employment.enterprise_id)),
        select(User.id).where(enterprise_in(scope, User.enterprise_id))))
    covered = exists().where(
        Employment.user_id == SkillLevelChange.user_id, enterprise_in(scope, Employment.enterprise_id),
        or_(Employment.started_on.is_(None), Employment.started_on <= day),
        or_(Employment.ended_on.is_(None), Employment.ended_on > day))
    no_history = and_(not_(exists().where(Employment.user_id == SkillLevelChange.user_id)),
                      exists().where(User.id == SkillLevelChange.user_id, enterprise_in(scope, User.enterprise_id)))
    return and_(candidates, or_(covered, no_history))


def count_upgraded(scope: FiguresScope, year: int) -> int:
    """Distinct people who raised their education or skill level in the year (one query)."""
    education = select(EducationUpgrade.worker_id.label("person")).where(
        _days(EducationUpgrade.graduated_on, year), enterprise_in(scope, EducationUpgrade.enterprise_id))
    skill = select(SkillLevelChange.user_id.label("person")).where(
        SkillLevelChange.reason.in_(UPGRADE_REASONS), _days(SkillLevelChange.effective_date, year),
        skill_change_in_scope(scope))
    people = union(education, skill).subquery()
    return db.session.scalar(select(func.count()).select_from(people))


def money_by_source(scope: FiguresScope, year: int) -> dict[str, Decimal]:
    rows = db.session.execute(
        select(TrainingCost.funding_source, func.sum(TrainingCost.amount))
        .join(TrainingProgramme, TrainingProgramme.id == TrainingCost.programme_id)
        .where(programmes_of(scope), _days(TrainingCost.spent_on, year))
        .group_by(TrainingCost.funding_source))
    return {source: Decimal(total or 0) for source, total in rows}


def figures(scope: FiguresScope, year: int) -> Figures:
    """All the figures of `scope` for `year` (six queries whatever the number of rows), memoised per data
    version (shared: never change the result)."""
    return figures_cache.memoised(("training.figures", scope.level, scope.enterprise_id, scope.town_id, year),
                                  lambda: _figures(scope, year))


def _figures(scope: FiguresScope, year: int) -> Figures:
    result = Figures(year=year)
    result.programmes = count_programmes(scope, year)
    result.classes = count_classes(scope, year)
    result.attendances, result.people, result.hours = count_attendances(scope, year)
    result.team_leaders = count_team_leaders(scope, year)
    result.upgraded = count_upgraded(scope, year)
    result.money = money_by_source(scope, year)
    return result


# What each figure counts, as the page and the workbook say it.
FIGURE_ROWS = (
    ("programmes", _l("培训项目（个）"),
     _l("本范围主办方（企业：本企业；镇（街道）：本级及辖区内企业；全市：全部）已发布或已结业、开始日期在本年的项目。")),
    ("classes", _l("培训班次（个）"),
     _l("本范围主办方已发布或已结业的项目（不论项目哪年开始）中，开课时间在本年的班次。")),
    ("attendances", _l("参训人次"), _l("出勤或迟到的考勤记录，每人每个班次计一次，按班次开课时间计年度。")),
    ("people", _l("参训人数（不重复的人）"), _l("上述考勤中不重复的人。")),
    ("hours", _l("培训学时"), _l("上述考勤记入的学时合计。")),
    ("team_leaders", _l("培训班组长（人）"), _l("本年结业的班组长培训学员，不重复的人，按结业时间计年度。")),
    ("upgraded", _l("学历或技能等级提升（人）"),
     _l("毕业日期在本年的学历提升，或生效日期在本年的取证、竞赛晋升、出师考核等级提升，不重复的人；按当时所在企业计。")),
)


def years(now_year: int | None = None) -> list[int]:
    """The years the page offers: this year and the five before it."""
    this_year = now_year or clock.today().year
    return list(range(this_year, this_year - 6, -1))


def figures_workbook(scope: FiguresScope, result: Figures) -> bytes:
    """The figures as an Excel workbook (services.common.spreadsheets: text cells never formulas,
    numbers as numbers): the figures with what each counts, then the money per funding source."""
    writer = WorkbookWriter()
    sheet = writer.sheet(_l("培训统计"), [Column(_l("统计项"), TEXT, 30), Column(_l("数值"), DECIMAL, 16),
                                         Column(_l("统计口径"), TEXT, 70)])
    sheet.append([_l("主办方（含下级）"), None, str(scope.name)])
    sheet.append([_l("年度"), result.year, _l("按上海时间的公历年")])
    for key, label, meaning in FIGURE_ROWS:
        sheet.append([label, getattr(result, key), meaning])
    money = writer.sheet(_l("经费支出"), [Column(_l("经费来源"), TEXT, 20), Column(_l("支出（元）"), MONEY, 16)])
    for source, label in FUNDING_SOURCES.items():
        money.append([label, result.money.get(source, Decimal(0))])
    money.append([_l("合计"), result.money_total])
    return writer.to_bytes()
