"""Training in the yearly report (services/report/training.py): the same figures as the training figures
page for each year (services/training/figures.py), people counted once over a span, roll-up from an
enterprise's programme to its town and the city, and trainees in the participation part."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from models import db
from models.training import TrainingCost
from services.report import participation
from services.report import training as report_training
from services.report.periods import Span
from services.report.scope import CITY, ENTERPRISE, TOWN, ReportScope
from services.training import figures as training_figures
from tests.factories import WorkerFactory
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory


def build(world):
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                 starts_on=date(2025, 11, 1), ends_on=date(2026, 3, 1))
    autumn = ClassFactory(programme=programme, starts_at=datetime(2025, 11, 3, 1, tzinfo=UTC), hours=Decimal("4.0"))
    spring = ClassFactory(programme=programme, starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC), hours=Decimal("3.5"))
    enrolment = EnrolmentFactory(programme=programme, worker=world.worker_b, completed_at=datetime(2026, 3, 2, 9,
                                                                                                   tzinfo=UTC))
    AttendanceFactory(training_class=autumn, enrolment=enrolment)
    AttendanceFactory(training_class=spring, enrolment=enrolment)
    db.session.add(TrainingCost(programme_id=programme.id, category="venue", amount=Decimal("1200.00"),
                                funding_source="union", spent_on=date(2026, 3, 2)))
    db.session.commit()


def test_the_same_figures_as_the_training_page_with_people_once_over_the_span(world):
    build(world)
    span = Span(2025, 2026)
    for scope in (ReportScope(CITY, None, "全市"), ReportScope(TOWN, world.enterprise_b.town_id, "乙镇"),
                  ReportScope(ENTERPRISE, world.enterprise_b.id, "乙")):
        section = report_training.section(scope, span)
        for year in span.years:
            page = training_figures.figures(report_training.owner_scope(scope), year)
            assert section.figure("programmes").value(year) == page.programmes
            assert section.figure("classes").value(year) == page.classes
            assert section.figure("attendances").value(year) == page.attendances
            assert section.figure("people").value(year) == page.people
            assert section.figure("hours").value(year) == page.hours
            assert section.figure("team_leaders").value(year) == page.team_leaders
        assert section.figure("attendances").total == 2
        assert section.figure("people").total == 1  # the same trainee in both years
        assert section.figure("hours").total == Decimal("7.5")
        assert [fig.value(2026) for _, fig in section.breakdowns[0].rows] == [Decimal("1200.00")]
    elsewhere = report_training.section(ReportScope(ENTERPRISE, world.enterprise_a.id, "甲"), span)
    assert elsewhere.figure("attendances").total == 0


def test_trainees_take_part(world):
    build(world)
    section = participation.section(ReportScope(ENTERPRISE, world.enterprise_b.id, "乙"), Span(2025, 2026))
    assert section.figure("people").value(2025) == 1 and section.figure("people").total == 1


def test_labels_carry_no_unit_and_definitions_end_like_sentences(world):
    """The page shows each figure's unit beside its label (tryout: "培训项目（个）（项）")."""
    section = report_training.section(ReportScope(CITY, None, "全市"), Span(2026, 2026))
    for fig in section.figures:
        assert "（" not in str(fig.label), fig.key
        assert str(fig.definition).endswith("。"), fig.key
    people = participation.section(ReportScope(CITY, None, "全市"), Span(2026, 2026)).figure("enterprises")
    assert people.unit == "enterprises"


def test_each_definition_says_which_organisers_programmes_it_counts(world):
    """No definition refers to organisers "above" (上述主办方) that no earlier definition names: the
    programmes, classes and money definitions each name the scope's organisers (本范围主办方), the
    programmes' says who they are at each level, and the rest count the records of those (上述考勤)."""
    build(world)
    section = report_training.section(ReportScope(CITY, None, "全市"), Span(2026, 2026))
    definitions = {f.key: str(f.definition) for f in section.figures}
    definitions |= {b.key: str(b.definition) for b in section.breakdowns}
    assert not [key for key, text in definitions.items() if "上述主办方" in text]
    for key in ("programmes", "classes", "money"):
        assert "本范围主办方" in definitions[key], key
    assert all(level in definitions["programmes"] for level in ("企业", "镇（街道）", "全市"))


def test_attendances_by_month_of_the_last_year(world):
    """The chart counts the attendances figure's records by the month of the class's start (Shanghai)."""
    build(world)
    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                 starts_on=date(2026, 3, 1), ends_on=date(2026, 6, 1))
    # 31 March, 17:00 UTC is 1 April, 01:00 in Shanghai: April's
    april = ClassFactory(programme=programme, starts_at=datetime(2026, 3, 31, 17, tzinfo=UTC), hours=Decimal("2.0"))
    for worker, status in ((world.worker_b, "present"), (WorkerFactory(enterprise=world.enterprise_b), "late"),
                           (WorkerFactory(enterprise=world.enterprise_b), "absent")):
        AttendanceFactory(training_class=april, enrolment=EnrolmentFactory(programme=programme, worker=worker),
                          status=status)
    other = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                             starts_on=date(2026, 5, 1), ends_on=date(2026, 6, 1))
    may = ClassFactory(programme=other, starts_at=datetime(2026, 5, 5, 1, tzinfo=UTC))
    AttendanceFactory(training_class=may, enrolment=EnrolmentFactory(programme=other, worker=world.worker_a))
    db.session.commit()
    span = Span(2025, 2026)
    expected = {ReportScope(CITY, None, "全市"): {3: 1, 4: 2, 5: 1},
                ReportScope(TOWN, world.enterprise_b.town_id, "乙镇"): {3: 1, 4: 2},
                ReportScope(ENTERPRISE, world.enterprise_b.id, "乙"): {3: 1, 4: 2}}
    for scope, months in expected.items():
        section = report_training.section(scope, span)
        series = next(s for s in section.series if s.key == "attendances_by_month")
        assert [value for _, value in series.points] == [months.get(m, 0) for m in range(1, 13)], scope
        assert sum(value for _, value in series.points) == section.figure("attendances").value(2026)
        assert "2026" in str(series.title)
