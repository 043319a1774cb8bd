"""Score lines and stored standings of a competition: each competitor's marks combined, the stored
results with their rank and position, and pages of them.

Rules (docs/domain.md, Skills competitions; Rules shared by every part: scoring):
- A judge's practical score = sum(item weight x mark / 100); the final practical mark is the trimmed
  mean over judges (5 or more: drop one highest and one lowest); total = theory x theory weight / 100
  + practical x practical weight / 100 (services.common.scoring).
- The ranking is total descending, ties broken by the practical mark, still equal = shared rank
  (RANK(), "1224"); `position` is the dense order 1..n (the same order, then competitor number).
  Prizes follow the prize table by rank. All of it is stored on the results (CompetitionResult) in
  the transaction that signs the marks off (store_results) and, once results exist, again in the
  transaction that corrects a mark after a reopening (refresh_entry): never a cache that can be stale.
- Pages of the stored ranking: services.competitions.ranking_pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, case, cast, func, insert, null, or_, select, union_all, update

from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, User, db
from models.competitions import (
    CONFIRMED,
    Competition,
    CompetitionItem,
    CompetitionJudge,
    CompetitionPracticalMark,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTheoryMark,
    EntryNumber,
)
from models.vocabulary import prize_label
from services.common import scoring
from services.common.rows import PlainRow

DISAGREEMENT_SPREAD = Decimal("15")


@dataclass
class ScoreLine:
    """One confirmed competitor's marks: theory, each complete judge's weighted practical score,
    judges who marked only some items, the trimmed practical mark, the total, the spread between
    judges, what is still missing (`problems`) and whether the spread is flagged."""

    registration: CompetitionRegistration
    theory: Decimal | None
    judge_scores: dict[int, Decimal] = field(default_factory=dict)  # judge id -> weighted score
    incomplete_judges: int = 0
    practical: Decimal | None = None
    total: Decimal | None = None
    spread: Decimal | None = None
    problems: list = field(default_factory=list)
    flagged: bool = False


def judge_score(marks: dict[int, Decimal], items) -> Decimal | None:
    """A judge's weighted practical score from their marks (sub-item id -> mark), or None until every
    sub-item is marked. `items`: the competition's sub-items (objects with id and weight)."""
    weights = [(item.id, item.weight) for item in items]
    return _judge_score(marks, weights)


def _judge_score(marks: dict[int, Decimal], weights: list[tuple[int, int]]) -> Decimal | None:
    """judge_score with the sub-items as (id, weight) pairs, read once for every line of a page."""
    if any(item_id not in marks for item_id, _weight in weights):
        return None
    return scoring.weighted_total([(marks[item_id], weight) for item_id, weight in weights], 100)


def combine(theory, practical, competition) -> Decimal:
    """Total = theory x theory weight / 100 + practical x practical weight / 100, two decimals
    (`competition`: a Competition, or its SheetRules)."""
    return scoring.weighted_total([(theory, competition.theory_weight), (practical, competition.practical_weight)],
                                  _HUNDRED)


_HUNDRED = Decimal(100)


def score_line(registration, marks_by_judge, competition: Competition, weights=None) -> ScoreLine:
    """The ScoreLine of one entry (a CompetitionRegistration, or a SheetRow of a page) from its marks
    (judge id -> sub-item id -> mark); its theory mark comes from `registration.theory_mark`.
    `weights`: the sub-items as (id, weight) pairs when the caller read them once for many lines."""
    if weights is None:
        weights = [(item.id, item.weight) for item in competition.items]
    judge_scores, incomplete = {}, 0
    for judge_id, marks in marks_by_judge.items():
        score = _judge_score(marks, weights)
        if score is None:
            incomplete += 1
        else:
            judge_scores[judge_id] = score
    return _line(registration, judge_scores, incomplete, competition)


def _line(registration, judge_scores: dict[int, Decimal], incomplete: int, competition) -> ScoreLine:
    """The ScoreLine of one entry from its complete judges' scores (judge id -> weighted score) and the
    number of judges who marked only some sub-items. `competition`: the Competition, or its SheetRules."""
    theory, problems = registration.theory_mark, []
    if theory is None:
        problems.append(_l("缺理论成绩"))
    judged = len(judge_scores)
    if judged < competition.min_judges:
        problems.append(_l("实操评分评委不足 %(n)d 人（现 %(m)d 人）", n=competition.min_judges, m=judged))
    practical = spread = total = None
    if judged:  # the scores are Decimals: sorted as they are
        practical, spread = scoring.sorted_mean_and_spread(sorted(judge_scores.values()))
    if theory is not None and practical is not None:
        total = combine(theory, practical, competition)
    return ScoreLine(registration, theory, judge_scores, incomplete, practical, total, spread, problems,
                     spread is not None and spread > DISAGREEMENT_SPREAD)


class SheetRules(NamedTuple):
    """What _line reads of a competition, read once for the lines of a page (plain values)."""

    min_judges: int
    theory_weight: int
    practical_weight: int


def _marks_of(registration_ids) -> dict[int, dict[int, dict[int, Decimal]]]:
    marks: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for reg_id, judge_id, item_id, mark in db.session.execute(
            select(CompetitionPracticalMark.registration_id, CompetitionPracticalMark.judge_id,
                   CompetitionPracticalMark.item_id, CompetitionPracticalMark.mark)
            .where(CompetitionPracticalMark.registration_id.in_(registration_ids))):
        marks[reg_id][judge_id][item_id] = mark
    return marks


class StoredRank(NamedTuple):
    """An entry's stored rank and prize code (the stored result of its registration)."""

    rank: int | None
    prize: str | None

    @property
    def prize_label(self):
        return prize_label(self.prize)


class SheetRow(PlainRow, EntryNumber):
    """One entry of a page of the score sheet as plain values (no ORM entities; score_entries_stmt):
    its id, competitor number, entrant's name (the team's for a team entry), enterprise's id and name,
    theory mark (None before it is entered) and its stored result's id, rank and prize code (None
    before sign-off)."""

    __slots__ = ("id", "competitor_no", "entrant_name", "enterprise_id", "enterprise_name", "theory_mark",
                 "result_id", "rank", "prize")


def names_of(g):
    """The entrant's name and the enterprise's name of the entry `g` (CompetitionRegistration) in a select
    of entries, as correlated subqueries (one index lookup each for each row read)."""
    return (select(User.name).where(User.id == g.worker_id).scalar_subquery(),
            select(Enterprise.name).where(Enterprise.id == g.enterprise_id).scalar_subquery())


def score_entries_stmt(competition: Competition | None = None):
    """Select of a competition's confirmed entries by competitor number as plain columns in the order of
    SheetRow: page it by key (competitor number) into SheetRows, then sheet the page (and
    stored_ranks for its stored results). Without `competition`: the competition is the bind parameter
    sheet_params names (a kept statement). The names are subqueries, not joins: PostgreSQL plans the
    statement anew on each view (its parameters), and five joined tables took it three times as long to
    plan as this one takes to plan and run (each subquery one index lookup for each row of the page)."""
    g, r = CompetitionRegistration, CompetitionResult
    name, enterprise = names_of(g)
    return (select(g.id, g.competitor_no, func.coalesce(g.team_name, name), g.enterprise_id, enterprise,
                   CompetitionTheoryMark.mark, r.id, r.rank, r.prize)
            .outerjoin(CompetitionTheoryMark, CompetitionTheoryMark.registration_id == g.id)
            .outerjoin(r, r.registration_id == g.id)
            .where(g.competition_id == (_COMPETITION if competition is None else competition.id),
                   g.status == CONFIRMED)
            .order_by(g.competitor_no))


def sheet_params(competition: Competition) -> dict:
    """The bind parameters' values of score_entries_stmt() (kept) for `competition`."""
    return {_COMPETITION.key: competition.id}


def stored_ranks(rows: list[SheetRow]) -> dict[int, StoredRank]:
    """Registration id -> its stored rank and prize, for the SheetRows of a page that have a stored
    result (StoredRank, read in the page's own query)."""
    return {row.id: StoredRank(row.rank, row.prize) for row in rows if row.result_id is not None}


_HUNDREDTH = Decimal("0.01")


class Sheet(NamedTuple):
    """A page of the score sheet: its judge columns (entry_sheet) and the page's ScoreLines."""

    columns: list[tuple[int, str, int | None]]
    lines: list[ScoreLine]


def _judge_sums(competition: Competition, entries: dict, by_numbers: bool) -> tuple[list, dict]:
    """The panel's judge columns (entry_sheet) and registration id -> judge id -> (whether the judge
    marked every one of the competition's sub-items, sum of weight x mark in hundredths), summed in the
    database: one row per judge and entry instead of one per mark, each with the competition's number of
    sub-items (a subquery of the same statement, so the sub-items are not loaded). Marks have two decimals,
    so mark x 100 is a whole number on both databases (SQLite keeps them as floating point: rounded to the
    nearest whole number first) and the sum is exact. `entries`: the registration ids (_ENTRIES), or with
    `by_numbers` the confirmed entries numbered _FIRST_NO .. _LAST_NO. One kept statement on the session's
    connection (Core: no ORM result processing): the judges' rows (no registration id, first, in the
    panel's order) and the sums' rows as one UNION ALL, one round trip for both."""
    columns, sums = [], defaultdict(dict)
    for reg_id, judge_id, marked, weighted, of, name in db.session.connection().execute(
            shared_statement(("standings.judge_sums", by_numbers), lambda: _judge_sums_stmt(by_numbers)),
            {_COMPETITION.key: competition.id, **entries}).all():  # fetched at once, not row by row
        if reg_id is None:  # a judge of the panel: (judge id, name, enterprise id)
            columns.append((judge_id, name, marked))
        else:
            sums[reg_id][judge_id] = (marked == of, weighted)
    return columns, sums


# The bind parameters of this module's kept statements (core.statements.shared_statement).
_COMPETITION, _ENTRIES = bindparam("standings_competition"), bindparam("standings_entries", expanding=True)
_FIRST_NO, _LAST_NO = bindparam("standings_first_no"), bindparam("standings_last_no")
_RANGE_SIZE = bindparam("standings_range_size")
SHEET_PAGE_LIMIT = 1000  # the most entries one page of the sheet holds (a guard: a page holds LONG_PAGE_SIZE)


def _judge_sums_stmt(by_numbers: bool):
    m, item, g, j = CompetitionPracticalMark, CompetitionItem, CompetitionRegistration, CompetitionJudge
    hundredths = cast(func.round(m.mark * 100), Integer)
    items = select(func.count(item.id)).where(item.competition_id == _COMPETITION).scalar_subquery()
    # by numbers: one index range on (competition, competitor number); the LIMIT, the most entries the range
    # can hold (numbers are unique in a competition: sheet), tells PostgreSQL's planner that few entries
    # come out of it, so it looks their marks up by entry rather than hashing every mark of the competition
    # (it reckons a number range's share over every competition: ~6x too many entries, 1 -> 50-100 ms); the
    # order by number keeps it on that index: without it, it walked the competition's entries in id order
    # for the LIMIT's few (10,450 rows read and dropped for page 1 of the 10,000-entrant competition)
    entries = (select(g.id).where(g.competition_id == _COMPETITION, g.status == CONFIRMED,
                                  g.competitor_no >= _FIRST_NO, g.competitor_no <= _LAST_NO)
               .order_by(g.competitor_no).limit(_RANGE_SIZE) if by_numbers else _ENTRIES)
    # the panel's rows: (no entry, judge id, enterprise id, the panel's order, -, name)
    judges = (select(cast(null(), Integer).label("entry"), j.judge_id, User.enterprise_id.label("marked"),
                     j.id.label("weighted"), cast(null(), Integer).label("of"), User.name)
              .join(User, User.id == j.judge_id).where(j.competition_id == _COMPETITION))
    sums = (select(m.registration_id, m.judge_id, func.count(), func.sum(item.weight * hundredths), items,
                   cast(null(), User.name.type))
            .join(item, (item.id == m.item_id) & (item.competition_id == _COMPETITION))
            .where(m.registration_id.in_(entries)).group_by(m.registration_id, m.judge_id))
    both = union_all(judges, sums)
    return both.order_by(both.selected_columns.entry.nulls_first(), both.selected_columns.weighted)


def entry_sheet(competition: Competition, registrations: list) -> Sheet:
    """The score sheet's judge columns and the score lines of the given entries (CompetitionRegistrations
    with their theory marks loaded, or SheetRows; none: the columns only): one query for both, whatever
    the competition's size (_judge_sums). The columns are (judge id, name, enterprise id) of each practical
    judge of the panel in the panel's order (services.competitions.judging.panel's; the sheet shows names
    only, and a judge is recused from their own enterprise's entrants). A judge's score is the same Decimal
    as judge_score gives: sum(weight x mark / 100) is exactly (sum of weight x mark x 100) / 10,000 before
    rounding half up to two decimals (each term has at most four decimals); a judge is complete when they
    marked every sub-item (one mark per judge, entry and sub-item)."""
    columns, sums = _judge_sums(competition, {_ENTRIES.key: [r.id for r in registrations]}, by_numbers=False)
    return Sheet(columns, _lines(competition, registrations, sums))


def sheet(competition: Competition, rows: list) -> Sheet:
    """entry_sheet for a page of the score sheet: SheetRows in competitor-number order, which are every
    confirmed entry from the first row's number to the last's (score_entries_stmt's order). The judges'
    sums are read by that range of numbers (one index range) rather than by sending the page's ids.
    Raises ValueError for a page of more than SHEET_PAGE_LIMIT rows."""
    if not rows:
        return entry_sheet(competition, [])
    if len(rows) > SHEET_PAGE_LIMIT:
        raise ValueError(f"a page of the sheet holds at most {SHEET_PAGE_LIMIT} entries")
    first, last = rows[0].competitor_no, rows[-1].competitor_no
    columns, sums = _judge_sums(
        competition, {_FIRST_NO.key: first, _LAST_NO.key: last, _RANGE_SIZE.key: last - first + 1}, by_numbers=True)
    return Sheet(columns, _lines(competition, rows, sums))


_NONE: dict = {}  # an entry no judge marked (never written to)


def _lines(competition: Competition, registrations: list, sums: dict) -> list[ScoreLine]:
    rules = SheetRules(competition.min_judges, competition.theory_weight, competition.practical_weight)
    lines = []
    for registration in registrations:
        judge_scores, incomplete = {}, 0
        for judge_id, (complete, weighted) in sums.get(registration.id, _NONE).items():
            if not complete:
                incomplete += 1
            elif weighted >= 0:  # hundredths rounded half up, and an exact product with two decimals as round2's
                judge_scores[judge_id] = Decimal((weighted + 50) // 100) * _HUNDREDTH
            else:
                judge_scores[judge_id] = scoring.round2(Decimal(weighted) / 10000)
        lines.append(_line(registration, judge_scores, incomplete, rules))
    return lines


def score_lines(competition: Competition) -> list[ScoreLine]:
    """Every confirmed competitor's score line, by competitor number; three queries in all (for
    sign-off: pages read the sheet of one page)."""
    registrations = list(db.session.scalars(
        select(CompetitionRegistration).where(CompetitionRegistration.competition_id == competition.id,
                                              CompetitionRegistration.status == CONFIRMED)
        .options(db.selectinload(CompetitionRegistration.theory), db.joinedload(CompetitionRegistration.worker),
                 db.joinedload(CompetitionRegistration.enterprise))
        .order_by(CompetitionRegistration.competitor_no)))
    marks: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for reg_id, judge_id, item_id, mark in db.session.execute(
            select(CompetitionPracticalMark.registration_id, CompetitionPracticalMark.judge_id,
                   CompetitionPracticalMark.item_id, CompetitionPracticalMark.mark)
            .join(CompetitionRegistration).where(CompetitionRegistration.competition_id == competition.id)):
        marks[reg_id][judge_id][item_id] = mark
    weights = [(item.id, item.weight) for item in competition.items]
    return [score_line(registration, marks[registration.id], competition, weights) for registration in registrations]


# --- stored results ------------------------------------------------------------------------------------


def _forget_loaded_results() -> None:
    """Set-based updates bypass the ORM: expire any result objects this session holds."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, CompetitionResult):
            db.session.expire(obj)


def store_ranks(competition: Competition) -> None:
    """Write rank, position, prize and honour of every stored result of the competition (see the
    module rules) with set-based UPDATEs; only rows whose values change are written."""
    r, g = CompetitionResult.__table__, CompetitionRegistration.__table__
    order = (r.c.total.desc(), r.c.practical.desc())
    ordered = (select(r.c.id, func.rank().over(order_by=order).label("rank"),
                      func.row_number().over(order_by=(*order, g.c.competitor_no, r.c.id)).label("position"))
               .select_from(r.join(g, g.c.id == r.c.registration_id))
               .where(r.c.competition_id == competition.id).subquery())
    db.session.execute(update(r).where(
        r.c.id == ordered.c.id,
        or_(r.c.rank.is_distinct_from(ordered.c.rank), r.c.position.is_distinct_from(ordered.c.position)),
    ).values(rank=ordered.c.rank, position=ordered.c.position).execution_options(synchronize_session=False))
    tiers = [(t.rank_from, t.rank_to, t.prize, t.honour) for t in competition.prize_tiers]
    if tiers:
        prize = case(*[(r.c.rank.between(a, b), p) for a, b, p, _h in tiers], else_=None)
        honour = case(*[(r.c.rank.between(a, b), h) for a, b, _p, h in tiers], else_=None)
    else:
        prize = honour = None
    db.session.execute(update(r).where(r.c.competition_id == competition.id).values(prize=prize, honour=honour)
                       .execution_options(synchronize_session=False))
    _forget_loaded_results()


def store_results(competition: Competition, lines: list[ScoreLine]) -> None:
    """Write the results of complete score lines (one bulk insert) and rank them (store_ranks). The
    caller removed any earlier results of the competition."""
    if lines:
        db.session.execute(insert(CompetitionResult), [
            {"competition_id": competition.id, "registration_id": line.registration.id, "theory": line.theory,
             "practical": line.practical, "total": line.total, "judges": len(line.judge_scores)}
            for line in lines])
    store_ranks(competition)


def refresh_entry(registration: CompetitionRegistration, *, rerank: bool = True) -> bool:
    """After a mark of `registration` changed: when the competition's results are stored (a
    reopening keeps them), write the entry's new marks and total to its result and, with `rerank`,
    every rank, position and prize (store_ranks), all in the caller's transaction. Returns whether a
    result was rewritten (then rerank later when `rerank` was False)."""
    result = db.session.scalar(select(CompetitionResult).where(
        CompetitionResult.registration_id == registration.id))
    if result is None:
        return False
    competition = registration.competition
    db.session.refresh(registration, ["theory"])
    line = score_line(registration, _marks_of([registration.id])[registration.id], competition)
    if line.total is None:  # marks are never removed, so a stored line stays complete
        return False
    result.theory, result.practical, result.total = line.theory, line.practical, line.total
    result.judges = len(line.judge_scores)
    db.session.flush()
    if rerank:
        store_ranks(competition)
    return True
