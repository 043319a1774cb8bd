"""The demo seed builds a competition in every state and is idempotent."""

from datetime import date

from sqlalchemy import func, select

from demo import competition_levels as demo_levels
from demo import competitions as demo_competitions
from demo import seed_demo
from models import db
from models.competitions import Competition, CompetitionCertificate, CompetitionPromotion


def test_demo_covers_every_state_and_runs_twice():
    seed_demo()
    db.session.commit()
    statuses = sorted(db.session.scalars(select(Competition.status).where(Competition.owner_level == "city")))
    assert statuses == sorted(["draft", "open", "open", "open", "noticed", "final"])  # the 3rd open:
    # the city final the town's selection contest recommended into (demo.competition_levels)
    town_statuses = sorted(db.session.scalars(select(Competition.status).where(Competition.owner_level == "town")))
    assert town_statuses == ["final", "scoring"]  # the town's selection contest, and its own in scoring
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
    town = db.session.scalar(select(Competition).where(Competition.name.like(f"%{demo_levels.TOWN_CONTEST}")))
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


def test_the_town_level_competition_is_the_town_s_and_counts_in_the_town_officer_s_report():
    """The town-level competition in scoring is organised by the demo town officer's town (陈埭镇), so the
    town's own report counts it (held, and its town-level row), as the city's does; only the town's
    enterprises' workers entered it, and the demo judge has competitors to mark."""
    from models import User
    from models.competitions import CompetitionJudge, CompetitionRegistration
    from services import report as reports
    from services.competitions import listing
    from services.report import drill

    seed_demo()
    db.session.commit()
    officer = db.session.scalar(select(User).where(User.username == "town"))
    contest = db.session.scalar(select(Competition).where(Competition.name.like("%陈埭镇制鞋工职业技能竞赛")))
    assert (contest.status, contest.level, contest.owner_level, contest.owner_town_id) == (
        "scoring", "town", "town", officer.town_id)
    entrants = db.session.scalars(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == contest.id)).all()
    assert entrants and {entry.enterprise.town_id for entry in entrants} == {officer.town_id}
    judge = db.session.scalar(select(User).where(User.username == "judge"))
    assert db.session.scalar(select(CompetitionJudge.id).where(CompetitionJudge.competition_id == contest.id,
                                                              CompetitionJudge.judge_id == judge.id))
    year = contest.held_on.year
    held = {c.id for c in db.session.scalars(listing.held_query(officer, drill.report_filter(officer, year=year)))}
    assert contest.id in held
    towns_own = db.session.scalar(select(func.count(Competition.id)).where(
        Competition.level == "town", Competition.owner_town_id == officer.town_id, Competition.status != "draft",
        Competition.held_on >= date(year, 1, 1), Competition.held_on <= date(year, 12, 31)))
    for reader in (officer, db.session.scalar(select(User).where(User.username == "admin"))):
        report = reports.build(reader, town_id=officer.town_id, first=year, last=year)
        section = report.section("competitions")
        rows = {figure.key: figure for breakdown in section.breakdowns for _label, figure in breakdown.rows}
        assert rows["held.town"].value(year) == towns_own >= 2, reader.username
        assert {f.key: f for f in section.figures}["held"].value(year) == len(held)
