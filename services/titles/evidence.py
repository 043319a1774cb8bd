"""The evidence the platform holds about workers, read from the records of every part.

Used by title eligibility and nominations (services.titles.eligibility, .nominations). Each
provider answers for many workers in ONE query, so a review table of any length costs the same.
Entry points: `collect(worker_ids)` (many workers), `evidence_for(worker_id)` (one).

- skill level and years in the trade: the worker's profile (services.common.skills keeps the history);
- competition placings: final results of competitions (rank, prize, level, date);
- adopted proposals with verified savings: proposals the worker (co-)authored whose realised
  savings the union verified;
- completed mentor pairs as mentor;
- results from levels above the city (services.honours.results: a provincial prize, a national
  invention award), as a competitor or an author. A prize placed in the top three there (一等奖 / 金奖
  1st, 二等奖 / 银奖 2nd, 三等奖 / 铜奖 3rd: HIGHER_PRIZE_PLACES; 优秀奖 and 未获奖 place nowhere) is a
  placing at its level on its result date, so it meets a "top N in a contest of at least level L within
  Y years" rule by itself (`best_placing`);
- titles held (not revoked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func

from core import clock
from models import User, db
from models.mentorship import COMPLETED as PAIR_COMPLETED
from models.mentorship import MentorPair
from models.proposals import Proposal, ProposalAuthor, RealisedSaving
from models.skills import SkillLevelChange
from models.titles import AWARD_REVOKED, TitleAward
from models.vocabulary import LEVELS
from services.competitions.results import final_placings_stmt
from services.honours.results import Honour, honours_of
from services.training import evidence as training_evidence
from services.training.evidence import TrainingEvidence

# The place a prize of a contest above the city stands for (services.honours; the best in each family).
HIGHER_PRIZE_PLACES = {"first": 1, "gold": 1, "second": 2, "silver": 2, "third": 3, "bronze": 3}


@dataclass(frozen=True)
class Placing:
    """A final competition placing: the competition's id, name, level and date; rank and prize. A prize
    from a contest above the city (上级成绩) is a placing too: `competition_id` None, `name` the contest,
    `rank` its HIGHER_PRIZE_PLACES."""

    competition_id: int | None
    name: str
    level: str
    held_on: date
    rank: int
    prize: str | None


@dataclass
class Evidence:
    """What the platform knows about one worker; money in yuan (Decimal, two places)."""

    worker_id: int
    skill_level: int | None = None
    in_trade_since: date | None = None
    placings: list[Placing] = field(default_factory=list)
    adopted_proposals: int = 0
    verified_savings: Decimal = Decimal("0.00")
    completed_pairs: int = 0
    higher_results: list[Honour] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)  # title_type_id -> award status
    training: TrainingEvidence = field(default_factory=TrainingEvidence)  # services.training.evidence
    # The day the evidence is taken as of: a round's cut-off date (its nomination deadline), so what
    # the review reads does not drift with today; None = today (Asia/Shanghai).
    as_of: date | None = None

    @property
    def day(self) -> date:
        return self.as_of or clock.today()

    @property
    def years_in_trade(self) -> int:
        """Whole years in the trade as of `day` (the round's cut-off date, else today)."""
        if self.in_trade_since is None:
            return 0
        today = self.day
        years = today.year - self.in_trade_since.year
        if (today.month, today.day) < (self.in_trade_since.month, self.in_trade_since.day):
            years -= 1
        return max(years, 0)

    @property
    def higher_placings(self) -> list[Placing]:
        """The prizes from contests above the city that place (HIGHER_PRIZE_PLACES), as placings."""
        return [Placing(None, h.contest, h.level, h.on, HIGHER_PRIZE_PLACES[h.prize], h.prize)
                for h in self.higher_results if h.prize in HIGHER_PRIZE_PLACES]

    def best_placing(self, top_n: int, min_level: str, within_years: int) -> Placing | None:
        """The best placing within top_n, at min_level or above, held in the within_years before `day`:
        the platform's own competitions and the prizes of contests above the city (`higher_placings`).
        Best: the lowest rank, then the highest level."""
        floor = LEVELS.index(min_level)
        today = self.day
        try:
            since = today.replace(year=today.year - within_years)
        except ValueError:  # 29 February
            since = today.replace(year=today.year - within_years, day=28)
        candidates = [p for p in self.placings + self.higher_placings
                      if p.rank <= top_n and LEVELS.index(p.level) >= floor and since <= p.held_on <= today]
        return min(candidates, key=lambda p: (p.rank, -LEVELS.index(p.level))) if candidates else None

    def score(self) -> int:
        """A rough strength used only to sort a review table (higher first)."""
        top = min((p.rank for p in self.placings), default=99)
        return ((self.skill_level or 0) * 100 + max(0, 20 - top) * 10 + self.adopted_proposals * 5
                + self.completed_pairs * 5 + len(self.higher_results) * 20 + self.years_in_trade)


def collect(worker_ids: list[int], as_of: date | None = None) -> dict[int, Evidence]:
    """Evidence for each worker id as of `as_of` (a round's cut-off date; None: today), in a fixed number
    of queries whatever the number of workers."""
    ids = list(dict.fromkeys(worker_ids))
    result = {worker_id: Evidence(worker_id, as_of=as_of) for worker_id in ids}
    if not ids:
        return result
    for worker_id, level, trade_since, hired in db.session.execute(
        db.select(User.id, User.skill_level, User.trade_since, User.hire_date).where(User.id.in_(ids))
    ):
        result[worker_id].skill_level = level
        result[worker_id].in_trade_since = trade_since or hired
    if as_of is not None:
        for worker_id, level in _levels_on(ids, as_of).items():
            result[worker_id].skill_level = level
    for worker_id, placing in _placings(ids):
        result[worker_id].placings.append(placing)
    for worker_id, count, savings in _verified_proposals(ids):
        result[worker_id].adopted_proposals = count
        result[worker_id].verified_savings = Decimal(savings or 0).quantize(Decimal("0.01"))
    for worker_id, count in _completed_pairs(ids):
        result[worker_id].completed_pairs = count
    for worker_id, honours in honours_of(ids).items():
        result[worker_id].higher_results = [h for h in honours if h.prize != "none" and h.on <= result[worker_id].day]
    for worker_id, title_type_id, status in db.session.execute(
        db.select(TitleAward.worker_id, TitleAward.title_type_id, TitleAward.status)
        .where(TitleAward.worker_id.in_(ids), TitleAward.status != AWARD_REVOKED)
    ):
        result[worker_id].titles[title_type_id] = status
    for worker_id, training in training_evidence.collect(ids).items():
        result[worker_id].training = training
    return result


def _levels_on(ids, as_of: date) -> dict[int, int | None]:
    """Each worker's skill level on `as_of`, from the recorded changes (one query): the level of the last
    change effective on or before that day; before a worker's first change, the level that change
    replaced. Workers without recorded changes are left out (their current level stands)."""
    levels: dict[int, int | None] = {}
    for worker_id, level, previous, effective in db.session.execute(
        db.select(SkillLevelChange.user_id, SkillLevelChange.level, SkillLevelChange.previous_level,
                  SkillLevelChange.effective_date)
        .where(SkillLevelChange.user_id.in_(ids))
        .order_by(SkillLevelChange.user_id, SkillLevelChange.effective_date, SkillLevelChange.id)
    ):
        if effective <= as_of:
            levels[worker_id] = level
        elif worker_id not in levels:
            levels[worker_id] = previous
    return levels


def _placings(ids):
    placings = final_placings_stmt(ids).subquery()
    rows = db.session.execute(db.select(placings).order_by(placings.c.held_on.desc()))
    for row in rows:
        yield row.worker_id, Placing(row.competition_id, row.name, row.level, row.held_on, row.rank, row.prize)


def _verified_proposals(ids):
    return db.session.execute(
        db.select(ProposalAuthor.user_id, func.count(Proposal.id), func.sum(RealisedSaving.amount))
        .join(Proposal, Proposal.id == ProposalAuthor.proposal_id)
        .join(RealisedSaving, RealisedSaving.proposal_id == Proposal.id)
        .where(ProposalAuthor.user_id.in_(ids), RealisedSaving.verified_at.is_not(None))
        .group_by(ProposalAuthor.user_id)
    )


def _completed_pairs(ids):
    return db.session.execute(
        db.select(MentorPair.mentor_id, func.count(MentorPair.id))
        .where(MentorPair.mentor_id.in_(ids), MentorPair.status == PAIR_COMPLETED)
        .group_by(MentorPair.mentor_id)
    )


def evidence_for(worker_id: int, as_of: date | None = None) -> Evidence:
    """The evidence about one worker (see `collect`)."""
    return collect([worker_id], as_of)[worker_id]
