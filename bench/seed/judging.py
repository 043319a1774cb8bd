"""Judging of generated proposals: panels of 3-5 judges free of conflict, marks 0-10 per criterion,
each judge's total, the proposal's score, ranks and prizes, computed with the app's own arithmetic
(services.common.scoring) and rules (docs/domain.md, "Proposals"):

- a judge's total is weighted_total(marks x weights, scale 10); the score is the trimmed_mean of the
  submitted totals, the spread their range, judge_count how many were submitted;
- a proposal is scored when every assigned judge submitted (at least the campaign's minimum);
- ranks are shared ranks ("1224") of the scores, best first; prizes follow the ranks by quota, then an
  honourable mention at or above the pass mark;
- a judge never judges a proposal of their own enterprise nor one they (co-)authored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from bench.seed.context import Context, Person
from models.proposals import JudgeAssignment, Mark, MarkChange
from services.common import scoring

PANEL_SIZES = (3, 4, 5)
PANEL_WEIGHTS = (60, 25, 15)


@dataclass(slots=True)
class Panelist:
    """One judge's assignment to a proposal; `marks` per criterion in rubric order (None = not yet)."""

    id: int
    judge_id: int
    assigned_at: datetime
    marks: list[int | None]
    submitted_at: datetime | None = None
    total: Decimal | None = None


@dataclass(slots=True)
class Judged:
    """What judging made of one proposal."""

    panel: list[Panelist] = field(default_factory=list)
    score: Decimal | None = None
    spread: Decimal | None = None
    judge_count: int = 0
    scored_at: datetime | None = None


def conflicted(judge: Person, enterprise_id: int, author_ids) -> bool:
    """The conflict-of-interest rule: own enterprise or own (co-)authored proposal."""
    return judge.id in author_ids or (judge.enterprise_id is not None and judge.enterprise_id == enterprise_id)


def pick_panel(ctx: Context, size: int, enterprise_id: int, author_ids, forced: Person | None = None) -> list[Person]:
    """`size` distinct judges without conflict (`forced` first when given)."""
    chosen = [forced] if forced is not None else []
    seen = {p.id for p in chosen}
    tries = 0
    while len(chosen) < size and tries < 200:
        tries += 1
        judge = ctx.rng.choice(ctx.judges)
        if judge.id not in seen and not conflicted(judge, enterprise_id, author_ids):
            seen.add(judge.id)
            chosen.append(judge)
    return chosen


def judge(ctx: Context, judges: list[Person], weights: list[int], assigned: datetime, opens: datetime,
          until: datetime, pending: frozenset[int] = frozenset(), quality: float | None = None) -> Judged:
    """Mark a proposal by `judges`; those in `pending` have not submitted (some saved a few marks).
    `quality` is the proposal's true worth on the 0-10 scale (random when not given)."""
    rng = ctx.rng
    quality = rng.gauss(7.1, 0.9) if quality is None else quality
    result = Judged()
    ids = ctx.writer.ids(JudgeAssignment.__table__, len(judges))
    for assignment_id, person in zip(ids, judges, strict=True):
        marks = [max(0, min(10, round(quality + rng.gauss(0, 0.8) + rng.gauss(0, 0.9)))) for _ in weights]
        member = Panelist(assignment_id, person.id, assigned, marks)
        if person.id in pending:
            saved = rng.randint(1, len(weights) - 1) if rng.random() < 0.4 else 0
            member.marks = marks[:saved] + [None] * (len(weights) - saved)
        else:
            member.submitted_at = ctx.moment(max(opens, assigned), until)
            member.total = scoring.weighted_total(zip(marks, weights, strict=True), 10)
        result.panel.append(member)
    totals = [m.total for m in result.panel if m.submitted_at is not None]
    result.score = scoring.trimmed_mean(totals)
    result.spread = scoring.spread(totals)
    result.judge_count = len(totals)
    if len(totals) == len(result.panel):
        result.scored_at = max(m.submitted_at for m in result.panel)
    return result


def ranks_and_prizes(scored: list[tuple[int, Decimal]], quotas: tuple[int, int, int],
                     pass_mark: Decimal) -> dict[int, tuple[int, str | None]]:
    """proposal id -> (shared rank, prize) for (id, score) pairs, best score first, ties by id."""
    ordered = sorted(scored, key=lambda pair: (-pair[1], pair[0]))
    places = scoring.competition_ranks([score for _id, score in ordered])
    first, second, third = quotas
    result = {}
    for (proposal_id, score), place in zip(ordered, places, strict=True):
        if place <= first:
            prize = "first"
        elif place <= first + second:
            prize = "second"
        elif place <= first + second + third:
            prize = "third"
        elif score >= pass_mark:
            prize = "honourable"
        else:
            prize = None
        result[proposal_id] = (place, prize)
    return result


def write(ctx: Context, campaign_id: int, criteria: list[int], admin_id: int,
          judged: list[tuple[int, Judged]]) -> None:
    """Assignments, marks and the mark history (every first entry; a few revisions) of judged proposals."""
    rng = ctx.rng
    assignments, marks, changes = [], [], []
    mark_ids = iter(ctx.writer.ids(Mark.__table__, sum(
        sum(1 for v in m.marks if v is not None) for _p, j in judged for m in j.panel)))
    for proposal_id, result in judged:
        for member in result.panel:
            assignments.append({
                "id": member.id, "proposal_id": proposal_id, "judge_id": member.judge_id,
                "campaign_id": campaign_id, "assigned_by_id": admin_id, "assigned_at": member.assigned_at,
                "total": member.total, "submitted_at": member.submitted_at,
            })
            entered = member.submitted_at or member.assigned_at + timedelta(days=rng.randint(1, 5))
            for criterion_id, value in zip(criteria, member.marks, strict=True):
                if value is None:
                    continue
                mark_id = next(mark_ids)
                first_at = entered - timedelta(minutes=rng.randint(5, 600))
                marks.append({"id": mark_id, "assignment_id": member.id, "proposal_id": proposal_id,
                              "judge_id": member.judge_id, "criterion_id": criterion_id, "mark": value,
                              "updated_at": entered})
                first = value
                if rng.random() < 0.04:
                    first = max(0, min(10, value + rng.choice((-2, -1, 1, 2))))
                changes.append({"mark_id": mark_id, "proposal_id": proposal_id, "criterion_id": criterion_id,
                                "old_mark": None, "new_mark": first, "changed_by_id": member.judge_id,
                                "changed_at": first_at})
                if first != value:
                    changes.append({"mark_id": mark_id, "proposal_id": proposal_id, "criterion_id": criterion_id,
                                    "old_mark": first, "new_mark": value, "changed_by_id": member.judge_id,
                                    "changed_at": entered})
    ctx.writer.insert(JudgeAssignment.__table__, assignments)
    ctx.writer.insert(Mark.__table__, marks)
    ctx.writer.insert(MarkChange.__table__, changes)
