"""Withdrawing a recommendation (撤回推荐, issue 14): the recommending owner takes a proposal back out of the
higher campaign while that campaign has not started reviewing it; the quota is free again, the level is
gone from the proposal's page and the growth record, the audit log and the authors keep what happened."""

from __future__ import annotations

import pytest

from core import clock
from models import db
from models.audit import AuditLog
from models.messages import Message
from models.proposals import CAMPAIGN_PUBLISHED, Proposal
from services.errors import NotAllowed, NotFound, RuleViolation
from services.growth import timeline
from services.proposals import assignment, recommendation
from tests.factories import JudgeFactory
from tests.factories_proposals import SUBMIT_TIME
from tests.services.test_proposals_owners import city_taking, own_campaign, valid_in


def _recommended(world, city=None, quota=1):
    own, city = own_campaign(world.enterprise_a, name="甲企五小"), city or city_taking(quota=quota, name="全市五小")
    source = valid_in(own, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        entry = recommendation.recommend(world.hr_a, source, city)
    db.session.commit()
    return source, entry, city


def test_withdrawing_frees_the_quota_and_removes_the_level(world):
    source, entry, city = _recommended(world, quota=1)
    entry_id = entry.id
    assert recommendation.may_withdraw(world.hr_a, entry)
    with clock.frozen(SUBMIT_TIME):
        assert recommendation.withdraw(world.hr_a, entry) is source
        db.session.commit()
    assert db.session.get(Proposal, entry_id) is None
    assert recommendation.used_quota(source.campaign, city) == 0
    assert [e.id for e in recommendation.levels_of(source)] == [source.id]
    details = [e.detail for e in timeline.timeline(world.worker_a) if e.kind == "proposal"]
    assert not any("全市五小" in d for d in details) and any("甲企五小" in d for d in details)
    log = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "proposals.recommendation_withdrawn"))
    assert (log.actor_id, log.object_id) == (world.hr_a.id, source.id)
    message = db.session.scalar(db.select(Message).where(Message.recipient_id == world.worker_a.id,
                                                         Message.kind == "proposal.recommendation_withdrawn"))
    assert message is not None and message.link["values"]["proposal_id"] == source.id
    # The earlier message about the recommendation no longer leads to the removed entry.
    earlier = db.session.scalar(db.select(Message).where(Message.recipient_id == world.worker_a.id,
                                                         Message.kind == "proposal.recommended"))
    assert earlier.link["values"]["proposal_id"] == source.id != entry_id
    # The freed seat takes another proposal of the enterprise, and this one may go there again.
    with clock.frozen(SUBMIT_TIME):
        again = recommendation.recommend(world.hr_a, source, city)
    assert again.recommended_from_id == source.id


def test_only_the_recommending_owner_withdraws(world):
    source, entry, _city = _recommended(world)
    with pytest.raises(NotAllowed):  # the city owns the target, not the recommendation
        recommendation.withdraw(world.admin, entry)
    with pytest.raises(NotFound):
        recommendation.withdraw(world.hr_b, entry)
    with pytest.raises(NotFound):  # an original entry was not recommended from anywhere
        recommendation.withdraw(world.hr_a, source)
    assert not recommendation.may_withdraw(world.admin, entry)
    assert not recommendation.may_withdraw(world.hr_a, source)


def test_no_withdrawal_once_the_target_started_reviewing_it(world):
    source, entry, city = _recommended(world)
    judge = JudgeFactory(enterprise=world.enterprise_b)
    with clock.frozen(SUBMIT_TIME):
        assignment.assign_judge(world.admin, city, entry.id, judge.id)
        db.session.commit()
        with pytest.raises(RuleViolation) as error:
            recommendation.withdraw(world.hr_a, entry)
    assert "已开始评审" in str(error.value.message)
    db.session.rollback()
    assert not recommendation.may_withdraw(world.hr_a, entry)
    assert recommendation.used_quota(source.campaign, city) == 1


@pytest.mark.parametrize("change", ["locked", "published"])
def test_no_withdrawal_from_a_locked_or_published_campaign(world, change):
    _source, entry, city = _recommended(world)
    if change == "locked":
        city.locked = True
    else:
        city.status = CAMPAIGN_PUBLISHED
    db.session.commit()
    with pytest.raises(RuleViolation) as error:
        recommendation.withdraw(world.hr_a, entry)
    assert "已锁定评审或已公布结果" in str(error.value.message)
    assert not recommendation.may_withdraw(world.hr_a, entry)


def test_no_withdrawal_once_the_city_recommended_it_higher(world):
    from datetime import date

    from services.honours import results as higher

    _source, entry, _city = _recommended(world)
    with clock.frozen(SUBMIT_TIME):
        higher.recommend_proposal(world.admin, entry, "province", "福建省五小创新成果评选", date(2026, 3, 1))
        db.session.commit()
        with pytest.raises(RuleViolation) as error:
            recommendation.withdraw(world.hr_a, entry)
    assert "市级以上" in str(error.value.message)


def test_the_authors_are_each_told(world):
    from models.proposals import ProposalAuthor
    from tests.factories import WorkerFactory

    coauthor = WorkerFactory(enterprise=world.enterprise_a)
    own, city = own_campaign(world.enterprise_a), city_taking()
    source = valid_in(own, world.worker_a)
    source.authors[0].share = 60
    source.authors.append(ProposalAuthor(user_id=coauthor.id, share=40, position=1))
    db.session.commit()
    with clock.frozen(SUBMIT_TIME):
        entry = recommendation.recommend(world.hr_a, source, city)
        recommendation.withdraw(world.hr_a, entry)
    told = set(db.session.scalars(db.select(Message.recipient_id).where(
        Message.kind == "proposal.recommendation_withdrawn")))
    assert told == {world.worker_a.id, coauthor.id}
