"""Recommendation upward for competitions (推荐上报): an enterprise's selection contest (选拔赛) enters its
top N into a city competition's registration (issue 14).

Rules (docs/domain.md, "Recommendation upward"):
- Only the owner of the selection contest recommends (services.competitions.policy.can_run_competition:
  an enterprise's HR or a town's officers), once its results are final, individual contests only. The
  owner enters its own competitors: a town officer is nobody's HR, yet may enter the competitors of its
  town's contest, and only those.
- The target is an individual city competition open for registration; each recommended competitor is
  entered through services.competitions.registration.enter_worker, so the city competition's window,
  eligibility (trade, level, age), per-enterprise cap and the race-safe seat counter (waitlist when
  full) all hold.
- N is 1-50; the top N are the first N positions of the stored final ranking (rank, then competitor
  number). A competitor refused by the target (ineligible, already entered, cap reached) is reported
  with the reason and the others still go in: each entry is its own savepoint. Each one entered is told
  (a message with the competitor number, or that they wait on the waitlist).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.l10n import lazy_gettext as _l
from models import User, db
from models.competitions import FINAL, Competition, CompetitionRegistration, CompetitionResult
from services.common import audit
from services.competitions import events, registration
from services.competitions import policy as competitions_policy
from services.errors import RuleViolation


@dataclass(frozen=True)
class Recommended:
    """What happened to one recommended competitor: their entry (confirmed or waitlisted), or the reason."""

    worker: User
    rank: int
    entry: CompetitionRegistration | None
    reason: str | None = None


def targets_for(actor, source: Competition) -> list[Competition]:
    """The city competitions open for registration now that the source's owner may recommend into."""
    from services.competitions.setup import is_registration_open

    if not competitions_policy.can_run_competition(actor, source) or source.owner_level == "city":
        return []
    rows = db.session.scalars(select(Competition).where(
        Competition.owner_level == "city", Competition.is_team.is_(False), Competition.id != source.id)
        .order_by(Competition.registration_closes_at).limit(50))
    return [c for c in rows if is_registration_open(c)]


def recommend_top(actor, source: Competition, target: Competition, n: int | None) -> list[Recommended]:
    """The owner of `source` enters its top `n` into `target`'s registration (see the module rules).

    NotFound when `source` does not exist for `actor`; NotAllowed for anyone but its owner;
    RuleViolation (on "target_id" or "top_n") for results not final, a team contest, a target that is not
    a city competition, a closed window, or N outside 1-50.
    """
    from services.competitions.setup import require_registration_open

    competitions_policy.require_runner(actor, source)
    if source.owner_level == "city" or source.status != FINAL or source.is_team:
        raise RuleViolation(_l("只有成绩已确定的企业（镇街）个人选拔赛可以推荐选手。"))
    if target.owner_level != "city" or target.is_team:
        raise RuleViolation(_l("只能推荐到市级个人竞赛。"), field="target_id")
    require_registration_open(target)
    if n is None or not 1 <= n <= 50:
        raise RuleViolation(_l("推荐人数应为 1 到 50。"), field="top_n")
    top = db.session.execute(
        select(CompetitionRegistration, CompetitionResult.rank)
        .join(CompetitionResult, CompetitionResult.registration_id == CompetitionRegistration.id)
        .where(CompetitionResult.competition_id == source.id, CompetitionResult.position.is_not(None))
        .options(db.joinedload(CompetitionRegistration.worker))
        .order_by(CompetitionResult.position).limit(n)).all()
    outcomes = []
    for entry, rank in top:
        try:
            with db.session.begin_nested():
                made = registration.enter_worker(actor, target, entry.worker, recommended_from=source.id)
                events.recommended(made, source)
            outcomes.append(Recommended(entry.worker, rank, made))
        except RuleViolation as refused:
            outcomes.append(Recommended(entry.worker, rank, None, str(refused.message)))
    audit.record("competition.recommended_top", actor=actor, obj=source, target_id=target.id, n=n,
                 entered=[o.worker.id for o in outcomes if o.entry is not None])
    return outcomes
