"""Results from levels above the city (services.honours.results): the city records recommendations and
their results with evidence; they count in the growth record and as title evidence."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import FileStorage

from core import clock
from models import db
from models.proposals import VALID, ProposalAuthor
from services.errors import NotAllowed, NotFound, RuleViolation
from services.growth import timeline
from services.honours import results
from services.titles import evidence
from tests.factories import WorkerFactory
from tests.factories_proposals import ProposalFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(datetime(2026, 11, 20, 2, tzinfo=UTC)):
        yield


def certificate():
    return FileStorage(io.BytesIO(PNG), filename="证书.png")


def test_only_the_city_records_higher_level_recommendations(world):
    for persona in ("hr_a", "worker_a", "judge"):
        with pytest.raises(NotAllowed):
            results.recommend_competitor(world.persona(persona), world.worker_a.id, "province", "福建省技能大赛",
                                         date(2026, 5, 1))


@pytest.mark.parametrize("level, contest, on, field", [
    ("city", "福建省技能大赛", date(2026, 5, 1), "level"),
    ("province", "省", date(2026, 5, 1), "contest"),
    ("province", "福建省技能大赛", date(2026, 12, 1), "recommended_on"),
])
def test_a_recommendation_names_a_higher_level_a_contest_and_a_past_day(world, level, contest, on, field):
    with pytest.raises(RuleViolation) as error:
        results.recommend_competitor(world.admin, world.worker_a.id, level, contest, on)
    assert error.value.field == field


def test_a_subject_is_recommended_to_one_contest_once(world):
    results.recommend_competitor(world.admin, world.worker_a.id, "province", "福建省技能大赛", date(2026, 5, 1))
    with pytest.raises(RuleViolation):
        results.recommend_competitor(world.admin, world.worker_a.id, "province", "福建省技能大赛", date(2026, 5, 2))
    with pytest.raises(RuleViolation) as error:
        results.recommend_competitor(world.admin, world.hr_a.id, "province", "福建省技能大赛", date(2026, 5, 2))
    assert error.value.field == "person_id"  # HR holds no worker role


def test_a_result_needs_a_prize_a_day_after_the_recommendation_and_evidence(world):
    record = results.recommend_competitor(world.admin, world.worker_a.id, "province", "福建省技能大赛",
                                          date(2026, 5, 1))
    for prize, on, file, field in (("", date(2026, 6, 1), certificate(), "prize"),
                                   ("first", date(2026, 4, 1), certificate(), "result_on"),
                                   ("first", date(2026, 6, 1), None, "evidence")):
        with pytest.raises(RuleViolation) as error:
            results.record_result(world.admin, record, prize, on, file)
        assert error.value.field == field
    results.record_result(world.admin, record, "second", date(2026, 6, 1), certificate())
    db.session.commit()
    assert (record.prize, record.evidence_file.original_name) == ("second", "证书.png")
    results.record_result(world.admin, record, "first", date(2026, 6, 2), None)  # a correction keeps the file
    assert record.prize == "first" and record.evidence_file is not None


def test_hr_sees_only_its_enterprises_records(world):
    day = date(2026, 5, 1)
    mine = results.recommend_competitor(world.admin, world.worker_a.id, "province", "福建省技能大赛", day)
    theirs = results.recommend_competitor(world.admin, world.worker_b.id, "province", "福建省技能大赛", day)
    db.session.commit()
    assert [r.id for r in db.session.scalars(results.records_query(world.hr_a))] == [mine.id]
    with pytest.raises(NotFound):
        results.get_record(world.hr_a, theirs.id)
    with pytest.raises(NotFound):
        results.get_record(world.worker_a, mine.id)


def test_a_provincial_prize_of_a_proposal_is_in_each_authors_growth_record_and_title_evidence(world):
    coauthor = WorkerFactory(enterprise=world.enterprise_a)
    proposal = ProposalFactory(proposer=world.worker_a, status=VALID, title="针车断线自动检测报警装置")
    proposal.authors[0].share = 60
    proposal.authors.append(ProposalAuthor(user_id=coauthor.id, share=40, position=1))
    db.session.commit()
    record = results.recommend_proposal(world.admin, proposal, "province", "2026年福建省五小创新成果评选",
                                        date(2026, 6, 1))
    assert evidence.evidence_for(coauthor.id).higher_results == []  # recommended, no result yet
    results.record_result(world.admin, record, "third", date(2026, 9, 1), certificate())
    db.session.commit()
    for person in (world.worker_a, coauthor):
        events = [e for e in timeline.timeline(person) if e.kind == "higher"]
        assert [e.title for e in events] == ["2026年福建省五小创新成果评选"]
        assert "三等奖" in events[0].detail and "针车断线" in events[0].detail
        honours = evidence.evidence_for(person.id).higher_results
        assert [(h.level, h.prize) for h in honours] == [("province", "third")]
    assert evidence.evidence_for(world.worker_b.id).higher_results == []


# --- a higher-level prize meets a title's "top N in a contest of at least level L" rule by itself ----------


def contest_only_title(**kw):
    """A title whose one rule is "a top-3 place in a contest of at least city level within 3 years"."""
    from models.titles import TitleType

    title_type = TitleType(name=kw.pop("name", "竞赛能手"), level="city", yearly_quota=5, competition_top_n=3,
                           competition_min_level=kw.pop("min_level", "city"), competition_within_years=3, **kw)
    db.session.add(title_type)
    db.session.commit()
    return title_type


def competitor_result(admin, person, prize, on, level="province", contest="2026年福建省职工职业技能大赛"):
    """The city records `person`'s result at a contest above the city (recommended and announced on `on`)."""
    record = results.recommend_competitor(admin, person.id, level, contest, on)
    results.record_result(admin, record, prize, on, certificate())
    db.session.commit()
    return record


def test_a_provincial_first_prize_alone_makes_a_worker_eligible(world):
    from services.titles import eligibility

    worker = WorkerFactory(enterprise=world.enterprise_a, skill_level=None, trade_since=None)
    title_type = contest_only_title()
    [verdict] = eligibility.evaluate(title_type, evidence.evidence_for(worker.id))
    assert not verdict.met  # nothing recorded yet
    competitor_result(world.admin, worker, "first", date(2026, 6, 1))
    [verdict] = eligibility.evaluate(title_type, evidence.evidence_for(worker.id))
    assert verdict.met and eligibility.unmet([verdict]) == []
    assert "2026年福建省职工职业技能大赛" in str(verdict.detail) and "一等奖" in str(verdict.detail)


def test_a_provincial_prize_of_a_proposal_counts_for_each_author(world):
    from services.titles import eligibility

    coauthor = WorkerFactory(enterprise=world.enterprise_a, skill_level=None)
    proposal = ProposalFactory(proposer=world.worker_a, status=VALID)
    proposal.authors[0].share = 50
    proposal.authors.append(ProposalAuthor(user_id=coauthor.id, share=50, position=1))
    db.session.commit()
    record = results.recommend_proposal(world.admin, proposal, "province", "2026年福建省五小创新成果评选",
                                        date(2026, 6, 1))
    results.record_result(world.admin, record, "gold", date(2026, 9, 1), certificate())
    db.session.commit()
    title_type = contest_only_title()
    for person in (world.worker_a, coauthor):
        assert [r.met for r in eligibility.evaluate(title_type, evidence.evidence_for(person.id))] == [True]


@pytest.mark.parametrize("prize, on, level, min_level", [
    ("honourable", date(2026, 6, 1), "province", "city"),   # 优秀奖 is no top-3 place
    ("none", date(2026, 6, 1), "province", "city"),         # took part without a prize
    ("first", date(2023, 11, 19), "province", "city"),      # more than 3 years before today
    ("first", date(2026, 6, 1), "prefecture", "province"),  # below the rule's level
])
def test_prizes_that_do_not_place_or_fall_outside_the_rule_do_not_count(world, prize, on, level, min_level):
    from services.titles import eligibility

    worker = WorkerFactory(enterprise=world.enterprise_a, skill_level=None)
    competitor_result(world.admin, worker, prize, on, level=level)
    [verdict] = eligibility.evaluate(contest_only_title(min_level=min_level), evidence.evidence_for(worker.id))
    assert not verdict.met


def test_the_default_city_craftsman_rule_takes_a_provincial_prize_instead_of_the_skill_level(world):
    from services.titles import eligibility
    from tests.factories_titles import default_titles

    worker = WorkerFactory(enterprise=world.enterprise_a, skill_level=2, trade_since=date(2015, 1, 1))
    craftsman = default_titles()["晋江工匠"]
    assert eligibility.unmet(eligibility.evaluate(craftsman, evidence.evidence_for(worker.id)))
    competitor_result(world.admin, worker, "second", date(2025, 12, 1))
    assert eligibility.unmet(eligibility.evaluate(craftsman, evidence.evidence_for(worker.id))) == []
