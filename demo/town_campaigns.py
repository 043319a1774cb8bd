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
from decimal import Decimal

from core import clock
from demo.proposals import IDEAS
from models import Enterprise, Role, User, UserRole, db
from models.proposals import DEFAULT_RUBRIC, Campaign
from services.proposals import campaigns, screening, submission


def name() -> str:
    return f"{clock.today().year}年镇级五小·聚力杯"


def seed() -> None:
    """Create the town's campaign when missing (by name and town)."""
    officer, hr_a = (db.session.scalar(db.select(User).where(User.username == u)) for u in ("town", "hr_a"))
    if officer is None or hr_a is None or officer.town_id is None:
        return
    if db.session.scalar(db.select(Enterprise.town_id).where(Enterprise.id == hr_a.enterprise_id)) != officer.town_id:
        return
    workers = list(db.session.scalars(db.select(User).where(
        User.enterprise_id == hr_a.enterprise_id, User.username.is_(None),
        db.exists().where(UserRole.user_id == User.id, UserRole.role == Role.WORKER.value)).order_by(User.id)))
    if len(workers) < 12 or db.session.scalar(db.select(Campaign.id).where(
            Campaign.owner_town_id == officer.town_id, Campaign.name == name())) is not None:
        return
    opens = clock.now() - timedelta(days=61)  # judging closes at opens + 60 days: yesterday
    with clock.frozen(opens + timedelta(days=1)):
        campaign = campaigns.create_campaign(officer, campaigns.CampaignData(
            name=name(), submission_opens_at=opens, submission_closes_at=opens + timedelta(days=40),
            judging_opens_at=opens + timedelta(days=30), judging_closes_at=opens + timedelta(days=60),
            min_judges=2, quota_first=1, quota_second=1, quota_third=2, pass_mark=Decimal("60"),
            criteria=[(str(n), w) for n, w in DEFAULT_RUBRIC]))
        for i, author in enumerate(workers[9:11]):
            kind, title, problem, solution, benefit, estimate = IDEAS[i + 3]
            proposal = submission.create_proposal(author, campaign, submission.ProposalData(
                kind=kind, title=f"{title}（镇级）", problem=problem, solution=solution, expected_benefit=benefit,
                estimated_savings=estimate))
            submission.submit_proposal(author, proposal, pledge=True)
            screening.screen_proposal(hr_a, proposal, "valid", None, None)
    db.session.flush()
