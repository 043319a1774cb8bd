"""The demo seed shows training spending on a finished programme, an education upgrade (linked to an
education programme or to none: never to a team-leader course) and a skill upgrade with a subsidy, and runs
twice."""

from sqlalchemy import func, select

from demo import seed_demo
from models import db
from models.skills import SkillLevelChange
from models.training import EDUCATION, FINISHED, EducationUpgrade, TrainingCost
from services.training import figures, spending


def test_demo_shows_costs_upgrades_and_figures():
    seed_demo()
    db.session.commit()
    seed_demo()
    db.session.commit()
    costs = list(db.session.scalars(select(TrainingCost)))
    assert len(costs) == 5 and {c.programme.status for c in costs} == {FINISHED}
    assert any(c.confirmation_file_id for c in costs)
    summary = spending.spending_summary(costs[0].programme)
    assert summary.total > 0 and summary.budget is not None
    upgrade = db.session.scalar(select(EducationUpgrade))
    assert upgrade.programme is None or upgrade.programme.kind == EDUCATION
    assert upgrade.worker.education == "college" and upgrade.subsidy > 0
    assert db.session.scalar(select(func.count(EducationUpgrade.id))) == 1
    linked = db.session.scalar(select(SkillLevelChange).where(SkillLevelChange.source_type == "training_programme"))
    assert linked.subsidy > 0
    from models import User

    town = db.session.scalar(select(User).where(User.username == "town"))
    result = figures.figures(figures.figures_scope(town), upgrade.graduated_on.year)
    assert result.upgraded >= 1
