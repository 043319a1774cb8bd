"""Locking or publishing a campaign while its submission window is open or proposals are unscreened
needs the admin's confirmation of exactly what is left out (services.proposals.closing)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import clock
from models import AuditLog, db
from models.proposals import CAMPAIGN_PUBLISHED, SCORED, SUBMITTED
from services.errors import RuleViolation
from services.proposals import closing, judging, results
from tests.factories_proposals import AFTER_JUDGING, JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory


def test_locking_in_the_submission_window_needs_confirmation_of_what_is_left_out(world):
    campaign = CampaignFactory()
    with clock.frozen(SUBMIT_TIME):
        draft = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="draft", submitted_at=None)
        waiting = ProposalFactory(campaign=campaign, proposer=world.worker_b, status=SUBMITTED)
        gaps = closing.left_out(campaign)
        assert (gaps.window_open, gaps.unscreened, gaps.drafts) == (True, 1, 1)
        assert [p.id for p in gaps.listed] == [waiting.id] and draft.id not in [p.id for p in gaps.listed]
        with pytest.raises(RuleViolation, match="现有 1 件"):
            judging.lock_campaign(world.admin, campaign, True)
        with pytest.raises(RuleViolation):  # confirmed a page that showed none: the list changed since
            judging.lock_campaign(world.admin, campaign, True, confirmed_unscreened=0)
        judging.lock_campaign(world.admin, campaign, True, confirmed_unscreened=1)
        db.session.commit()
    assert campaign.locked
    record = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "proposals.campaign_locked"))
    assert record.detail["left_out"] == 1


def test_after_the_window_with_everything_screened_nothing_needs_confirming(world):
    campaign = CampaignFactory()
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal("80"))
    with clock.frozen(JUDGE_TIME):
        assert not closing.left_out(campaign).any
        judging.lock_campaign(world.admin, campaign, True)
    assert campaign.locked


def test_publishing_with_unscreened_proposals_needs_confirmation(world):
    campaign = CampaignFactory(locked=True)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status=SCORED, score=Decimal("80"))
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status=SUBMITTED)
    with clock.frozen(AFTER_JUDGING):
        with pytest.raises(RuleViolation, match="未筛选"):
            results.publish_results(world.admin, campaign)
        results.publish_results(world.admin, campaign, confirmed_unscreened=1)
        db.session.commit()
    assert campaign.status == CAMPAIGN_PUBLISHED
