"""Mentoring, titles and participation in the yearly report (services/report/mentoring.py, titles.py,
participation.py): known totals, a pair dissolved in its first month, a revoked title, a worker counted in
several parts once, a worker who changed employer mid-year counted for each employer's scope."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core import clock
from models import db
from models.mentorship import Assessment, MentorPair
from services.mentorship.drill import conditions
from services.report import mentoring, participation, titles
from services.report.drill import ReportFilter
from services.report.periods import Span
from services.report.scope import CITY, ENTERPRISE, ReportScope
from services.titles import awards, nominations
from tests.factories import WorkerFactory
from tests.factories_mentorship import MentorPairFactory
from tests.factories_proposals import ProposalFactory
from tests.factories_titles import default_titles, make_eligible, open_round

SPAN = Span(2026, 2026)


def city():
    return ReportScope(CITY, None, "全市")


def test_mentoring_known_totals(world):
    a = world.enterprise_a
    done = MentorPairFactory(mentor=WorkerFactory(enterprise=a, skill_level=4), start_date=date(2025, 3, 1),
                             activated_on=date(2025, 3, 1), status="completed", ended_on=date(2026, 3, 1))
    db.session.add(Assessment(pair_id=done.id, assessed_on=date(2026, 3, 1), grade="excellent", assessor="鉴定站"))
    second = MentorPairFactory(mentor=WorkerFactory(enterprise=a, skill_level=4), start_date=date(2026, 2, 1),
                               activated_on=date(2026, 2, 1))
    # dissolved in its first month
    dissolved = MentorPairFactory(mentor=WorkerFactory(enterprise=world.enterprise_b, skill_level=4),
                                  start_date=date(2026, 4, 1), activated_on=date(2026, 4, 1), status="ended_early",
                                  ended_on=date(2026, 4, 20))
    db.session.commit()
    section = mentoring.section(city(), SPAN)
    assert section.figure("formed").value(2026) == 2 and section.figure("formed").value(2025) == 1
    assert section.figure("active").value(2026) == 3 and section.figure("active").value(2025) == 1
    assert section.figure("completed").value(2026) == 1
    assert section.figure("dissolved").value(2026) == 1
    of_a = mentoring.section(ReportScope(ENTERPRISE, a.id, "甲"), SPAN)
    assert of_a.figure("formed").value(2026) == 1 and of_a.figure("dissolved").value(2026) == 0
    assert section.figure("active").total == 3
    # over 2025-2026 the pair active in both years is one pair of the total (not 1 + 3), and the pair list
    # behind the total lists exactly the three
    span = Span(2025, 2026)
    active = mentoring.section(city(), span).figure("active")
    assert active.values[2025] == 1 and active.values[2026] == 3 and active.total == 3
    listed = db.session.scalars(db.select(MentorPair.id).where(
        *conditions("active", ReportFilter(span, city())))).all()
    assert sorted(listed) == sorted(p.id for p in (done, second, dissolved))
    assert mentoring.section(city(), Span(2024, 2025)).figure("active").total == 1


def test_titles_count_awards_and_revocations(world):
    title = default_titles()["晋江工匠"]
    make_eligible(world.hr_a, world.worker_a)
    make_eligible(world.hr_b, world.worker_b)
    start = datetime(2026, 3, 2, 2, tzinfo=UTC)
    with clock.frozen(start):
        title_round = open_round(world.admin, title)
        granted = []
        for hr, worker in ((world.hr_a, world.worker_a), (world.hr_b, world.worker_b)):
            nomination = nominations.nominate(hr, title_round, worker, "长期扎根一线，技术精湛，带出多名技术骨干。")
            nominations.review_nomination(world.admin, nomination, True, "事迹属实")
            granted.append(awards.award(world.admin, nomination))
        db.session.commit()
    with clock.frozen(start + timedelta(days=31)):
        awards.publish_awards(world.admin, title_round)
        db.session.commit()
    with clock.frozen(start + timedelta(days=45)):
        awards.finalise_round(world.admin, title_round)
        db.session.commit()
    with clock.frozen(datetime(2026, 9, 1, 2, tzinfo=UTC)):
        awards.revoke_award(world.admin, granted[1], "材料不实")
        db.session.commit()
    section = titles.section(city(), SPAN)
    assert section.figure("awarded").value(2026) == 1
    assert section.figure("revoked").value(2026) == 1
    assert section.figure("nominations").value(2026) == 2
    assert [fig.value(2026) for _, fig in section.breakdowns[0].rows] == [1]
    of_b = titles.section(ReportScope(ENTERPRISE, world.enterprise_b.id, "乙"), SPAN)
    assert of_b.figure("awarded").value(2026) == 0 and of_b.figure("revoked").value(2026) == 1


def test_participation_counts_people_once_across_parts_and_employers(world):
    mover = WorkerFactory(enterprise=world.enterprise_a)
    ProposalFactory(proposer=mover, submitted_at=datetime(2026, 3, 1, 2, tzinfo=UTC))
    MentorPairFactory(mentor=WorkerFactory(enterprise=world.enterprise_a, skill_level=4),
                      apprentice=mover, start_date=date(2026, 3, 5), activated_on=date(2026, 3, 5))
    # the mover changes employer mid-year and proposes again from B
    mover.enterprise_id = world.enterprise_b.id
    ProposalFactory(proposer=mover, submitted_at=datetime(2026, 9, 1, 2, tzinfo=UTC))
    db.session.commit()
    whole = participation.section(city(), SPAN)
    assert whole.figure("people").value(2026) == 2  # the mover (three records) and the mentor
    assert whole.figure("enterprises").value(2026) == 2
    of_a = participation.section(ReportScope(ENTERPRISE, world.enterprise_a.id, "甲"), SPAN)
    of_b = participation.section(ReportScope(ENTERPRISE, world.enterprise_b.id, "乙"), SPAN)
    assert of_a.figure("people").value(2026) == 2 and of_b.figure("people").value(2026) == 1
    assert of_b.figure("enterprises").value(2026) == 1


def test_participation_by_industry_follows_the_enterprise_of_each_record(world):
    world.enterprise_b.industry = "textile"
    mover = WorkerFactory(enterprise=world.enterprise_a)
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=4)
    ProposalFactory(proposer=mover, submitted_at=datetime(2026, 3, 1, 2, tzinfo=UTC))
    MentorPairFactory(mentor=mentor, apprentice=mover, start_date=date(2026, 3, 5), activated_on=date(2026, 3, 5))
    ProposalFactory(proposer=world.worker_b, submitted_at=datetime(2025, 6, 1, 2, tzinfo=UTC))  # the year before
    # the mover changes employer mid-year (to B, textile) and proposes again
    mover.enterprise_id = world.enterprise_b.id
    ProposalFactory(proposer=mover, submitted_at=datetime(2026, 9, 1, 2, tzinfo=UTC))
    db.session.commit()

    def chart(scope, key):
        series = next(s for s in participation.section(scope, Span(2025, 2026)).series if s.key == key)
        assert "2026" in str(series.title)
        return {str(label): value for label, value in series.points}

    # footwear (A): the mover's first proposal and the pair, the mentor; textile (B): the mover's second
    assert chart(city(), "people_by_industry") == {"鞋服制造": 2, "纺织化纤": 1}
    assert chart(city(), "enterprises_by_industry") == {"鞋服制造": 1, "纺织化纤": 1}
    of_b = ReportScope(ENTERPRISE, world.enterprise_b.id, "乙")
    assert chart(of_b, "people_by_industry") == {"纺织化纤": 1}
    # distinct within an industry, not across: the mover is one person of the city's two
    assert participation.section(city(), SPAN).figure("people").value(2026) == 2
