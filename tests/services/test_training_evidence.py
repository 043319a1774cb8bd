"""Training as evidence (services/training/evidence.py): the two rule kinds on a title type's eligibility
and on the mentoring settings' mentor rule, read in one query per source for any number of workers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core import clock
from models import db
from services.errors import RuleViolation
from services.mentorship import pairing, settings
from services.titles import eligibility, evidence, types
from services.training import certificates
from services.training import evidence as training_evidence
from tests.factories import TradeFactory, WorkerFactory
from tests.querycount import count_queries
from tests.training_completion_scene import finished_programme


def _title(admin, **rules):
    data = types.TitleTypeData(name="晋江金牌班组长", level="city", yearly_quota=5, min_skill_level=1, **rules)
    title_type = types.save_title_type(admin, None, data)
    db.session.commit()
    return title_type


def _rule(title_type, worker, code):
    results = eligibility.evaluate(title_type, evidence.evidence_for(worker.id))
    return next(r for r in results if r.code == code)


def test_a_completed_team_leader_programme_satisfies_the_title_rule(world):
    finished_programme(world)  # worker_b completed it, the judge did not
    title_type = _title(world.admin, training_programme_kind="team_leader", training_programme_years=3)
    met = _rule(title_type, world.worker_b, "training_programme")
    assert met.met and "班组长管理能力提升班" in str(met.detail)
    assert not _rule(title_type, world.judge, "training_programme").met
    assert not _rule(title_type, world.worker_a, "training_programme").met
    record = eligibility.evidence_record(evidence.evidence_for(world.worker_b.id), [met])
    assert record["training"]["hours"] == "8.0" and record["training"]["completions"][0]["kind"] == "team_leader"


def test_a_revoked_certificate_or_another_kind_does_not_count(world):
    scene = finished_programme(world)
    safety = _title(world.admin, training_programme_kind="safety")
    assert not _rule(safety, world.worker_b, "training_programme").met
    leader = types.save_title_type(world.admin, None, types.TitleTypeData(
        name="班组长标兵", level="city", yearly_quota=5, min_skill_level=1, training_programme_kind="team_leader"))
    certificates.revoke_certificate(world.hr_b, scene["full"], "签到作假")
    db.session.commit()
    assert not _rule(leader, world.worker_b, "training_programme").met


def test_the_window_of_years_counts_back_from_today(world):
    finished_programme(world)
    title_type = _title(world.admin, training_programme_kind="team_leader", training_programme_years=1,
                        training_min_hours=Decimal("6"), training_hours_years=1)
    assert _rule(title_type, world.worker_b, "training_programme").met
    assert _rule(title_type, world.worker_b, "training_hours").met  # 8 hours
    assert not _rule(title_type, world.judge, "training_hours").met  # 4 hours
    with clock.frozen(clock.now() + timedelta(days=400)):
        assert not _rule(title_type, world.worker_b, "training_programme").met
        assert not _rule(title_type, world.worker_b, "training_hours").met


def test_training_rules_are_checked_when_saved(world):
    for rules, field in (({"training_min_hours": Decimal("0")}, "training_min_hours"),
                         ({"training_programme_kind": "juggling"}, "training_programme_kind"),
                         ({"training_programme_kind": "safety", "training_programme_years": 0},
                          "training_programme_years")):
        with pytest.raises(RuleViolation) as error:
            _title(world.admin, **rules)
        assert error.value.field == field
        db.session.rollback()


def test_evidence_is_two_queries_for_any_number_of_workers(world):
    finished_programme(world)
    ids = [world.worker_b.id, world.judge.id] + [WorkerFactory().id for _ in range(10)]
    db.session.commit()
    with count_queries() as queries:
        found = training_evidence.collect(ids)
    assert queries.count == 2 and found[world.judge.id].hours_within(None, clock.today()) == Decimal("4.0")


def test_the_mentor_rule_may_ask_for_a_completed_programme(world):
    finished_programme(world)  # worker_b (enterprise B) completed the team-leader programme
    settings.update_settings(world.admin, training_programme_kind="team_leader", training_programme_years=3)
    trade = TradeFactory(name="织布工")
    apprentice = WorkerFactory(enterprise=world.enterprise_b, trade=trade, skill_level=1)
    without = WorkerFactory(enterprise=world.enterprise_b, trade=trade, skill_level=4, name="没培训的师傅")
    world.worker_b.skill_level = 4
    db.session.commit()

    def plan(mentor):
        return pairing.PairPlan(mentor_id=mentor.id, apprentice_id=apprentice.id, trade_id=trade.id, goal_level=2,
                                goals="掌握织布工艺", start_date=clock.today())

    with pytest.raises(RuleViolation) as error:
        pairing.create_pair(world.hr_b, plan(without))
    assert error.value.field == "mentor_id" and "培训条件" in str(error.value.message)
    db.session.rollback()
    assert pairing.create_pair(world.hr_b, plan(world.worker_b)).mentor_id == world.worker_b.id
