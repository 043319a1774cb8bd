"""The city's top ten innovation achievements (services.proposals.achievements): only admins designate and
remove, an original valid proposal once, in a year not before its first submission, at most ten a year
at positions 1-10; every designation and removal is audited and the authors are told."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from core import clock
from models import AuditLog, Message, db
from models.achievements import TopAchievement
from models.proposals import ProposalAuthor
from services.errors import NotAllowed, RuleViolation
from services.honours import results as higher
from services.proposals import achievements, proposal_page, recommendation
from tests.factories_proposals import CampaignFactory, ProposalFactory

Y2025 = datetime(2025, 5, 10, 2, 0, tzinfo=UTC)
Y2026 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(datetime(2026, 11, 20, 2, tzinfo=UTC)):
        yield


def valid(world, when=Y2026, **kw):
    return ProposalFactory(proposer=kw.pop("proposer", world.worker_a), status=kw.pop("status", "valid"),
                           submitted_at=when, **kw)


def test_only_union_admins_designate_and_remove(world):
    proposal = valid(world)
    for persona in ("hr_a", "town_a", "worker_a", "judge"):
        with pytest.raises(NotAllowed):
            achievements.designate(world.persona(persona), proposal)
    achievement = achievements.designate(world.admin, proposal)
    db.session.commit()
    for persona in ("hr_a", "town_a"):
        with pytest.raises(NotAllowed):
            achievements.remove(world.persona(persona), achievement)


@pytest.mark.parametrize("status", ["submitted", "returned", "rejected", "withdrawn", "draft"])
def test_only_a_proposal_that_passed_screening_qualifies(world, status):
    proposal = valid(world, status=status, when=None if status == "draft" else Y2026)
    with pytest.raises(RuleViolation) as error:
        achievements.designate(world.admin, proposal)
    assert error.value.field == "proposal_id"


def test_nothing_chosen_is_refused_beside_the_picker(world):
    with pytest.raises(RuleViolation) as error:
        achievements.designate(world.admin, None)
    assert error.value.field == "proposal_id"


def test_a_copy_in_a_higher_campaign_is_resolved_to_its_original_and_designated_once(world):
    original = valid(world, when=Y2025)
    copy = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, status="scored",
                           origin_id=original.id, recommended_from_id=original.id, submitted_at=Y2026)
    achievement = achievements.designate(world.admin, copy)
    assert (achievement.proposal_id, achievement.year, achievement.position) == (original.id, 2025, 1)
    db.session.commit()
    assert achievements.honour_of(copy).id == achievement.id == achievements.honour_of(original).id
    other = valid(world)  # recommendation.levels_with_honour: the levels and the designation in one query
    for entry in (original, copy, other):
        levels, honour, records = recommendation.levels_with_honour(entry)
        assert [(e.id, e.status, e.campaign.id, e.campaign.name, e.recommended_from_id) for e in levels] == [
            (e.id, e.status, e.campaign.id, e.campaign.name, e.recommended_from_id)
            for e in recommendation.levels_of(entry)]
        expected = achievements.honour_of(entry)
        assert (honour and (honour.id, honour.year, honour.citation)) == (
            expected and (expected.id, expected.year, expected.citation))
        assert records == []
    assert proposal_page.page_parts(copy, with_flags=False).honour.id == achievement.id
    levels, honour, _records = recommendation.levels_with_honour(copy)
    assert honour.id == achievement.id and [e.id for e in levels] == [original.id, copy.id]
    assert levels[1].recommended_from is levels[0] and levels[0].recommended_from is None
    levels, honour, records = recommendation.levels_with_honour(other)
    assert [e.id for e in levels] == [other.id] and honour is None and records == []
    for again in (original, copy):
        with pytest.raises(RuleViolation) as error:
            achievements.designate(world.admin, again, year=2026)
        assert error.value.field == "proposal_id"


def test_the_levels_come_with_the_higher_records_of_every_entry_oldest_first(world):
    """recommendation.levels_with_honour: an entry's row repeats per higher record; the levels stay
    unique and in order, the records are every entry's, oldest first."""
    original = valid(world, when=Y2025)
    copy = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, status="scored",
                           origin_id=original.id, recommended_from_id=original.id, submitted_at=Y2026)
    db.session.commit()
    first = higher.recommend_proposal(world.admin, copy, "province", "省级评选", date(2026, 6, 1))
    second = higher.recommend_proposal(world.admin, original, "national", "全国评选", date(2026, 7, 1))
    third = higher.recommend_proposal(world.admin, copy, "national", "另一项全国评选", date(2026, 8, 1))
    db.session.commit()
    for entry in (original, copy):
        levels, honour, records = recommendation.levels_with_honour(entry)
        assert [e.id for e in levels] == [original.id, copy.id] and honour is None
        assert [r.id for r in records] == [first.id, second.id, third.id]
        assert [(r.level_label, r.contest, r.prize, r.result_on) for r in records] == [
            (r.level_label, r.contest, r.prize, r.result_on) for r in (first, second, third)]
        parts = proposal_page.page_parts(entry, with_flags=True)  # the page's one statement: the same rows
        assert [e.id for e in parts.levels] == [original.id, copy.id] and parts.honour is None
        assert [r.id for r in parts.records] == [first.id, second.id, third.id] and parts.timeline


def test_the_year_defaults_to_the_first_submission_and_is_never_before_it_nor_after_this_year(world):
    proposal = valid(world, when=datetime(2024, 12, 31, 17, 0, tzinfo=UTC))  # 1 January 2025 in Shanghai
    for year in (2024, 2027):
        with pytest.raises(RuleViolation) as error:
            achievements.designate(world.admin, proposal, year=year)
        assert error.value.field == "year"
    assert achievements.designate(world.admin, proposal).year == 2025
    later = valid(world, when=Y2025)
    assert achievements.designate(world.admin, later, year=2026).year == 2026


def test_at_most_ten_a_year_at_free_positions_one_to_ten(world):
    proposals = [valid(world) for _ in range(11)]
    with pytest.raises(RuleViolation) as error:
        achievements.designate(world.admin, proposals[0], position=11)
    assert error.value.field == "position"
    achievements.designate(world.admin, proposals[0], position=3)
    with pytest.raises(RuleViolation) as error:
        achievements.designate(world.admin, proposals[1], position=3)
    assert error.value.field == "position"
    placed = [achievements.designate(world.admin, p).position for p in proposals[1:10]]
    assert placed == [1, 2, 4, 5, 6, 7, 8, 9, 10]  # blank: the first free position
    with pytest.raises(RuleViolation, match="每年最多评选十项") as error:
        achievements.designate(world.admin, proposals[10])
    assert error.value.field == "position"
    assert achievements.designate(world.admin, valid(world, when=Y2025), year=2025).year == 2025  # another year


def test_removal_frees_its_position_and_leaves_the_others(world):
    first, second, third = valid(world), valid(world), valid(world)
    kept = [achievements.designate(world.admin, p) for p in (first, second)]
    db.session.commit()
    achievements.remove(world.admin, kept[0])
    db.session.commit()
    assert [(a.proposal_id, a.position) for a in db.session.scalars(select(TopAchievement))] == [(second.id, 2)]
    assert achievements.designate(world.admin, third).position == 1
    assert achievements.designate(world.admin, first).position == 3  # removed ones may come back


def test_citation_is_at_most_200_characters(world):
    proposal = valid(world)
    with pytest.raises(RuleViolation) as error:
        achievements.designate(world.admin, proposal, citation="好" * 201)
    assert error.value.field == "citation"
    assert achievements.designate(world.admin, proposal, citation="  降本  增效 ").citation == "降本 增效"


def test_designation_and_removal_are_audited_and_the_authors_told(world):
    proposal = valid(world)
    db.session.add(ProposalAuthor(proposal_id=proposal.id, user_id=world.worker_b.id, share=10, position=1))
    db.session.commit()
    achievement = achievements.designate(world.admin, proposal, position=4, citation="填补空白")
    db.session.commit()
    achievement_id = achievement.id
    achievements.remove(world.admin, achievement)
    db.session.commit()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.object_type == "top_achievement")
                              .order_by(AuditLog.id)).all()
    assert [(r.action, r.object_id, r.actor_id) for r in rows] == [
        ("achievements.designated", achievement_id, world.admin.id),
        ("achievements.removed", achievement_id, world.admin.id)]
    assert rows[1].detail == {"proposal_id": proposal.id, "year": 2026, "position": 4, "citation": "填补空白"}
    assert rows[1].enterprise_id == world.enterprise_a.id
    told = set(db.session.scalars(select(Message.recipient_id).where(Message.kind == "proposal.top_ten")))
    assert told == {world.worker_a.id, world.worker_b.id}


def test_the_year_list_shows_enterprise_town_authors_and_savings_in_position_order(world):
    first, second = valid(world), valid(world, proposer=world.worker_b)
    achievements.designate(world.admin, first, position=2)
    achievements.designate(world.admin, second, position=1, citation="好")
    db.session.commit()
    rows = achievements.year_list(2026)
    assert [r.achievement.proposal_id for r in rows] == [second.id, first.id]
    assert rows[0].enterprise == world.enterprise_b.name
    assert str(rows[0].town) == "池店镇"
    assert rows[1].authors == (world.worker_a.name,)
    assert rows[1].estimated_savings == first.estimated_savings
    assert achievements.year_list(2025) == []
    assert achievements.years() == [2026]


def test_candidates_are_valid_originals_by_title_or_number_not_yet_designated(world):
    wanted = valid(world, title="快换模具定位销")
    valid(world, title="快换模具（退回）", status="returned")
    copy = ProposalFactory(proposer=world.worker_a, status="valid", title="快换模具定位销", origin_id=wanted.id)
    assert [p.id for p in achievements.candidates("快换")] == [wanted.id]
    assert [p.id for p in achievements.candidates(str(wanted.id))] == [wanted.id]
    assert achievements.candidates(str(copy.id)) == [] and achievements.candidates("  ") == []
    achievements.designate(world.admin, wanted)
    assert achievements.candidates("快换") == []
