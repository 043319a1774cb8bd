"""Prize rewards (奖金) have one set of rules for every event (services.common.rewards): a campaign's and a
competition's are read, refused and audited alike."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from models import AuditLog, db
from services.common import rewards
from services.errors import RuleViolation
from services.proposals import campaigns
from tests.services.test_proposals import campaign_data


def test_campaign_rewards_are_read_once_and_their_changes_audited(world):
    campaign = campaigns.create_campaign(world.admin, campaign_data(reward_first="3,000"))
    db.session.commit()
    assert campaign.reward_first == Decimal("3000.00") and campaign.has_rewards
    campaigns.update_campaign(world.admin, campaign, campaign_data(reward_first=Decimal("3000"),
                                                                   reward_third=Decimal("100")))
    db.session.commit()
    records = db.session.scalars(select(AuditLog).where(AuditLog.action == "proposals.rewards_set")
                                 .order_by(AuditLog.id)).all()
    assert [(r.detail["old"], r.detail["new"]["first"], r.detail["new"]["third"]) for r in records] == [
        (None, "3000.00", None), ({"first": "3000.00", "second": None, "third": None, "honourable": None},
                                  "3000.00", "100.00")]
    with pytest.raises(RuleViolation, match="奖金应为 0 到 1000000 元") as refused:
        campaigns.update_campaign(world.admin, campaign, campaign_data(reward_honourable="-5"))
    assert refused.value.field == "reward_honourable"


def test_no_reward_means_no_audit_record_for_a_new_event(world):
    campaigns.create_campaign(world.admin, campaign_data())
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "proposals.rewards_set")) is None


@pytest.mark.parametrize("raw, expected", [("1,000.5", Decimal("1000.5")), ("０", Decimal(0)), ("", None),
                                           (None, None), ("1000000", Decimal("1000000"))])
def test_one_reading_of_amounts(raw, expected):
    class Data:
        reward_first = raw
        reward_second = reward_third = reward_honourable = None

    data = Data()
    rewards.check_rewards(data)
    assert data.reward_first == expected
