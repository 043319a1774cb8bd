"""factory_boy factories and small builders for the proposals area (all commit).

Times: a campaign accepts submissions in May 2026 (SUBMIT_TIME) and is judged in June (JUDGE_TIME);
tests freeze the clock at those moments.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import factory

from models import db
from models.proposals import (
    DEFAULT_RUBRIC,
    Campaign,
    JudgeAssignment,
    Proposal,
    ProposalAuthor,
    ProposalStatusChange,
    RubricCriterion,
)
from tests.factories import BaseFactory, WorkerFactory

SUBMISSION_OPENS = datetime(2026, 4, 1, tzinfo=UTC)
SUBMISSION_CLOSES = datetime(2026, 6, 1, tzinfo=UTC)
JUDGING_OPENS = datetime(2026, 6, 1, tzinfo=UTC)
JUDGING_CLOSES = datetime(2026, 7, 1, tzinfo=UTC)
SUBMIT_TIME = datetime(2026, 5, 10, 2, 0, tzinfo=UTC)
JUDGE_TIME = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
AFTER_JUDGING = datetime(2026, 7, 2, 2, 0, tzinfo=UTC)


class CampaignFactory(BaseFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"2026年五小·智慧杯{n}")
    submission_opens_at = SUBMISSION_OPENS
    submission_closes_at = SUBMISSION_CLOSES
    judging_opens_at = JUDGING_OPENS
    judging_closes_at = JUDGING_CLOSES
    min_judges = 3
    blind_review = True
    quota_first = 1
    quota_second = 1
    quota_third = 1
    pass_mark = Decimal("60")
    locked = False
    status = "active"
    criteria = factory.LazyFunction(
        lambda: [RubricCriterion(name=str(name), weight=weight, position=i)
                 for i, (name, weight) in enumerate(DEFAULT_RUBRIC)]
    )


class ProposalFactory(BaseFactory):
    """A proposal with its proposer as sole author (100%) and a first timeline step."""

    class Meta:
        model = Proposal

    campaign = factory.SubFactory(CampaignFactory)
    proposer = factory.SubFactory(WorkerFactory)
    enterprise_id = factory.LazyAttribute(lambda o: o.proposer.enterprise_id)
    kind = "improvement"
    title = factory.Sequence(lambda n: f"改进鞋底成型模具第{n}号方案")
    problem = "成型模具换模时间长，废品率高。"
    solution = "改用快换定位销，增加温控。"
    expected_benefit = "换模时间缩短一半，废品率下降。"
    estimated_savings = Decimal("120000.00")
    status = "submitted"
    submitted_at = SUBMIT_TIME
    pledge_confirmed_at = SUBMIT_TIME

    @factory.post_generation
    def with_author(obj, create, extracted, **kwargs):
        obj.authors.append(ProposalAuthor(user_id=obj.proposer_id, share=100, position=0))
        obj.changes.append(ProposalStatusChange(from_status=None, to_status=obj.status,
                                                actor_id=obj.proposer_id, at=SUBMIT_TIME))
        db.session.commit()


def assign(proposal: Proposal, judge) -> JudgeAssignment:
    """An assignment row straight in the database (services are tested separately)."""
    assignment = JudgeAssignment(proposal_id=proposal.id, judge_id=judge.id, campaign_id=proposal.campaign_id)
    db.session.add(assignment)
    if proposal.status == "valid":
        proposal.status = "under_review"
    db.session.commit()
    return assignment
