"""The demo seed builds a competition in every state and is idempotent."""

from sqlalchemy import func, select

from demo import competitions as demo_competitions
from demo import seed_demo
from models import db
from models.competitions import Competition, CompetitionCertificate, CompetitionPromotion


def test_demo_covers_every_state_and_runs_twice():
    seed_demo()
    db.session.commit()
    statuses = sorted(db.session.scalars(select(Competition.status)))
    assert statuses == sorted(["draft", "open", "open", "scoring", "noticed", "final"])
    assert db.session.scalar(select(func.count(Competition.id)).where(Competition.is_team)) == 1
    assert db.session.scalar(select(func.count(CompetitionCertificate.id))) > 0
    assert db.session.scalar(select(func.count(CompetitionCertificate.id))
                             .where(CompetitionCertificate.revoked_at.is_not(None))) == 1  # one revoked
    assert db.session.scalar(select(func.count(CompetitionPromotion.id))) > 0
    demo_competitions.seed()
    db.session.commit()
    assert db.session.scalar(select(func.count(Competition.id))) == 6


def test_demo_shows_a_waitlist_that_passed_over_a_worker_without_standing():
    from models.competitions import CONFIRMED, PASSED_OVER, WAITLISTED, CompetitionRegistration

    seed_demo()
    db.session.commit()
    competition = db.session.scalar(select(Competition).where(Competition.name.like("%运动鞋制作工技能竞赛")))
    states = sorted(db.session.scalars(select(CompetitionRegistration.status)
                                       .where(CompetitionRegistration.competition_id == competition.id)))
    assert states.count(CONFIRMED) == 3 and states.count(PASSED_OVER) == 1 and states.count(WAITLISTED) == 1
