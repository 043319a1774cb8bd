"""Demo data of the demo town's own Five Small campaigns (issue 14 owners; issue 11 to-dos), run by the demo
town officer (`town`, enterprise A's town) through the services, relative to clock.now(), each once by name.
Their panels come from the city's judge pool (the outside judges judge2 and judge3, appointed by the
officer; the town's own people would be of enterprise A, the authors' enterprise, which may not judge at
town level):

- 聚力杯: judged, results published by the officer today (公示 running) with one objection of a worker
  waiting for the officer to resolve it, and its best proposal recommended into this year's city campaign
  (which takes recommendations), where the city's review starts afresh;
- 巧匠杯: judged, its judging window closed yesterday, results not published yet: it waits for the
  town (the officer's to-do list and the town's daily WeCom digest once an admin adds the town's robot:
  "…评审已结束，待公示结果").
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core import clock
from demo.proposals import IDEAS
from models import Enterprise, Role, User, UserRole, db
from models.proposals import CAMPAIGN_ACTIVE, DEFAULT_RUBRIC, OWNER_CITY, Campaign, Proposal
from services.proposals import assignment, campaigns, judging, recommendation, results, screening, submission

OBJECTION = "第二名提案的节约额测算依据不足，建议复核评分。"


def name() -> str:
    """The published campaign (公示 running, an objection to resolve, one proposal recommended to the city)."""
    return f"{clock.today().year}年镇级五小·聚力杯"


def to_publish_name() -> str:
    """The campaign judged and waiting for the town to publish its results."""
    return f"{clock.today().year}年镇级五小·巧匠杯"


def _user(username: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.username == username))


def _judged_campaign(officer, hr_a, workers, judges, title: str, ideas) -> Campaign:
    """A town campaign whose judging window closed yesterday, every proposal valid and marked by `judges`
    (appointed by the officer from the city's pool)."""
    opens = clock.now() - timedelta(days=61)  # judging closes at opens + 60 days: yesterday
    with clock.frozen(opens + timedelta(days=1)):
        campaign = campaigns.create_campaign(officer, campaigns.CampaignData(
            name=title, submission_opens_at=opens, submission_closes_at=opens + timedelta(days=40),
            judging_opens_at=opens + timedelta(days=30), judging_closes_at=opens + timedelta(days=60),
            min_judges=len(judges), quota_first=1, quota_second=1, quota_third=2, pass_mark=Decimal("60"),
            criteria=[(str(n), w) for n, w in DEFAULT_RUBRIC]))
        entries = []
        for author, idea in zip(workers, ideas, strict=False):
            kind, idea_title, problem, solution, benefit, estimate = idea
            proposal = submission.create_proposal(author, campaign, submission.ProposalData(
                kind=kind, title=f"{idea_title}（镇级）", problem=problem, solution=solution,
                expected_benefit=benefit, estimated_savings=estimate))
            submission.submit_proposal(author, proposal, pledge=True)
            screening.screen_proposal(hr_a, proposal, "valid", None, None)
            entries.append(proposal)
    with clock.frozen(opens + timedelta(days=35)):
        for judge in judges:
            assignment.appoint_judge(officer, campaign, judge.id)
        assignment.auto_assign(officer, campaign)
        for rank, proposal in enumerate(entries):
            for offset, judge in enumerate(judges):
                marks = {c.id: max(0, min(10, 9 - rank - offset + i % 2)) for i, c in enumerate(campaign.criteria)}
                judging.save_marks(judge, proposal.id, marks, final=True)
    db.session.flush()
    return campaign


def _publish_and_recommend(officer, campaign: Campaign, objector) -> None:
    """Publish today (公示 of 5 working days), one pending objection, the best into the city's open campaign."""
    results.publish_results(officer, campaign, working_days=5)
    db.session.flush()
    results.file_objection(objector, campaign, OBJECTION)
    best = db.session.scalar(db.select(Proposal).where(Proposal.campaign_id == campaign.id, Proposal.rank == 1))
    target = next((c for c in recommendation.targets_for(officer, campaign) if c.owner_level == OWNER_CITY), None)
    if best is not None and target is not None and target.status == CAMPAIGN_ACTIVE:
        recommendation.recommend(officer, best, target)


def seed() -> None:
    """Create the town's campaigns when missing (by name and town)."""
    officer, hr_a = _user("town"), _user("hr_a")
    if officer is None or hr_a is None or officer.town_id is None:
        return
    if db.session.scalar(db.select(Enterprise.town_id).where(Enterprise.id == hr_a.enterprise_id)) != officer.town_id:
        return
    workers = list(db.session.scalars(db.select(User).where(
        User.enterprise_id == hr_a.enterprise_id, User.username.is_(None),
        db.exists().where(UserRole.user_id == User.id, UserRole.role == Role.WORKER.value)).order_by(User.id)))
    judges = [judge for judge in (_user("judge2"), _user("judge3")) if judge is not None and judge.is_active]
    if len(workers) < 12 or len(judges) < 2:
        return
    existing = set(db.session.scalars(db.select(Campaign.name).where(Campaign.owner_town_id == officer.town_id)))
    if name() not in existing:
        campaign = _judged_campaign(officer, hr_a, workers[9:11], judges, name(), IDEAS[3:5])
        _publish_and_recommend(officer, campaign, workers[8])
    if to_publish_name() not in existing:
        _judged_campaign(officer, hr_a, workers[10:12], judges, to_publish_name(), (IDEAS[5], IDEAS[0]))
    db.session.flush()
