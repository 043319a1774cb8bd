"""Concurrency: HR sessions creating pairs for one mentor at the same moment cannot push the mentor past
the maximum of open pairs (guarded counter), and two pairs for one apprentice in one trade cannot both
be written (partial unique index). Threads with their own application context, session and database
connection; runs on SQLite and on PostgreSQL (TEST_DATABASE_URL, e.g. the jx_mentorship database)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from models import db
from models.mentorship import OPEN_STATUSES, MentorLoad, MentorPair
from services.errors import RuleViolation
from services.mentorship import pairing
from tests.factories import EnterpriseFactory, HRFactory, TradeFactory, WorkerFactory


def race(app, jobs):
    """Run each job (a function of no arguments, inside its own app context) in its own thread, all
    released at once; returns the outcomes ('ok' or the exception's class name)."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(index, job):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                job()
                db.session.commit()
                outcomes[index] = "ok"
            except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
                db.session.rollback()
                outcomes[index] = type(error).__name__
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def people():
    enterprise = EnterpriseFactory()
    trade = TradeFactory(name="电工")
    return {
        "enterprise": enterprise,
        "trade_id": trade.id,
        "hr_ids": [HRFactory(enterprise=enterprise).id, HRFactory(enterprise=enterprise).id],
        "mentor_id": WorkerFactory(enterprise=enterprise, trade=trade, skill_level=5).id,
        "apprentice_ids": [WorkerFactory(enterprise=enterprise, trade=trade, skill_level=1).id for _ in range(8)],
    }


def job(hr_id, mentor_id, apprentice_id, trade_id):
    def create():
        from models import User

        hr = db.session.get(User, hr_id)
        pairing.create_pair(hr, pairing.PairPlan(mentor_id=mentor_id, apprentice_id=apprentice_id, trade_id=trade_id,
                                                 goal_level=2, goals="并发测试", start_date=date(2026, 3, 2)))
    return create


def test_concurrent_pairs_for_one_mentor_stop_at_the_maximum(app, people):
    jobs = [job(people["hr_ids"][i % 2], people["mentor_id"], apprentice, people["trade_id"])
            for i, apprentice in enumerate(people["apprentice_ids"])]
    outcomes = race(app, jobs)
    assert outcomes.count("ok") == 3, outcomes
    assert outcomes.count("RuleViolation") == 5, outcomes
    db.session.expire_all()
    open_pairs = db.session.scalar(db.select(db.func.count(MentorPair.id)).where(
        MentorPair.mentor_id == people["mentor_id"], MentorPair.status.in_(OPEN_STATUSES)))
    assert open_pairs == 3
    assert db.session.get(MentorLoad, people["mentor_id"]).open_pairs == 3


def test_concurrent_pairs_for_one_apprentice_and_trade_write_one(app, people):
    mentors = [WorkerFactory(enterprise=people["enterprise"], skill_level=5).id for _ in range(4)]
    apprentice = people["apprentice_ids"][0]
    outcomes = race(app, [job(people["hr_ids"][i % 2], mentor, apprentice, people["trade_id"])
                          for i, mentor in enumerate(mentors)])
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) <= {"ok", "RuleViolation"}, outcomes
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(MentorPair.id)).where(MentorPair.apprentice_id == apprentice)) == 1
    # the losers' places were given back with their rolled-back transactions
    loads = db.session.scalars(db.select(MentorLoad.open_pairs).where(MentorLoad.mentor_id.in_(mentors))).all()
    assert sum(loads) == 1


def test_refusal_message_reaches_the_form_field(people):
    from models import User

    hr = db.session.get(User, people["hr_ids"][0])
    for apprentice in people["apprentice_ids"][:3]:
        job(hr.id, people["mentor_id"], apprentice, people["trade_id"])()
    db.session.commit()
    with pytest.raises(RuleViolation) as error:
        job(hr.id, people["mentor_id"], people["apprentice_ids"][3], people["trade_id"])()
    assert error.value.field == "mentor_id"


def test_concurrent_selections_stay_within_the_quota(app, people):
    from models import User
    from models.mentorship import Assessment, ExcellentNomination, ExcellentRound
    from services.mentorship import excellent
    from tests.factories import AdminFactory
    from tests.factories_mentorship import MentorPairFactory

    round_ = ExcellentRound(year=2026, quota=2, selected_count=0, published=False)
    db.session.add(round_)
    db.session.flush()
    nomination_ids = []
    for _ in range(6):
        pair = MentorPairFactory(mentor__enterprise=people["enterprise"], status="completed")
        db.session.add(Assessment(pair_id=pair.id, assessed_on=date(2026, 1, 5), grade="pass", score=80,
                                  assessor="考评组", level_reached=2))
        nomination = ExcellentNomination(round_id=round_.id, pair_id=pair.id, enterprise_id=pair.enterprise_id,
                                         citation="师徒同心，技艺精进。")
        db.session.add(nomination)
        db.session.flush()
        nomination_ids.append(nomination.id)
    admin_ids = [AdminFactory().id, AdminFactory().id]
    db.session.commit()

    def select(admin_id, nomination_id):
        def run():
            admin = db.session.get(User, admin_id)
            excellent.select(admin, excellent.get_nomination(admin, nomination_id))
        return run

    outcomes = race(app, [select(admin_ids[i % 2], n) for i, n in enumerate(nomination_ids)])
    assert outcomes.count("ok") == 2, outcomes
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(ExcellentNomination.id)).where(ExcellentNomination.selected)) == 2
    assert db.session.get(ExcellentRound, round_.id).selected_count == 2
