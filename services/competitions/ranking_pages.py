"""Pages of a competition's stored ranking (the results standings.py stores when marks are signed off), and
the size of a page of its score sheet (sheet_page_size).

Rule (docs/domain.md, Skills competitions): a page of the ranking is a range of stored positions: page N of
size S holds positions (N-1)*S+1 .. N*S, one index range on (competition_id, position) whatever N is; the
number of pages comes from the highest stored position (one index lookup), never from a COUNT or an
OFFSET walk. The rows are plain values (RankedRow), read by one kept statement (core.statements).
"""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, func, select

from core.statements import shared_statement
from models import db
from models.competitions import (
    Competition,
    CompetitionJudge,
    CompetitionRegistration,
    CompetitionResult,
    EntryNumber,
    PrizeLabels,
)
from services.common.rows import PlainRow
from services.competitions.standings import names_of

_COMPETITION = bindparam("ranking_competition")


def result_count(competition_id: int) -> int:
    """How many results are stored (the highest stored position: one index lookup)."""
    return db.session.scalar(select(func.max(CompetitionResult.position))
                             .where(CompetitionResult.competition_id == competition_id)) or 0


class RankedRow(PlainRow, EntryNumber, PrizeLabels):
    """One line of a page of the ranking as plain values (no ORM entities): rank and position, the
    entry's id and competitor number, the entrant's name (the team's for a team entry, else the
    worker's), the enterprise's name, the marks, prize and honour codes."""

    __slots__ = ("rank", "position", "registration_id", "competitor_no", "entrant_name", "enterprise_name",
                 "theory", "practical", "total", "prize", "honour")


class StandingsPage(Pagination):
    """Page `page` of a competition's stored ranking: RankedRows of the results at positions
    (page-1)*per_page+1 .. page*per_page (prize winners only when `winners`), read as plain columns;
    `total` the last position there is (up to the last prize winner's with `winners`), read in the
    same query (one more index lookup only for a page with no rows)."""

    def _query_items(self):
        start = (self.page - 1) * self.per_page
        args = self._query_args
        winners = bool(args["winners"])
        rows = db.session.connection().execute(  # Core: no ORM result processing
            shared_statement(("ranking_pages.ranking", winners), lambda: _ranking_stmt(winners)),
            {_COMPETITION.key: args["competition_id"], _AFTER.key: start, _UPTO.key: start + self.per_page}).all()
        self._last = rows[0][0] if rows else None
        return [RankedRow(*row[1:]) for row in rows]

    def _query_count(self):
        if self._last is None:  # a page past the end (or an empty ranking)
            self._last = db.session.scalar(_last_position(self._query_args["competition_id"],
                                                          self._query_args["winners"]))
        return self._last or 0


_AFTER, _UPTO = bindparam("standings_after"), bindparam("standings_upto")


def _last_position(competition_id, winners: bool):
    """The last stored position of the competition `competition_id` (a value or a bind parameter); with
    `winners`, the last prize winner's."""
    r = CompetitionResult
    stmt = select(func.max(r.position)).where(r.competition_id == competition_id)
    return stmt.where(r.prize.is_not(None)) if winners else stmt


def _ranking_stmt(winners: bool):
    """A page of the stored ranking (StandingsPage): the last position there is (a subquery), then each
    result of the positions after _AFTER up to _UPTO (prize winners only with `winners`) as RankedRow's
    columns, by position; the names as subqueries (a shorter plan, score_entries_stmt). Run on the session's
    connection (plain columns: no ORM result processing)."""
    r, g = CompetitionResult, CompetitionRegistration
    name, enterprise = names_of(g)
    stmt = (select(_last_position(_COMPETITION, winners).scalar_subquery(), r.rank, r.position, g.id,
                   g.competitor_no, func.coalesce(g.team_name, name), enterprise, r.theory, r.practical, r.total,
                   r.prize, r.honour)
            .join(g, g.id == r.registration_id)
            .where(r.competition_id == _COMPETITION, r.position > _AFTER, r.position <= _UPTO)
            .order_by(r.position))
    return stmt.where(r.prize.is_not(None)) if winners else stmt


def ranking_page(competition: Competition, page: int, per_page: int, *, winners: bool = False) -> StandingsPage:
    """Page `page` (from 1; past the end: empty) of the stored ranking, `per_page` positions a page;
    `winners`: only results with a prize (pages of the positions up to the last prize winner's)."""
    return StandingsPage(page=page, per_page=per_page, max_per_page=None, error_out=False,
                         competition_id=competition.id, winners=winners)


SHEET_CELLS = 600  # judge cells a page of the sheet holds at most (sheet_page_size)


def sheet_page_size(competition: Competition, longest: int, shortest: int) -> int:
    """Entries per page of the score sheet: `longest` (LONG_PAGE_SIZE) while their judge cells stay within
    SHEET_CELLS (up to 12 judges), fewer for a larger panel, never under `shortest` (PAGE_SIZE): 50 entries
    of 30 judges were 1,500 cells, 120 KB, and on a phone 50 cards of 36 lines. One kept statement."""
    judges = db.session.connection().execute(shared_statement(("ranking_pages.panel_size",), lambda: select(
        func.count()).where(CompetitionJudge.competition_id == _COMPETITION)), {_COMPETITION.key: competition.id})
    return max(shortest, min(longest, SHEET_CELLS // max(judges.scalar_one(), 1)))
