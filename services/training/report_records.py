"""The records behind each training figure of the yearly report (services.report.training; docs/domain.md,
"The yearly report", drill-down): one paged list per figure, for the years and the scope the report asked
for (services.report.drill: the reader's reach is checked as the report checks it).

Rules (the report's definitions, the same owners, columns and conditions):
- programmes: programmes of the scope's owners (an enterprise's own, a town's and its enterprises', the
  city's all), published or finished, whose first day (starts_on) is in the years;
- classes: classes of those programmes starting (starts_at, Asia/Shanghai) in the years;
- attendances, people, hours: the attendance rows (present or late) of those classes: the figure is their
  number, their distinct people or their hours;
- team_leaders: enrolments in a team-leader programme of the owners completed (completed_at) in the years:
  the figure is their distinct people;
- upgraded: education upgrades graduated in the years at an enterprise of the scope, and skill-level
  changes (by certificate, competition or mentoring assessment) effective in the years while the person
  worked in the scope (services.training.figures.skill_change_in_scope): the figure is their distinct people;
- money.<source>: the owners' programmes' costs of that funding source, by the day spent (spent_on).
Without years the list shows this year of the reader's own scope. An unknown figure is NotFound; a
reader without a report (workers) is NotAllowed; a scope outside the reader's reach is NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, bindparam, func, literal, select, union_all

from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import User, db
from models.skills import SkillLevelChange
from models.training import (
    ATTENDED,
    FUNDING_SOURCES,
    TEAM_LEADER,
    EducationUpgrade,
    TrainingAttendance,
    TrainingClass,
    TrainingCost,
    TrainingEnrolment,
    TrainingProgramme,
)
from services.common import figures_cache
from services.report import drill
from services.report import scope as scopes
from services.report.periods import span_of, start_of, within
from services.report.training import owner_scope
from services.training import figures as training_figures

# figure key -> (the kind of record listed, what the list says it shows)
FIGURES = {
    "programmes": ("programmes", _l("培训项目（按项目第一天）")),
    "classes": ("classes", _l("培训班次（按班次开始时间）")),
    "attendances": ("attendances", _l("参训人次：这些签到记录（出勤或迟到）")),
    "people": ("attendances", _l("参训人数：这些签到记录中的人（去重计人数）")),
    "hours": ("attendances", _l("培训学时：这些签到记录的学时之和")),
    "team_leaders": ("enrolments", _l("培训班组长：这些结业记录中的人（去重计人数）")),
    "upgraded": ("upgrades", _l("学历或技能等级提升：这些记录中的人（去重计人数）")),
    **{f"money.{source}": ("costs", _l("培训经费支出：%(source)s（按支出日期）", source=label))
       for source, label in FUNDING_SOURCES.items()},
}
EDUCATION, SKILL = "education", "skill"


@dataclass(frozen=True)
class Request:
    """One list: the figure and the drill-down (years and scope)."""

    figure: str
    drilled: drill.ReportFilter

    @property
    def kind(self) -> str:
        return FIGURES[self.figure][0]

    @property
    def described(self) -> str:
        return " · ".join((self.drilled.span.label, self.drilled.scope.name, str(FIGURES[self.figure][1])))

    @property
    def args(self) -> dict:
        return {"figure": self.figure, **self.drilled.params}


def requested(actor, figure: str | None, year: int | None = None, first: int | None = None,
              last: int | None = None, town_id: int | None = None, enterprise_id: int | None = None) -> Request:
    """The list `actor` asks for (see the module rules: NotFound, NotAllowed)."""
    if figure not in FIGURES:
        raise drill.unknown_figure()
    drilled = drill.report_filter(actor, year=year, first=first, last=last, town_id=town_id,
                                  enterprise_id=enterprise_id)
    if drilled is None:
        drilled = drill.ReportFilter(span_of(None, None), scopes.resolve(actor))
    return Request(figure, drilled)


def from_args(actor, values: dict) -> Request:
    """`requested` from Request.args (an export job re-reads the list with the person's own reach)."""
    return requested(actor, values.get("figure"), values.get("year"), values.get("first"), values.get("last"),
                     values.get("town"), values.get("enterprise"))


def _programmes_of(request: Request):
    return training_figures.programmes_of(owner_scope(request.drilled.scope))


def query(request: Request):
    """The select of the list's records, newest first, their shown relations loaded a query each (every
    kind but upgrades, which `upgrades_page` lists)."""
    span, mine = request.drilled.span, _programmes_of(request)
    counted = TrainingProgramme.status.in_(training_figures.COUNTED_STATUSES)
    kind = request.kind
    if kind == "programmes":
        return (select(TrainingProgramme).where(mine, counted, within(TrainingProgramme.starts_on, span, dates=True))
                .options(db.selectinload(TrainingProgramme.owner_enterprise),
                         db.selectinload(TrainingProgramme.owner_town))
                .order_by(TrainingProgramme.starts_on.desc(), TrainingProgramme.id.desc()))
    if kind == "classes":
        return (select(TrainingClass).join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
                .where(mine, counted, within(TrainingClass.starts_at, span))
                .options(db.selectinload(TrainingClass.programme))
                .order_by(TrainingClass.starts_at.desc(), TrainingClass.id.desc()))
    if kind == "attendances":
        return _attendances(request, TrainingAttendance).options(
            db.selectinload(TrainingAttendance.worker).lazyload(User.role_rows),
            db.selectinload(TrainingAttendance.training_class).selectinload(TrainingClass.programme))
    if kind == "enrolments":
        return (select(TrainingEnrolment)
                .join(TrainingProgramme, TrainingProgramme.id == TrainingEnrolment.programme_id)
                .where(mine, TrainingProgramme.kind == TEAM_LEADER, within(TrainingEnrolment.completed_at, span))
                .options(db.selectinload(TrainingEnrolment.worker).lazyload(User.role_rows),
                         db.selectinload(TrainingEnrolment.programme))
                .order_by(TrainingEnrolment.completed_at.desc(), TrainingEnrolment.id.desc()))
    if kind == "costs":
        source = request.figure.removeprefix("money.")
        return (select(TrainingCost).join(TrainingProgramme, TrainingProgramme.id == TrainingCost.programme_id)
                .where(mine, TrainingCost.funding_source == source, within(TrainingCost.spent_on, span, dates=True))
                .options(db.selectinload(TrainingCost.programme))
                .order_by(TrainingCost.spent_on.desc(), TrainingCost.id.desc()))
    raise drill.unknown_figure()


def _attendances(request: Request, *columns):
    """`columns` of the attendance rows of the list (present or late, of the counted programmes' classes
    starting in the years), newest class first."""
    return _attendance_select(_programmes_of(request), within(TrainingClass.starts_at, request.drilled.span), columns)


def _attendance_select(mine, in_span, columns):
    return (select(*columns)
            .join(TrainingClass, TrainingClass.id == TrainingAttendance.class_id)
            .join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
            .where(mine, TrainingProgramme.status.in_(training_figures.COUNTED_STATUSES),
                   TrainingAttendance.status.in_(ATTENDED), in_span)
            .order_by(TrainingClass.starts_at.desc(), TrainingAttendance.id.desc()))


_OWNER_ENTERPRISE, _OWNER_TOWN = bindparam("records_owner_enterprise"), bindparam("records_owner_town")
_SPAN_START, _SPAN_END = bindparam("records_span_start"), bindparam("records_span_end")
_LIMIT, _OFFSET = bindparam("records_limit"), bindparam("records_offset")


def _attendance_rows_statement(level: str):
    """The attendance list's page as plain rows: id, worker_id, worker_name, programme_id, programme_name,
    class_title, starts_at (the class's), status, hours and hours_settled (TrainingAttendance.hours_settled:
    signed out, or the class's attendance closed); the records and order of query's; and data_version, the
    figures' data version (figures_cache.version_query) read with them, so the memoised count needs no
    statement of its own. The scope's node, the span's two ends and the page's LIMIT/OFFSET are bind
    parameters: kept per scope level."""
    scope = training_figures.FiguresScope(level, enterprise_id=_OWNER_ENTERPRISE, town_id=_OWNER_TOWN)
    in_span = and_(TrainingClass.starts_at >= _SPAN_START, TrainingClass.starts_at < _SPAN_END)
    return _attendance_select(training_figures.programmes_of(scope), in_span, (
        TrainingAttendance.id, TrainingAttendance.worker_id, User.name.label("worker_name"),
        TrainingClass.programme_id, TrainingProgramme.name.label("programme_name"),
        TrainingClass.title.label("class_title"), TrainingClass.starts_at, TrainingAttendance.status,
        TrainingAttendance.hours,
        (TrainingAttendance.signed_out_at.is_not(None) | TrainingClass.closed_at.is_not(None)).label("hours_settled"),
    )).add_columns(figures_cache.version_query().scalar_subquery().label("data_version")) \
        .join(User, User.id == TrainingAttendance.worker_id).limit(_LIMIT).offset(_OFFSET)


class AttendancePagination(Pagination):
    """One page of the attendance list as plain rows (_attendance_rows_statement, kept: the statement is
    built once per process for each scope level) with its total (count, memoised under the data version
    read with the rows)."""

    def _query_items(self) -> list:
        request = self._query_args["request"]
        owner, span = owner_scope(request.drilled.scope), request.drilled.span
        stmt = shared_statement(("training.report_records.attendance_rows", owner.level),
                                lambda: _attendance_rows_statement(owner.level))
        rows = db.session.execute(stmt, {
            _OWNER_ENTERPRISE.key: owner.enterprise_id, _OWNER_TOWN.key: owner.town_id,
            _SPAN_START.key: start_of(span.first), _SPAN_END.key: start_of(span.last + 1),
            _LIMIT.key: self.per_page, _OFFSET.key: self._query_offset}).all()
        if rows:  # a page past the end reads the version with the count
            figures_cache.use_version(rows[0].data_version)
        return rows

    def _query_count(self) -> int:
        return count(self._query_args["request"])


def attendance_page(request: Request, page: int, per_page: int) -> AttendancePagination:
    """One page of the attendance list (the attendances, people and hours figures) as plain rows, with
    its total (see AttendancePagination): one statement while the count's memo holds."""
    return AttendancePagination(page=page, per_page=per_page, error_out=False, request=request)


def _upgrade_rows(request: Request):
    """The union of both kinds of upgrade record (kind, id, person, day) of the list."""
    owner, span = owner_scope(request.drilled.scope), request.drilled.span
    education = (select(literal(EDUCATION).label("kind"), EducationUpgrade.id.label("id"),
                        EducationUpgrade.worker_id.label("person"), EducationUpgrade.graduated_on.label("day"))
                 .where(within(EducationUpgrade.graduated_on, span, dates=True),
                        training_figures.enterprise_in(owner, EducationUpgrade.enterprise_id)))
    skill = (select(literal(SKILL).label("kind"), SkillLevelChange.id.label("id"),
                    SkillLevelChange.user_id.label("person"), SkillLevelChange.effective_date.label("day"))
             .where(SkillLevelChange.reason.in_(training_figures.UPGRADE_REASONS),
                    within(SkillLevelChange.effective_date, span, dates=True),
                    training_figures.skill_change_in_scope(owner)))
    return union_all(education, skill).subquery()


@dataclass(frozen=True)
class Upgrade:
    """One upgrade record as listed: its kind (EDUCATION or SKILL), the record, the person, the day."""

    kind: str
    record: object
    person: User
    day: date

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def what(self) -> str:
        if self.kind == EDUCATION:
            return str(self.record.education_label)
        opening, closing = gettext("（"), gettext("）")
        return f"{self.record.step.label}{opening}{self.record.reason_label}{closing}"


def upgrades(request: Request, offset: int = 0, limit: int | None = None) -> list[Upgrade]:
    """The upgrade records of the list (newest first) from `offset`, at most `limit`: four queries."""
    rows = _upgrade_rows(request)
    stmt = select(rows.c.kind, rows.c.id, rows.c.person, rows.c.day).order_by(
        rows.c.day.desc(), rows.c.kind, rows.c.id.desc()).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    found = db.session.execute(stmt).all()
    ids = {kind: [row.id for row in found if row.kind == kind] for kind in (EDUCATION, SKILL)}
    records = {(EDUCATION, r.id): r for r in db.session.scalars(
        select(EducationUpgrade).where(EducationUpgrade.id.in_(ids[EDUCATION])))} if ids[EDUCATION] else {}
    records.update({(SKILL, r.id): r for r in db.session.scalars(
        select(SkillLevelChange).where(SkillLevelChange.id.in_(ids[SKILL])))} if ids[SKILL] else {})
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({row.person for row in found}))
                                                  .options(db.lazyload(User.role_rows)))} if found else {}
    return [Upgrade(row.kind, records[(row.kind, row.id)], people[row.person], row.day) for row in found]


class UpgradePagination(Pagination):
    """One page of the upgrade records with their total, in the shape of the other lists' pages
    (flask_sqlalchemy's Pagination: `upgrades` for the items, `count` for the total)."""

    def _query_items(self) -> list:
        return upgrades(self._query_args["request"], self._query_offset, self.per_page)

    def _query_count(self) -> int:
        return count(self._query_args["request"])


def upgrades_page(request: Request, page: int, per_page: int) -> UpgradePagination:
    """One page of the upgrade records, with their total (see UpgradePagination)."""
    return UpgradePagination(page=page, per_page=per_page, error_out=False, request=request)


def _memo_key(request: Request, what: str) -> tuple:
    """The list's rows are the figure's records of the scope and span, the same for every reader who may
    open them (the reach is checked per request), so what they add up to is memoised per data version."""
    span = request.drilled.span
    return ("training-report-records", what, request.kind, request.drilled.scope.key, span.first, span.last)


def summary(request: Request) -> dict | None:
    """What an attendance list (the attendances, people and hours figures) adds up to, in one aggregate
    query over exactly the listed rows: {"person_times": int, "people": int (distinct over the whole span,
    as the report's total), "hours": Decimal}; None for the other lists (their count is their figure).
    Memoised per data version (services.common.figures_cache): a view does not add up the city's year."""
    if request.kind != "attendances":
        return None

    def added_up() -> dict:
        listed = query(request).order_by(None).subquery()
        times, people, hours = db.session.execute(select(
            func.count(), func.count(listed.c.worker_id.distinct()),
            func.coalesce(func.sum(listed.c.hours), 0)).select_from(listed)).one()
        return {"person_times": times, "people": people, "hours": hours}

    return figures_cache.memoised(_memo_key(request, "summary"), added_up)


def count(request: Request) -> int:
    """How many records the list holds (one count query, memoised per data version as `summary`; built
    only when the memo misses)."""

    def counted() -> int:
        if request.kind == "upgrades":
            stmt = select(func.count()).select_from(_upgrade_rows(request))
        else:
            stmt = select(func.count()).select_from(query(request).order_by(None).subquery())
        return db.session.scalar(stmt) or 0

    return figures_cache.memoised(_memo_key(request, "count"), counted)
