"""Demo data of the demo town's own Five Small campaign (issue 14 owners; issue 11 to-dos), made by the
demo town officer (`town`, enterprise A's town) through the services, relative to clock.now(), once by
name: its judging window closed yesterday with two valid proposals of enterprise A's workers, so it
waits for the town (the officer's to-do list and the town's daily WeCom digest once an admin adds the
town's robot: "…评审已结束，待公示结果").

Not judged: a town's panel is appointed from the town's own people (services.proposals.assignment), and
the demo town has one enterprise, whose staff may not judge its own proposals in a town campaign.
"""

from __future__ import annotations

from datetime import timedelta

from core import clock
from demo.proposals import IDEAS, _campaign, _user, _workers, _write
from models import Enterprise, db
from models.proposals import Campaign
from services.proposals import screening


def name() -> str:
    return f"{clock.today().year}年镇级五小·聚力杯"


def seed() -> None:
    """Create the town's campaign when missing (by name and town)."""
    officer, hr_a = _user("town"), _user("hr_a")
    if officer is None or hr_a is None or officer.town_id is None:
        return
    if db.session.scalar(db.select(Enterprise.town_id).where(Enterprise.id == hr_a.enterprise_id)) != officer.town_id:
        return
    workers = _workers(hr_a.enterprise_id)
    if len(workers) < 12 or db.session.scalar(db.select(Campaign.id).where(
            Campaign.owner_town_id == officer.town_id, Campaign.name == name())) is not None:
        return
    opens = clock.now() - timedelta(days=61)  # judging closes at opens + 60 days: yesterday
    with clock.frozen(opens + timedelta(days=1)):
        campaign = _campaign(officer, name(), opens, min_judges=2)
        for i, author in enumerate(workers[9:11]):
            proposal = _write(author, campaign, IDEAS[i + 3], title_suffix="（镇级）")
            screening.screen_proposal(hr_a, proposal, "valid", None, None)
    db.session.flush()
