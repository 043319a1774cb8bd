"""Title eligibility reads the real records of the other parts, created through their services."""

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

from core import clock
from models import db
from models.titles import TitleRound
from services.proposals import savings
from services.titles import awards, eligibility, evidence, types
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.factories_titles import default_titles

PDF = b"%PDF-1.4 finance confirmation"


def finance_file():
    return FileStorage(io.BytesIO(PDF), filename="财务确认.pdf")


def verified_proposal(world, worker, amount: str):
    """A scored proposal of a published campaign, adopted, implemented and verified by the services."""
    campaign = CampaignFactory(status="published")
    proposal = ProposalFactory(campaign=campaign, proposer=worker, status="scored", score=Decimal("80"))
    savings.adopt_proposal(world.hr_a, proposal)
    savings.record_implementation(world.hr_a, proposal, amount, "实施后连续六个月实测", finance_file())
    savings.verify_saving(world.admin, proposal)
    db.session.commit()
    return proposal


def test_adopted_proposals_with_verified_savings_count(world):
    default_titles()
    kind = types.save_title_type(world.admin, None, types.TitleTypeData(
        name="五小创新能手", level="city", yearly_quota=10, min_skill_level=0, min_adopted_proposals=2,
        min_verified_savings=Decimal("100000")))
    rules = lambda: {r.code: r.met for r in eligibility.evaluate(kind, evidence.evidence_for(world.worker_a.id))}  # noqa: E731
    assert rules()["proposals"] is False
    verified_proposal(world, world.worker_a, "60000")
    assert evidence.evidence_for(world.worker_a.id).adopted_proposals == 1
    assert rules()["proposals"] is False
    verified_proposal(world, world.worker_a, "50000")
    ev = evidence.evidence_for(world.worker_a.id)
    assert (ev.adopted_proposals, ev.verified_savings) == (2, Decimal("110000.00"))
    assert rules()["proposals"] is True


def test_unverified_savings_do_not_count(world):
    campaign = CampaignFactory(status="published")
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("80"))
    savings.adopt_proposal(world.hr_a, proposal)
    savings.record_implementation(world.hr_a, proposal, "90000", "已实施", finance_file())
    db.session.commit()
    assert evidence.evidence_for(world.worker_a.id).adopted_proposals == 0


@pytest.mark.parametrize("n", [1, 12])
def test_evidence_costs_the_same_for_any_number_of_workers(world, n):
    from tests.factories import WorkerFactory
    from tests.querycount import count_queries

    ids = [WorkerFactory(enterprise=world.enterprise_a).id for _ in range(n)]
    with count_queries() as counter:
        collected = evidence.collect(ids)
    # profiles, placings, proposals, mentor pairs, higher-level results, titles, training attendance and completions
    assert counter.count == 8
    assert set(collected) == set(ids)


def test_years_window_for_competition_placings_uses_the_clock():
    placing = evidence.Placing(1, "市级竞赛", "city", datetime(2023, 5, 1).date(), 2, "二等奖")
    ev = evidence.Evidence(worker_id=1, placings=[placing])
    with clock.frozen(datetime(2026, 4, 30, tzinfo=UTC)):
        assert ev.best_placing(3, "city", 3) == placing
    with clock.frozen(datetime(2026, 5, 2, tzinfo=UTC)):
        assert ev.best_placing(3, "city", 3) is None
    with clock.frozen(datetime(2026, 4, 30, tzinfo=UTC) - timedelta(days=1)):
        assert ev.best_placing(1, "city", 3) is None  # second place is not top-1
        assert ev.best_placing(3, "prefecture", 3) is None  # a city contest is below prefecture level


def test_completed_mentor_pairs_count_for_titles(world):
    from services.mentorship import assessment
    from tests.factories import WorkerFactory
    from tests.factories_mentorship import activate, create_pair

    kind = types.save_title_type(world.admin, None, types.TitleTypeData(
        name="金牌师傅", level="city", yearly_quota=10, min_skill_level=0, min_completed_pairs=1))
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5)
    apprentice = WorkerFactory(enterprise=world.enterprise_a, skill_level=2, trade=mentor.trade)
    start = datetime(2025, 1, 6, 2, tzinfo=UTC)
    with clock.frozen(start):
        pair = activate(create_pair(world.hr_a, mentor, apprentice))
    met = lambda: {r.code: r.met for r in eligibility.evaluate(kind, evidence.evidence_for(mentor.id))}["mentoring"]  # noqa: E731
    assert met() is False  # an active pair is not a completed one
    with clock.frozen(start + timedelta(days=400)):
        assessment.assess(world.hr_a, pair, assessment.AssessmentData(
            grade="pass", level_reached=3, score=Decimal("85"), assessor="晋江市职业技能鉴定中心", notes="合格"))
        db.session.commit()
        assert evidence.evidence_for(mentor.id).completed_pairs == 1
        assert met() is True


def test_a_final_title_lets_a_lower_level_worker_mentor(world):
    from services.errors import RuleViolation
    from services.mentorship import pairing
    from tests.factories import WorkerFactory
    from tests.factories_mentorship import create_pair
    from tests.factories_titles import award_through_round

    kind = types.save_title_type(world.admin, None, types.TitleTypeData(
        name="技术革新能手", level="city", yearly_quota=10, min_skill_level=0))
    db.session.commit()
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=2)
    apprentice = WorkerFactory(enterprise=world.enterprise_a, skill_level=0, trade=mentor.trade)
    with pytest.raises(RuleViolation, match="工匠称号"):
        create_pair(world.hr_a, mentor, apprentice)
    db.session.rollback()
    award_through_round(world.admin, world.hr_a, mentor, kind, finalise=False)
    assert pairing.holds_craftsman_title(mentor) is False  # still on public notice
    title_round = db.session.scalar(db.select(TitleRound).where(TitleRound.year == 2026))
    with clock.frozen(datetime(2026, 5, 1, tzinfo=UTC)):
        awards.finalise_round(world.admin, title_round)
        db.session.commit()
    assert pairing.holds_craftsman_title(mentor) is True
    with clock.frozen(datetime(2026, 5, 1, tzinfo=UTC)):
        assert create_pair(world.hr_a, mentor, apprentice).status == "proposed"


def test_growth_record_joins_every_part_in_time_order(world):
    from services.growth import timeline
    from services.mentorship import assessment
    from tests.factories import WorkerFactory
    from tests.factories_mentorship import activate, create_pair
    from tests.factories_titles import award_through_round, make_eligible

    worker = world.worker_a
    make_eligible(world.hr_a, worker, rank=5)
    apprentice = WorkerFactory(enterprise=world.enterprise_a, skill_level=2, trade=worker.trade)
    start = datetime(2025, 1, 6, 2, tzinfo=UTC)
    with clock.frozen(start):
        pair = activate(create_pair(world.hr_a, worker, apprentice))
    with clock.frozen(start + timedelta(days=400)):
        assessment.assess(world.hr_a, pair, assessment.AssessmentData(
            grade="excellent", level_reached=3, score=Decimal("95"), assessor="鉴定中心", notes="优秀"))
        db.session.commit()
    verified_proposal(world, worker, "80000")
    award_through_round(world.admin, world.hr_a, worker, default_titles()["晋江工匠"])
    kinds = [e.kind for e in timeline.timeline(worker)]
    assert {"skill", "mentor", "proposal", "title"} <= set(kinds)
    apprentice_view = timeline.timeline(apprentice)
    assert [e.kind for e in apprentice_view].count("apprentice") == 1
    assert any("出师考核" in e.detail for e in apprentice_view)
    dates = [e.on for e in timeline.timeline(worker)]
    assert dates == sorted(dates)


def final_team_competition(world, crew, level="city"):
    """A team competition run to final results by the competitions services; the crew places first."""
    from models import Role
    from services.competitions import bulk, judging, results, setup
    from tests.factories import EnterpriseFactory, UserFactory
    from tests.factories_competitions import CompetitionFactory

    competition = CompetitionFactory(is_team=True, team_min=2, team_max=3, capacity=2, level=level)
    entry = bulk.register_team(world.hr_a, competition, "恒信一队", [w.employee_no for w in crew])
    judges = [UserFactory(roles=(Role.JUDGE,), enterprise=EnterpriseFactory(), skill_level=5) for _ in range(3)]
    db.session.commit()
    with clock.frozen(competition.registration_closes_at + timedelta(hours=1)):
        setup.start_scoring(world.admin, competition)
        for judge in judges:
            judging.assign_judge(world.admin, competition, judge)
            judging.enter_practical_marks(judge, entry, {i.id: "90" for i in competition.items})
        judging.enter_theory_mark(world.admin, entry, "80")
        results.sign_off(world.admin, competition)
        results.publish_results(world.admin, competition)
    with clock.frozen(competition.registration_closes_at + timedelta(days=20)):
        results.finalise_results(world.admin, competition)
    db.session.commit()
    return competition


def test_a_team_placing_counts_for_every_member(world):
    from tests.factories import WorkerFactory

    kinds = default_titles()
    start = datetime(2026, 5, 11, 2, tzinfo=UTC)
    with clock.frozen(start):
        crew = [WorkerFactory(enterprise=world.enterprise_a, skill_level=2) for _ in range(2)]
        competition = final_team_competition(world, crew, level="city")
    from services.growth import timeline

    assert [e.title for e in timeline.timeline(crew[1]) if e.kind == "competition"] == [competition.name]
    with clock.frozen(start + timedelta(days=60)):
        for member in crew:
            ev = evidence.evidence_for(member.id)
            assert [(p.rank, p.level) for p in ev.placings] == [(1, "city")]
            rules = {r.code: r.met for r in eligibility.evaluate(kinds["晋江工匠"], ev)}
            assert rules["skill_or_competition"] is True  # 中级工, but first in a city-level contest
        # a city contest does not reach the prefecture title's competition rule
        rules = {r.code: r.met for r in eligibility.evaluate(kinds["泉州工匠"], evidence.evidence_for(crew[0].id))}
        assert rules["skill_or_competition"] is False


def test_apprentice_prizes_credit_the_mentor(world):
    from services.mentorship import credits
    from tests.factories import WorkerFactory
    from tests.factories_mentorship import activate, create_pair

    start = datetime(2026, 5, 11, 2, tzinfo=UTC)
    with clock.frozen(start):
        mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5)
        apprentice = WorkerFactory(enterprise=world.enterprise_a, skill_level=2, trade=mentor.trade)
        activate(create_pair(world.hr_a, mentor, apprentice))
        teammate = WorkerFactory(enterprise=world.enterprise_a, skill_level=2)
        competition = final_team_competition(world, [apprentice, teammate])
    prizes = [c for c in credits.mentor_credits(mentor) if c.kind == "competition_prize"]
    assert len(prizes) == 1 and competition.name in prizes[0].description
    assert credits.mentor_credits(teammate) == []


def test_evidence_is_taken_as_of_the_rounds_cut_off_date_not_today():
    """A placing of 2023-05-01 counts for 3 years up to 2026-05-01: a round whose cut-off is 2026-04-30
    keeps counting it when the review happens in June; years in the trade likewise stop at the cut-off."""
    placing = evidence.Placing(1, "市级竞赛", "city", datetime(2023, 5, 1).date(), 2, "二等奖")
    cut_off = datetime(2026, 4, 30).date()
    ev = evidence.Evidence(worker_id=1, placings=[placing], in_trade_since=datetime(2021, 5, 15).date(),
                           as_of=cut_off)
    with clock.frozen(datetime(2026, 6, 20, tzinfo=UTC)):
        assert ev.best_placing(3, "city", 3) == placing
        assert ev.years_in_trade == 4  # 5 years only on 2026-05-15, after the cut-off
        assert evidence.Evidence(worker_id=1, placings=[placing]).best_placing(3, "city", 3) is None  # today


def test_a_nomination_counts_years_in_the_trade_up_to_the_rounds_deadline(world):
    """In the trade since 2021-03-08, nominated on 2026-03-05 for a round closing 2026-03-10: 5 years as
    of the cut-off, so eligible (as of that day today, only 4)."""
    from services.titles import nominations, rounds
    from tests.factories_titles import make_eligible

    with clock.frozen(datetime(2026, 3, 5, 2, tzinfo=UTC)):
        make_eligible(world.hr_a, world.worker_a, since=datetime(2021, 3, 8).date())
        title_round = rounds.open_round(world.admin, default_titles()["晋江工匠"], 2026,
                                        datetime(2026, 3, 10, 9, tzinfo=UTC))
        assert rounds.cut_off_date(title_round) == datetime(2026, 3, 10).date()
        assert evidence.evidence_for(world.worker_a.id).years_in_trade == 4
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a,
                                          "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。")
    assert nomination.status == "submitted"


def test_the_skill_level_counts_as_of_the_rounds_cut_off_date(world):
    """Certified 高级工 (4) on 2026-01-10 and 技师 (5) on 2026-09-01: a round whose cut-off is 2026-06-30
    sees level 4, today sees 5; before the first change the level it replaced (3) counts; a worker
    without recorded changes keeps the current level."""
    from services.common import skills
    from tests.factories import WorkerFactory

    worker = WorkerFactory(enterprise=world.enterprise_a, skill_level=3)
    unrecorded = WorkerFactory(enterprise=world.enterprise_a, skill_level=2)
    skills.change_skill_level(world.hr_a, worker, 4, reason="certificate", effective_date=datetime(2026, 1, 10).date(),
                              certificate_no="Y350582202600000000001", issuing_body="晋江市职业技能鉴定中心")
    skills.change_skill_level(world.hr_a, worker, 5, reason="certificate", effective_date=datetime(2026, 9, 1).date(),
                              certificate_no="Y350582202600000000002", issuing_body="晋江市职业技能鉴定中心")
    db.session.flush()
    as_of = evidence.collect([worker.id, unrecorded.id], datetime(2026, 6, 30).date())
    assert as_of[worker.id].skill_level == 4 and as_of[unrecorded.id].skill_level == 2
    assert evidence.collect([worker.id], datetime(2025, 12, 31).date())[worker.id].skill_level == 3
    assert evidence.collect([worker.id])[worker.id].skill_level == 5
