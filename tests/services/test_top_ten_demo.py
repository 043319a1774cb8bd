"""The demo seeds the city's top ten innovation achievements in both states: some of last year's (with
citations) and this year's list partly filled; a second run adds nothing."""

from sqlalchemy import func, select

from core import clock
from demo import seed_demo
from models import db
from models.achievements import TopAchievement


def test_demo_has_last_years_and_a_partly_filled_this_years_list(monkeypatch):
    from demo import competitions as demo_competitions
    from demo import mentorship as demo_mentorship

    monkeypatch.setattr(demo_competitions, "seed", lambda: None)
    monkeypatch.setattr(demo_mentorship, "seed", lambda: {})
    seed_demo()
    db.session.commit()
    year = clock.today().year
    counts = dict(db.session.execute(select(TopAchievement.year, func.count()).group_by(TopAchievement.year)).all())
    assert counts[year - 1] >= 3 and 1 <= counts[year] < 10
    assert db.session.scalar(select(func.count()).where(TopAchievement.citation.is_not(None))) >= 1
    seed_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count(TopAchievement.id))) == sum(counts.values())
