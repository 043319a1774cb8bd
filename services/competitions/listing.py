"""The lists behind the competitions figures of the yearly report (issue 16, the drill-down;
services.report.competitions holds the figures' definitions, which these lists apply word for word).

Rules (docs/domain.md, "The yearly report"):
- Held competitions (举办竞赛, and a level's row): competitions held (held_on) in the filter's years, not
  drafts, owned by the report's scope or below it (services.report.scope.events: an enterprise's own, a
  town's own and its enterprises', the city everything), of one level when asked; within what the reader
  sees in the competition list (catalogue.competitions_query).
- Entries (参赛人次 / 参赛人数 / 获奖): the cross-competition list of entries (报名). "entrants": confirmed
  entries of competitions held in the years that are not drafts; "prizes": final results with a prize
  (a team prize is one prize), of one level and one prize when asked. An entry counts for the scope of
  the enterprise it was made from at that moment (services.report.scope.records at its created_at), so a
  person who changed employer mid-year is listed at the enterprise of the entry's time. Person-times are
  the competitors of the listed entries (a team entry: each member); distinct people are those
  competitors counted once.
- Promotions (推荐晋升 / 晋升取证): "recommended": recommendations not passed over, in the year they were
  made (created_at); "certified": those whose certificate HR recorded, in the year it was recorded
  (recorded_at); each for the scope of the enterprise recorded on it at its creation.
- Who: officers whose reach covers the scope (services.report.drill.report_filter: admins the city and
  any town or enterprise, a town officer their town, HR their enterprise); NotAllowed for anyone else.
- The entries list pages by keyset on the entry's id (newest first), never counted, and loads each page's
  competitors, competitions and results with a fixed number of queries. Its scope is always the report's
  whole scope, so its summary line is the report's figure (`entries_summary`), not a count of the list;
  the city's scope adds no condition on the entry's town.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core import clock
from models import db
from models.accounts import Enterprise, User
from models.competitions import (
    CONFIRMED,
    DRAFT,
    FINAL,
    PROMOTION_CERTIFIED,
    PROMOTION_PASSED_OVER,
    Competition,
    CompetitionPromotion,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTeamMember,
    PrizeLabels,
)
from models.vocabulary import COMPETITION_LEVELS, PRIZES
from services import report as reports
from services.common import figures_cache
from services.common.planner import likely
from services.common.rows import PlainRow
from services.competitions import catalogue
from services.report import competitions as report_competitions
from services.report import scope as scopes
from services.report.drill import ReportFilter, report_filter
from services.report.periods import start_of, within

ENTRANTS, PRIZE_WINNERS = "entrants", "prizes"
FIGURES = (ENTRANTS, PRIZE_WINNERS)
RECOMMENDED, CERTIFIED = "recommended", "certified"


def held_query(actor, reported: ReportFilter, level: str | None = None, trade_id=None, status=None, rows=False):
    """Select of the competitions behind the report's "held" figure (see the module's rules) for `actor`,
    newest first; the list's other filters (trade, status) narrow it further. `rows`: as competitions_query's."""
    stmt = catalogue.competitions_query(actor, level_code=level, trade_id=trade_id, status=status, rows=rows)
    return stmt.where(within(Competition.held_on, reported.span, dates=True), Competition.status != DRAFT,
                      scopes.events(reported.scope, Competition))


@dataclass
class EntryFilters:
    """The entries list's filters: the report's figure, its span and scope, a competition level, a prize."""

    figure: str = ENTRANTS
    year: int | None = None
    first: int | None = None
    last: int | None = None
    town: int | None = None
    enterprise: int | None = None
    level: str | None = None
    prize: str | None = None

    def __post_init__(self):
        self.figure = self.figure if self.figure in FIGURES else ENTRANTS
        self.level = self.level if self.level in COMPETITION_LEVELS else None
        self.prize = self.prize if self.prize in PRIZES and self.figure == PRIZE_WINNERS else None

    @property
    def params(self) -> dict:
        return {name: value for name, value in vars(self).items() if value not in (None, "")}


def entries_filter(actor, filters: EntryFilters) -> ReportFilter:
    """The span and scope of `filters` for `actor` (this year and their own node when none is named).
    NotAllowed without an office; NotFound outside the reader's reach (report_filter)."""
    year = filters.year if (filters.year or filters.first or filters.last) else clock.today().year
    return report_filter(actor, year=year, first=filters.first, last=filters.last, town_id=filters.town,
                         enterprise_id=filters.enterprise)


class EntryLine(PlainRow, PrizeLabels):
    """One entry of a page of the entries list as plain values (entries_query with `rows`, then
    entry_lines): its id, team name, whether its competition is a team one, the entrant's id and name,
    the enterprise's name, the competition's id, name, day held and level, its result's prize code (None
    without one) and `people`, its competitors (Competitor rows, `competitors`' rule)."""

    __slots__ = ("id", "team_name", "is_team", "worker_id", "worker_name", "enterprise_name", "competition_id",
                 "competition_name", "held_on", "level", "prize", "people")

    level_label = Competition.level_label


class Competitor(PlainRow):
    """A competitor of an EntryLine: the person's id and name."""

    __slots__ = ("id", "name")


def entries_query(actor, filters: EntryFilters, reported: ReportFilter | None = None, paged: bool = False,
                  rows: bool = False):
    """Select of the entries behind the figure `filters` name (see the module's rules), newest first; the
    page's competitions, enterprises, competitors, team members and results load with it (selectin).
    `reported`: `entries_filter`'s answer when the caller has it already. `paged`: for a page in id order,
    the years' range is marked likely (services.common.planner), so the page walks the entries' id order
    rather than sorting every entry of the year. `rows`: the columns of EntryLine but `people` (the entry's
    id as "id") instead of entities, for a list page (entry_lines makes its lines)."""
    reported = reported or entries_filter(actor, filters)
    start, end = start_of(reported.span.first, dates=True), start_of(reported.span.last + 1, dates=True)
    years = (Competition.held_on >= start, Competition.held_on < end)
    g, c, result = CompetitionRegistration, Competition, CompetitionResult
    if rows:  # the result outer joined: the prizes figure's conditions on it below make it inner; the
        # names are subqueries (PostgreSQL plans the statement on each view, and a join more costs its plan more)
        name = select(User.name).where(User.id == g.worker_id).scalar_subquery()
        enterprise = select(Enterprise.name).where(Enterprise.id == g.enterprise_id).scalar_subquery()
        stmt = (select(g.id, g.team_name, c.is_team, g.worker_id, name, enterprise, g.competition_id,
                       c.name, c.held_on, c.level, result.prize)
                .join(c, c.id == g.competition_id).outerjoin(result, result.registration_id == g.id))
    else:
        stmt = (select(g).join(c, c.id == g.competition_id)
                .options(db.contains_eager(g.competition), db.joinedload(g.worker), db.joinedload(g.enterprise),
                         db.selectinload(g.members).joinedload(CompetitionTeamMember.worker),
                         db.selectinload(g.result)))
    stmt = stmt.where(*(likely(bound) for bound in years) if paged else years,
                      scopes.records(reported.scope, g.enterprise_id, at=g.created_at))
    if filters.figure == PRIZE_WINNERS:
        if not rows:
            stmt = stmt.join(result, result.registration_id == g.id)
        stmt = stmt.where(result.prize.is_not(None), c.status == FINAL)
        if filters.prize:
            stmt = stmt.where(result.prize == filters.prize)
    else:
        stmt = stmt.where(g.status == CONFIRMED, c.status != DRAFT)
    if filters.level:
        stmt = stmt.where(c.level == filters.level)
    return stmt.order_by(g.id.desc())


def entry_lines(rows) -> list[EntryLine]:
    """The EntryLines of a page of entries_query(rows=True) rows, each with its competitors (`competitors`'
    rule): one more query, for the team entries' members, only when the page has a team entry."""
    team_ids = [row[0] for row in rows if row[2]]
    members: dict[int, list[Competitor]] = {}
    if team_ids:
        for registration_id, worker_id, name in db.session.execute(
                select(CompetitionTeamMember.registration_id, User.id, User.name)
                .join(User, User.id == CompetitionTeamMember.worker_id)
                .where(CompetitionTeamMember.registration_id.in_(team_ids)).order_by(CompetitionTeamMember.id)):
            members.setdefault(registration_id, []).append(Competitor(worker_id, name))
    return [EntryLine(*row, _people(row[2], lambda row=row: members.get(row[0], []), Competitor(row[3], row[4])))
            for row in rows]


def entries_summary(filters: EntryFilters, reported: ReportFilter) -> dict | None:
    """The report's figure behind the list (services.report.competitions.entries_summary): person-times and
    distinct people of the entrants, or the number of prizes (of one level and grade when asked), or None
    when no figure counts the list (entrants of one level). The list holds exactly the figure's entries
    (its scope is the report's, `entries_filter`), so the figure is the list's summary: read from the
    report when it is memoised (services.report.memoised_section), else from the few figures it needs,
    computed once per data version for the scope (services.common.figures_cache); never a count of the
    list on each view."""
    if filters.figure == ENTRANTS and filters.level:
        return None
    scope, span = reported.scope, reported.span
    part = reports.memoised_section(scope, span, "competitions") or figures_cache.memoised(
        ("competitions.entries_part", scope.key, span.first, span.last),
        lambda: report_competitions.entries_part(scope, span))
    return report_competitions.entries_summary(part, span, filters.figure, filters.level, filters.prize)


def entry_count(actor, filters: EntryFilters, reported: ReportFilter | None = None) -> int:
    """How many entries the list holds (one count over the same conditions; the export's size)."""
    ids = entries_query(actor, filters, reported).with_only_columns(CompetitionRegistration.id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def shown_count(actor, filters: EntryFilters, reported: ReportFilter, summary: dict | None = None) -> int:
    """How many entries the list holds, as it shows it under its keyset pages: the prizes figure when the
    list's summary (`entries_summary`) holds it (a prize is one entry, a team's too), else `entry_count`,
    memoised per data version (services.common.figures_cache) for the report's scope, span, figure, level
    and prize (the list's rows are the scope's, the same for every reader who may open it), so a view never
    counts the year's entries again while none changed. Rows are entries: a team entry is one row, whose
    members are several person-times (so the entrants figures are not the rows' number)."""
    if summary is not None and "prizes" in summary:
        return summary["prizes"]
    span = reported.span
    key = ("competitions.entry_count", reported.scope.key, span.first, span.last, filters.figure, filters.level,
           filters.prize)
    return figures_cache.memoised(key, lambda: entry_count(actor, filters, reported))


def competitors(entry: CompetitionRegistration) -> list:
    """The people an entry counts as in the report's person-times: a team entry's members (in a team
    competition), else the entrant."""
    return _people(entry.competition.is_team, lambda: [member.worker for member in entry.members], entry.worker)


def _people(is_team: bool, members, entrant) -> list:
    """`competitors`' rule: a team competition's entry counts as its members (`members()`), any other as
    its entrant."""
    return members() if is_team else [entrant]


def promotions_query(reported: ReportFilter, basis: str):
    """Select of the promotions behind the report's "recommended" or "certified" figure (see the module's
    rules), newest first; `reported` is already checked against the reader's reach (report_filter)."""
    stmt = select(CompetitionPromotion).options(
        db.joinedload(CompetitionPromotion.worker),
        db.joinedload(CompetitionPromotion.registration).joinedload(CompetitionRegistration.competition))
    in_scope = scopes.records(reported.scope, CompetitionPromotion.enterprise_id, at=CompetitionPromotion.created_at)
    if basis == CERTIFIED:
        stmt = stmt.where(CompetitionPromotion.status == PROMOTION_CERTIFIED,
                          within(CompetitionPromotion.recorded_at, reported.span), in_scope)
    else:
        stmt = stmt.where(CompetitionPromotion.status != PROMOTION_PASSED_OVER,
                          within(CompetitionPromotion.created_at, reported.span), in_scope)
    return stmt.order_by(CompetitionPromotion.id.desc())
