"""The training demo agrees with itself (tryout findings): every class lies within its programme's days
(the town's team-leader programme too, whose classes come from two demo parts, all through the classes
service); the town programme's text does not count classes it does not have; the skills upgrade's
target level is the level its title names, above the levels it is for; the education upgrade is not
linked to a team-leader course."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core import clock
from demo import seed_demo
from demo.training import town_team_leader_programme
from demo.training_attendance import TODAY
from models import db
from models.audit import AuditLog
from models.training import EDUCATION, SKILLS_UPGRADE, EducationUpgrade, TrainingClass, TrainingProgramme
from services.training import signin
from services.training.programmes import local_day


@pytest.mark.parametrize("now", [datetime(2026, 11, 30, 2, 0, tzinfo=UTC),     # 10:00 in Shanghai
                                 datetime(2026, 11, 29, 16, 10, tzinfo=UTC),   # 00:10: the class under way from 00:00
                                 datetime(2026, 11, 30, 15, 50, tzinfo=UTC)])  # 23:50: it ends by midnight
def test_the_training_demo_agrees_with_itself(app, now):
    with clock.frozen(now):
        seed_demo()
        db.session.commit()
        current = next(c for c in town_team_leader_programme().classes if c.title == TODAY)
        assert current.starts_at <= now <= current.ends_at and signin.is_open(current)
    for training_class in db.session.scalars(select(TrainingClass)):
        programme = training_class.programme
        day = local_day(training_class.starts_at)
        assert programme.starts_on <= day <= programme.ends_on, (programme.name, training_class.title, day)
    town = town_team_leader_programme()
    assert len(town.classes) == 5
    assert all(local_day(c.ends_at) == local_day(c.starts_at) for c in town.classes)  # one day each
    added = db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action == "training.class_added", AuditLog.object_id.in_([c.id for c in town.classes])))
    assert added == 5  # every class through classes.add_class
    assert "两次" not in town.description
    upgrade = db.session.scalar(select(TrainingProgramme).where(TrainingProgramme.kind == SKILLS_UPGRADE,
                                                                TrainingProgramme.name.like("%晋升高级工%")))
    assert upgrade.target_level == 3 and upgrade.max_skill_level < upgrade.target_level
    assert not db.session.scalar(select(TrainingProgramme.id).where(TrainingProgramme.name.like("%中级→高级%")))
    education = db.session.scalar(select(EducationUpgrade))
    assert education.programme is None or education.programme.kind == EDUCATION
