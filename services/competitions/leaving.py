"""Competition panels when a judge leaves an enterprise (issue 13, "Roles tied to an enterprise (HR, an
enterprise's own judges) end on the leave date"); called by services.accounts.employment."""

from __future__ import annotations

from sqlalchemy import select

from models import User, db
from models.competitions import FINAL, Competition, CompetitionJudge, CompetitionPracticalMark, CompetitionRegistration
from services.common import audit


def end_enterprise_judging(actor, person: User, enterprise_id: int) -> int:
    """A judge who leaves `enterprise_id` (services.accounts.employment) leaves the practical panels of
    that enterprise's own competitions not yet final where they have entered no marks (issue 13: roles
    tied to an enterprise end on the leave date; marks already entered stay, and so does their place on
    that panel). `actor` as recorded the leave (None for the periodic task). Audited; returns how many."""
    owned = select(Competition.id).where(Competition.owner_level == "enterprise",
                                         Competition.owner_enterprise_id == enterprise_id,
                                         Competition.status != FINAL)
    marked = (select(CompetitionRegistration.competition_id).join(CompetitionPracticalMark)
              .where(CompetitionPracticalMark.judge_id == person.id))
    rows = list(db.session.scalars(select(CompetitionJudge).where(
        CompetitionJudge.judge_id == person.id, CompetitionJudge.competition_id.in_(owned),
        CompetitionJudge.competition_id.not_in(marked))))
    for row in rows:
        db.session.delete(row)
        audit.record("competition.judge_removed", actor=actor, obj=db.session.get(Competition, row.competition_id),
                     judge_id=person.id, reason="left")
    db.session.flush()
    return len(rows)
