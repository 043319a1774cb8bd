"""The training demo agrees with itself (tryout findings): every class lies within its programme's days
(the town's team-leader programme too, whose classes come from two demo parts, all through the classes
service); the town programme's text does not count classes it does not have; the skills upgrade's
target level is the level its title names, above the levels it is for; the education upgrade is not
linked to a team-leader course."""

from __future__ import annotations

from sqlalchemy import func, select

from demo import seed_demo
from demo.training import town_team_leader_programme
from models import db
from models.audit import AuditLog
from models.training import EDUCATION, SKILLS_UPGRADE, EducationUpgrade, TrainingClass, TrainingProgramme
from services.training.programmes import local_day


def test_the_training_demo_agrees_with_itself(app):
    seed_demo()
    db.session.commit()
    for training_class in db.session.scalars(select(TrainingClass)):
        programme = training_class.programme
        day = local_day(training_class.starts_at)
        assert programme.starts_on <= day <= programme.ends_on, (programme.name, training_class.title, day)
        assert local_day(training_class.ends_at) == day
    town = town_team_leader_programme()
    assert len(town.classes) == 5
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
