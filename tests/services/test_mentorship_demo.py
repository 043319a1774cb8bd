"""The mentorship demo data: every state present, the demo worker an apprentice, idempotent."""

from __future__ import annotations

from collections import Counter

from demo import mentorship as demo_mentorship
from demo import seed_demo
from models import User, db
from models.mentorship import MentorPair
from services.mentorship import credits, excellent, reports


def test_demo_covers_every_state_and_is_idempotent():
    seed_demo()
    db.session.commit()
    statuses = Counter(db.session.scalars(db.select(MentorPair.status)))
    assert set(statuses) == {"proposed", "active", "completed", "ended_early", "dissolved"}
    worker = db.session.scalar(db.select(User).where(User.username == "worker"))
    mine = db.session.scalar(db.select(MentorPair).where(MentorPair.apprentice_id == worker.id))
    assert mine.status == "active" and mine.mentor.skill_level >= 3
    hr_a = db.session.scalar(db.select(User).where(User.username == "hr_a"))
    figures = reports.enterprise_dashboard(hr_a)
    assert figures["overdue"] >= 1 and figures["assessment_due"] >= 1 and figures["active"] >= 3
    honours = excellent.excellent_honours(list(db.session.scalars(db.select(MentorPair.id))))
    assert len(honours) == 1
    excellent_pair = db.session.get(MentorPair, next(iter(honours)))
    assert credits.mentor_credits(excellent_pair.mentor)
    assert demo_mentorship.seed() == {"pairs": 0}
    assert sum(Counter(db.session.scalars(db.select(MentorPair.status))).values()) == sum(statuses.values())
