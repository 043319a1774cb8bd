"""The proposal pages' plain rows carry what the ORM objects give: the list's rows (names, labels), the
judge's queue rows (the campaign's freeze), the ranking's labels; and PlainRow's made __init__."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from models import db
from services.common.rows import PlainRow
from services.proposals import judging, listing, ranking
from services.proposals.lifecycle import judging_frozen
from tests.factories_proposals import CampaignFactory, ProposalFactory, assign


def _listed(actor, **filters) -> dict:
    make = listing.listed_rows()
    return {row.id: row for row in (make(*values) for values in db.session.execute(
        listing.proposals_query(actor, listing.ProposalFilters(**filters))))}


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_list_rows_carry_the_proposals_names_and_labels(app, world, locale):
    campaign = CampaignFactory()
    proposals = [ProposalFactory(campaign=campaign, proposer=world.worker_a, kind="invention"),
                 ProposalFactory(campaign=campaign, proposer=world.worker_a, status="awarded", rank=2,
                                 prize="second", estimated_savings=None),
                 ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid")]
    with app.test_request_context(), force_locale(locale):
        rows = _listed(world.admin)
        assert set(rows) >= {p.id for p in proposals}
        for p in proposals:
            row = rows[p.id]
            assert (row.title, row.kind, row.status, row.estimated_savings, row.rank, row.prize) == (
                p.title, p.kind, p.status, p.estimated_savings, p.rank, p.prize)
            assert (row.campaign_name, row.proposer_name, row.enterprise_name) == (
                p.campaign.name, p.proposer.name, p.enterprise.name)
            assert (row.kind_label, row.status_label, row.prize_label) == (
                str(p.kind_label), str(p.status_label), str(p.prize_label))
            assert type(row.kind_label) is str
        assert set(_listed(world.hr_a)) == {p.id for p in proposals[:2]}  # HR: their enterprise only


def test_queue_rows_freeze_as_their_campaigns(app, world):
    open_campaign = CampaignFactory()
    locked = CampaignFactory(locked=True)
    proposals = [ProposalFactory(campaign=c, status="valid") for c in (open_campaign, locked)]  # another enterprise
    for p in proposals:
        assign(p, world.judge)
    with app.test_request_context():
        page = judging.queue_page_rows(db.session.execute(judging.queue_rows(world.judge)).all())
        objects = db.session.scalars(judging.queue_query(world.judge)).all()
    assert [row.proposal_id for row in page] == [a.proposal_id for a in objects] and len(page) == 2
    for row, assignment in zip(page, objects, strict=True):
        campaign = assignment.proposal.campaign
        assert (row.title, row.kind, row.name, row.judging_closes_at) == (
            assignment.proposal.title, assignment.proposal.kind, campaign.name, campaign.judging_closes_at)
        assert row.frozen == judging_frozen(campaign)
        assert row.kind_label == str(assignment.proposal.kind_label)
    assert [row.frozen for row in page if row.name == locked.name] == [True]


def test_ranking_rows_have_label_texts(app):
    with app.test_request_context(), force_locale("en"):
        rows = ranking._labelled([(1, "标题", "invention", "企业", Decimal("90.50"), None, 1, 1, "first"),
                                  (2, "标题2", "design", "企业", Decimal("80"), None, 2, 2, None)])
    assert [(r.kind_label, r.prize_label) for r in rows] == [("Small invention", "First prize"), ("Small design", "")]
    assert all(type(r.kind_label) is str for r in rows)


def test_plain_row_init_sets_its_own_fields_in_order():
    class Pair(PlainRow):
        __slots__ = ("left", "right")

    pair = Pair(1, "two")
    assert (pair.left, pair.right) == (1, "two")
    with pytest.raises(TypeError):
        Pair(1)
    with pytest.raises(TypeError):
        Pair(1, 2, 3)
