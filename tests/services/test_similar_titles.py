"""Possible duplicates kept as stored pairs (services/proposals/similar_titles.py, models/proposal_similarity.py):
the pairs follow every change that makes or breaks one, in the same transaction; what the changes keep is
what a rebuild from scratch finds; a page reads its flags in one query whatever the enterprise's size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from core import clock
from models import db
from models.proposal_similarity import SimilarTitle
from models.proposals import Proposal, ProposalAuthor, ProposalStatusChange
from services.proposals import listing, proposal_page, recommendation, screening, similar_titles, submission
from tests.factories import WorkerFactory
from tests.factories_proposals import SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.querycount import count_queries


def stored() -> set[tuple[int, int]]:
    return {tuple(row) for row in db.session.execute(select(SimilarTitle.proposal_id, SimilarTitle.similar_id))}


def rebuilt() -> set[tuple[int, int]]:
    """What a rebuild from scratch finds (rolled back: the stored rows stay as the changes left them)."""
    connection = db.session.connection()
    nested = connection.begin_nested()
    similar_titles.rebuild(connection)
    found = {tuple(row) for row in connection.execute(select(SimilarTitle.proposal_id, SimilarTitle.similar_id))}
    nested.rollback()
    return found


def flagged(*proposals) -> dict[int, list[int]]:
    return {pid: [other for other, _title in others] for pid, others in screening.duplicate_flags(proposals).items()}


def test_pairs_follow_submission_withdrawal_retitling_and_deletion(world):
    campaign = CampaignFactory()
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    first = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="鞋底模具快速换模装置")
    second = ProposalFactory(campaign=campaign, proposer=colleague, title="鞋底模具快速换模装置改进")
    draft = ProposalFactory(campaign=campaign, proposer=colleague, title="鞋底模具 快速换模装置！", status="draft")
    elsewhere = ProposalFactory(campaign=campaign, proposer=world.worker_b, title="鞋底模具快速换模装置")
    other_campaign = ProposalFactory(proposer=world.worker_a, title="鞋底模具快速换模装置")
    everyone = (first, second, draft, elsewhere, other_campaign)
    assert flagged(*everyone) == {first.id: [second.id], second.id: [first.id]}

    draft.status = "submitted"  # a draft submitted joins
    db.session.commit()
    assert flagged(*everyone) == {first.id: [second.id, draft.id], second.id: [first.id, draft.id],
                                  draft.id: [first.id, second.id]}
    submission.withdraw_proposal(colleague, second)  # through the service: a withdrawn one leaves
    db.session.commit()
    assert flagged(*everyone) == {first.id: [draft.id], draft.id: [first.id]}
    draft.title = "食堂节水龙头改造"  # retitled: no longer alike
    db.session.commit()
    assert flagged(*everyone) == {}
    draft.title = "快速换模装置"  # contained in the other title (4+ characters): alike again
    db.session.commit()
    assert flagged(first, draft) == {first.id: [draft.id], draft.id: [first.id]}
    db.session.delete(draft)
    db.session.commit()
    assert stored() == set() == rebuilt()


def test_a_change_that_makes_or_breaks_no_pair_leaves_them_alone(world):
    campaign = CampaignFactory()
    first = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="鞋底模具快速换模装置")
    ProposalFactory(campaign=campaign, proposer=world.worker_a, title="鞋底模具快速换模装置改进")
    with count_queries() as counted:
        first.status, first.score = "valid", Decimal("88.5")  # screened and scored: still counted
        db.session.commit()
    assert not any("proposal_similar_title" in s for s in counted.statements)
    assert len(stored()) == 2


TITLES = ("节水龙头改造", "节水龙头改造方案", "食堂节水龙头", "模具快速换模", "快速换模装置改进", "空压机余热回收")
STATUSES = ("draft", "submitted", "valid", "withdrawn", "returned")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.sampled_from(TITLES), st.sampled_from(STATUSES), st.booleans()), min_size=2,
                     max_size=8),
       changes=st.lists(st.tuples(st.integers(0, 7), st.sampled_from(TITLES), st.sampled_from(STATUSES)),
                        max_size=6))
def test_what_the_changes_keep_is_what_a_rebuild_finds(world, plan, changes):
    campaign = CampaignFactory()
    made = []
    for title, status, in_a in plan:
        made.append(ProposalFactory(campaign=campaign, proposer=world.worker_a if in_a else world.worker_b,
                                    title=title, status=status))
    for index, title, status in changes:
        proposal = made[index % len(made)]
        proposal.title, proposal.status = title, status
        db.session.commit()
    try:
        assert stored() == rebuilt()
    finally:
        ids = [p.id for p in made]
        for model, column in ((ProposalStatusChange, ProposalStatusChange.proposal_id),
                              (ProposalAuthor, ProposalAuthor.proposal_id), (Proposal, Proposal.id)):
            db.session.execute(delete(model).where(column.in_(ids)))
        db.session.commit()


@pytest.mark.parametrize("others", [10, 1_000])
def test_a_page_reads_its_flags_in_one_query_whatever_the_enterprise_size(world, others):
    campaign = CampaignFactory()
    first = (db.session.scalar(select(db.func.max(Proposal.id))) or 0) + 1
    db.session.execute(insert(Proposal), [
        {"id": first + i, "campaign_id": campaign.id, "enterprise_id": world.enterprise_a.id,
         "proposer_id": world.worker_a.id, "kind": "design",
         "title": f"车间第{i}号工位节能照明改造" if i % 2 else f"提案{i}",
         "problem": "", "solution": "", "expected_benefit": "", "status": "submitted", "judge_count": 0,
         "estimated_savings": Decimal(1000), "submitted_at": SUBMIT_TIME, "created_at": SUBMIT_TIME,
         "updated_at": SUBMIT_TIME} for i in range(others)])
    assert similar_titles.rebuild(db.session.connection()) > 0  # a bulk load rebuilds
    db.session.commit()
    page = list(db.session.scalars(select(Proposal).where(Proposal.campaign_id == campaign.id)
                                   .order_by(Proposal.id.desc()).limit(20)))
    with clock.frozen(SUBMIT_TIME), count_queries() as counted:
        flags = screening.duplicate_flags(page)
    assert counted.count == 1
    everything = db.session.execute(select(Proposal.id, Proposal.title).where(Proposal.campaign_id == campaign.id))
    pairs = similar_titles.pairs_among(list(everything))
    expected = {p.id: sorted(b for a, b in pairs if a == p.id) for p in page}
    assert {pid: [other for other, _t in found] for pid, found in flags.items()} == {
        pid: others_ for pid, others_ in expected.items() if others_}
    assert flags  # the page has some


def test_the_proposal_pages_parts_are_one_statement(world):
    """proposal_page.page_parts: the page's levels, designation, higher records, time line and similar
    titles in one statement, the same as recommendation.levels_with_honour, listing.timeline and
    screening.duplicate_flags (none, one, several similar titles; a withdrawn one; without the titles)."""
    campaign = CampaignFactory()
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    first = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="鞋底模具快速换模装置")
    second = ProposalFactory(campaign=campaign, proposer=colleague, title="鞋底模具快速换模装置改进")
    third = ProposalFactory(campaign=campaign, proposer=colleague, title="鞋底模具 快速换模装置！")
    alone = ProposalFactory(campaign=campaign, proposer=colleague, title="食堂节水龙头改造")
    submission.withdraw_proposal(colleague, third)
    db.session.commit()

    def steps(timeline):
        return [(s.from_status, s.to_status, s.at, s.actor_id, s.actor_name, s.reason, s.note) for s in timeline]

    def levels(entries):
        return [(e.id, e.status, e.recommended_at, e.score, e.rank, e.prize, e.campaign.name) for e in entries]

    for proposal in (first, second, third, alone):
        db.session.refresh(proposal)  # loaded: only the statement under test is counted
        for with_flags in (True, False):
            with count_queries() as q:
                parts = proposal_page.page_parts(proposal, with_flags=with_flags)
            assert q.count == 1 and steps(parts.timeline) == steps(listing.timeline(proposal))
            entries, honour, records = recommendation.levels_with_honour(proposal)
            assert levels(parts.levels) == levels(entries) and (parts.honour, parts.records) == (honour, records)
            assert parts.flags == (screening.duplicate_flags([proposal]) if with_flags else {})
    parts = proposal_page.page_parts(first, with_flags=True)
    assert [other for other, _title in parts.flags[first.id]] == [second.id] and len(parts.timeline) >= 1
    assert proposal_page.page_parts(third, with_flags=True).timeline[-1].to_status == "withdrawn"
    assert proposal_page.page_parts(alone, with_flags=True).flags == {}
