"""The demo seed builds a competition in every state and is idempotent."""

from sqlalchemy import func, select

from demo import competitions as demo_competitions
from demo import seed_demo
from models import db
from models.competitions import Competition, CompetitionCertificate, CompetitionPromotion


def test_demo_covers_every_state_and_runs_twice():
    seed_demo()
    db.session.commit()
    statuses = sorted(db.session.scalars(select(Competition.status).where(Competition.owner_level == "city")))
    assert statuses == sorted(["draft", "open", "open", "open", "scoring", "noticed", "final"])  # the 3rd open:
    # the city final the town's selection contest recommended into (demo.competition_levels)
    assert db.session.scalar(select(func.count(Competition.id)).where(Competition.is_team)) == 1
    assert db.session.scalar(select(func.count(CompetitionCertificate.id))) > 0
    assert db.session.scalar(select(func.count(CompetitionCertificate.id))
                             .where(CompetitionCertificate.revoked_at.is_not(None))) == 1  # one revoked
    assert db.session.scalar(select(func.count(CompetitionPromotion.id))) > 0
    demo_competitions.seed()
    seed_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count(Competition.id))) == 9


def test_demo_shows_a_waitlist_that_passed_over_a_worker_without_standing():
    from models.competitions import CONFIRMED, PASSED_OVER, WAITLISTED, CompetitionRegistration

    seed_demo()
    db.session.commit()
    competition = db.session.scalar(select(Competition).where(Competition.name.like("%运动鞋制作工技能竞赛")))
    states = sorted(db.session.scalars(select(CompetitionRegistration.status)
                                       .where(CompetitionRegistration.competition_id == competition.id)))
    assert states.count(CONFIRMED) == 3 and states.count(PASSED_OVER) == 1 and states.count(WAITLISTED) == 1


def test_demo_has_a_town_contest_whose_top_two_went_to_the_city_and_an_enterprise_contest_with_prize_money():
    from decimal import Decimal

    from models import User
    from models.competitions import FINAL, CompetitionRegistration
    from services.competitions import figures

    seed_demo()
    db.session.commit()
    town = db.session.scalar(select(Competition).where(Competition.owner_level == "town"))
    own = db.session.scalar(select(Competition).where(Competition.owner_level == "enterprise"))
    assert (town.status, own.status) == (FINAL, FINAL)
    assert own.reward_first == Decimal("2000.00") and town.reward_first == Decimal("1000.00")
    officer = db.session.scalar(select(User).where(User.username == "town"))
    final = db.session.scalar(select(Competition).where(Competition.name.like("%决赛%")))
    recommended = db.session.scalars(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == final.id, CompetitionRegistration.registered_by_id == officer.id))
    assert len(recommended.all()) == 2
    hr_a = db.session.scalar(select(User).where(User.username == "hr_a"))
    assert figures.figures(hr_a).rewards_paid == Decimal("5000.00")  # 2,000 + 2 x 1,000 + 2 x 500
    assert figures.figures(officer, own_only=True).rewards_paid == Decimal("2200.00")  # 1,000 + 2 x 600
    worker = db.session.scalar(select(User).where(User.username == "worker"))
    entry = db.session.scalar(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == own.id, CompetitionRegistration.worker_id == worker.id))
    assert entry.result.prize == "first"
