"""Training: education and skill upgrades, spending, figures per owner and year (services/training/upgrades.py,
spending.py, figures.py)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

from core import clock
from models import AuditLog, db
from models.employment import Employment
from models.skills import REASON_CERTIFICATE, REASON_CORRECTION, SkillLevelChange
from models.training import (
    ABSENT,
    CANCELLED,
    DRAFT,
    FINISHED,
    LATE,
    SAFETY,
    TrainingAttendance,
    TrainingEnrolment,
)
from services.common import skills
from services.errors import NotAllowed, NotFound, RuleViolation
from services.growth.timeline import timeline
from services.training import figures, spending, upgrades
from tests.factories import WorkerFactory
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
CERT = "Y350582202611240000001"


@pytest.fixture(autouse=True)
def _clock():
    with clock.frozen(NOW):
        yield


def evidence(name="毕业证.png"):
    return FileStorage(io.BytesIO(PNG), filename=name)


def education(level="college", **kw):
    data = {"education": level, "school": "泉州职业技术大学", "graduated_on": date(2026, 7, 1)}
    data.update(kw)
    return upgrades.EducationData(**data)


def b_programme(world, **kw):
    return ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id, **kw)


# --- education upgrades -----------------------------------------------------------------------------------


def test_education_upgrade_updates_profile_is_audited_and_shows_on_growth_record(world):
    world.worker_a.education = "secondary_vocational"
    programme = ProgrammeFactory(name="学历提升助学班")
    upgrade = upgrades.record_education_upgrade(
        world.hr_a, world.worker_a, education(programme_id=programme.id, subsidy="1,500.00"), evidence())
    assert world.worker_a.education == "college"
    assert (upgrade.previous_education, upgrade.enterprise_id) == ("secondary_vocational", world.enterprise_a.id)
    assert upgrade.subsidy == Decimal("1500.00") and upgrade.programme_id == programme.id
    assert upgrade.evidence_file_id is not None
    audit = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "education.upgraded"))
    assert audit.detail["subsidy"] == "1500.00" and audit.detail["previous"] == "secondary_vocational"
    events = [e for e in timeline(world.worker_a) if e.kind == "education"]
    assert len(events) == 1 and events[0].on == date(2026, 7, 1) and "学历提升助学班" in events[0].detail


@pytest.mark.parametrize("data, field", [
    (education("high_school"), "education"),  # not higher than 中专
    (education("secondary_vocational"), "education"),  # the same
    (education("phd"), "education"),  # not a level
    (education(school=" "), "school"),
    (education(graduated_on=date(2026, 11, 21)), "graduated_on"),  # tomorrow in Shanghai
    (education(subsidy="-1"), "subsidy"),
    (education(subsidy="10.001"), "subsidy"),
])
def test_education_upgrade_rules(world, data, field):
    world.worker_a.education = "secondary_vocational"
    with pytest.raises(RuleViolation) as refused:
        upgrades.record_education_upgrade(world.hr_a, world.worker_a, data, evidence())
    assert refused.value.field == field
    assert world.worker_a.education == "secondary_vocational"


def test_education_upgrade_needs_evidence_of_an_allowed_kind(world):
    with pytest.raises(RuleViolation) as missing:
        upgrades.record_education_upgrade(world.hr_a, world.worker_a, education(), None)
    assert missing.value.field == "evidence"
    bad = FileStorage(io.BytesIO(b"MZ" + b"\x00" * 20), filename="x.png")
    with pytest.raises(RuleViolation) as wrong:
        upgrades.record_education_upgrade(world.hr_a, world.worker_a, education(), bad)
    assert wrong.value.field == "evidence"


def test_any_level_when_none_recorded_and_only_own_workers(world):
    world.worker_a.education = None
    upgrades.record_education_upgrade(world.hr_a, world.worker_a, education("junior_high"), evidence())
    with pytest.raises(NotFound):
        upgrades.record_education_upgrade(world.hr_b, world.worker_a, education("bachelor"), evidence())
    with pytest.raises(NotFound):
        upgrades.record_education_upgrade(world.town_a, world.worker_a, education("bachelor"), evidence())


def test_programme_must_be_visible_and_not_draft_or_cancelled(world):
    for programme in (b_programme(world), ProgrammeFactory(status=DRAFT), ProgrammeFactory(status=CANCELLED)):
        with pytest.raises(RuleViolation) as refused:
            upgrades.record_education_upgrade(world.hr_a, world.worker_a, education(programme_id=programme.id),
                                              evidence())
        assert refused.value.field == "programme_id"
    assert [p.id for p in upgrades.programme_choices(world.hr_a)] == []  # none of those is offered


def test_evidence_is_seen_by_the_person_and_managers_in_scope(world):
    upgrade = upgrades.record_education_upgrade(world.hr_a, world.worker_a, education(), evidence())
    for actor in (world.worker_a, world.hr_a, world.town_a, world.admin):
        assert upgrades.evidence_file(actor, upgrade.id).id == upgrade.evidence_file_id
    for actor in (world.hr_b, world.town_b, world.worker_b):
        with pytest.raises(NotFound):
            upgrades.evidence_file(actor, upgrade.id)


# --- skill upgrades ---------------------------------------------------------------------------------------


def test_skill_certificate_takes_a_programme_and_a_subsidy(world):
    programme = ProgrammeFactory()
    entry = skills.record_certificate(world.hr_a, world.worker_a, 3, CERT, "晋江市职业技能鉴定中心", date(2026, 11, 1),
                                      programme_id=programme.id, subsidy=Decimal("800"))
    assert (entry.source_type, entry.source_id, entry.subsidy) == ("training_programme", programme.id,
                                                                  Decimal("800"))
    assert world.worker_a.skill_level == 3


def test_skill_certificate_without_the_new_fields_is_unchanged(world):
    entry = skills.record_certificate(world.hr_a, world.worker_a, 3, CERT, "鉴定中心", date(2026, 11, 1))
    assert entry.source_type is None and entry.subsidy is None


def test_skill_certificate_refuses_a_programme_out_of_reach(world):
    with pytest.raises(RuleViolation) as refused:
        skills.record_certificate(world.hr_a, world.worker_a, 3, CERT, "鉴定中心", date(2026, 11, 1),
                                  programme_id=b_programme(world).id)
    assert refused.value.field == "programme_id"
    assert world.worker_a.skill_level == 2


# --- spending ---------------------------------------------------------------------------------------------


def cost(**kw):
    data = {"category": "venue", "amount": "3,000.50", "funding_source": "union", "spent_on": date(2026, 11, 10),
            "note": "实训基地场地"}
    data.update(kw)
    return spending.CostData(**data)


def test_owner_records_edits_and_deletes_costs_until_finished(world):
    programme = b_programme(world, budget=Decimal("5000"))
    first = spending.record_cost(world.hr_b, programme, cost(), evidence("确认件.png"))
    second = spending.record_cost(world.hr_b, programme, cost(category="trainer_fee", amount="2500",
                                                              funding_source="enterprise"))
    assert first.amount == Decimal("3000.50") and first.confirmation_file_id is not None
    summary = spending.spending_summary(programme)
    assert summary.by_category["venue"] == Decimal("3000.50") and summary.by_category["materials"] == 0
    assert summary.total == Decimal("5500.50") and summary.over_budget and summary.remaining == Decimal("-500.50")
    assert summary.by_source == {"union": Decimal("3000.50"), "enterprise": Decimal("2500")}
    spending.update_cost(world.hr_b, second, cost(category="trainer_fee", amount="1000", funding_source="enterprise"))
    spending.delete_cost(world.hr_b, first)
    assert spending.spending_summary(programme).total == Decimal("1000")
    actions = set(db.session.scalars(db.select(AuditLog.action).where(AuditLog.action.like("training.cost%"))))
    assert actions == {"training.cost_recorded", "training.cost_updated", "training.cost_deleted"}
    programme.status = FINISHED
    with pytest.raises(RuleViolation):
        spending.update_cost(world.hr_b, second, cost())
    with pytest.raises(RuleViolation):
        spending.delete_cost(world.hr_b, second)
    late = spending.record_cost(world.hr_b, programme, cost(category="materials", amount="200"))
    assert late.id is not None  # a bill that arrives after the end is still recorded


@pytest.mark.parametrize("data, field", [
    (cost(category="food"), "category"), (cost(amount="0"), "amount"), (cost(amount="-5"), "amount"),
    (cost(amount="1.234"), "amount"), (cost(amount=""), "amount"), (cost(funding_source="x"), "funding_source"),
    (cost(spent_on=date(2026, 12, 1)), "spent_on"), (cost(spent_on=None), "spent_on"), (cost(note="长" * 201), "note"),
])
def test_cost_rules(world, data, field):
    with pytest.raises(RuleViolation) as refused:
        spending.record_cost(world.hr_b, b_programme(world), data)
    assert refused.value.field == field


def test_only_the_owner_records_costs(world):
    programme = b_programme(world)
    with pytest.raises(NotAllowed):
        spending.record_cost(world.town_b, programme, cost())  # the level above sees, never acts
    with pytest.raises(NotFound):
        spending.record_cost(world.hr_a, programme, cost())


# --- figures ----------------------------------------------------------------------------------------------


def at(year, month, day, hour=9):
    """A moment given in Shanghai wall time."""
    return datetime(year, month, day, hour, tzinfo=clock.SHANGHAI)


def attend(programme, worker, starts_at, status="present", hours="4.0"):
    training_class = ClassFactory(programme=programme, starts_at=starts_at, hours=Decimal(hours))
    enrolment = (db.session.scalar(db.select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.worker_id == worker.id))
        or EnrolmentFactory(programme=programme, worker=worker))
    return AttendanceFactory(training_class=training_class, enrolment=enrolment, status=status,
                             hours=Decimal(hours) if status != ABSENT else Decimal(0))


def test_figures_roll_up_and_count_by_the_class_start_in_shanghai(world):
    town_a = world.enterprise_a.town
    a_programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id,
                                   starts_on=date(2026, 3, 1), kind=SAFETY)
    town_programme = ProgrammeFactory(owner_level="town", owner_town_id=town_a.id, starts_on=date(2026, 5, 1))
    city_programme = ProgrammeFactory(starts_on=date(2026, 6, 1))
    ProgrammeFactory(owner_level="town", owner_town_id=town_a.id, starts_on=date(2026, 5, 1), status=DRAFT)
    other = WorkerFactory(enterprise=world.enterprise_a)
    attend(a_programme, world.worker_a, at(2026, 3, 2))
    attend(a_programme, other, at(2026, 3, 2), status=LATE, hours="3.5")
    attend(town_programme, world.worker_a, at(2026, 5, 2))
    attend(town_programme, other, at(2026, 5, 3), status=ABSENT)
    attend(city_programme, world.worker_b, at(2026, 6, 2))
    # 2027-01-01 07:00 in Shanghai is still 2026 in UTC: it counts in 2027
    attend(town_programme, world.worker_a, datetime(2026, 12, 31, 23, 0, tzinfo=UTC))

    enterprise = figures.figures(figures.figures_scope(world.hr_a), 2026)
    assert (enterprise.programmes, enterprise.classes, enterprise.attendances, enterprise.people) == (1, 2, 2, 2)
    assert enterprise.hours == Decimal("7.5")
    town = figures.figures(figures.figures_scope(world.town_a), 2026)
    assert (town.programmes, town.classes, town.attendances, town.people) == (2, 4, 3, 2)
    city = figures.figures(figures.figures_scope(world.admin), 2026)
    assert (city.programmes, city.attendances, city.people) == (3, 4, 3)
    assert figures.figures(figures.figures_scope(world.admin), 2027).attendances == 1
    assert figures.figures(figures.figures_scope(world.admin, town_a.id), 2026).attendances == 3
    assert figures.figures(figures.figures_scope(world.hr_b), 2026).attendances == 0


def test_team_leaders_money_and_upgrades(world):
    town_a = world.enterprise_a.town
    leaders = ProgrammeFactory(owner_level="town", owner_town_id=town_a.id, starts_on=date(2026, 4, 1))
    for worker, completed in ((world.worker_a, at(2026, 4, 30)), (WorkerFactory(enterprise=world.enterprise_a),
                                                                   at(2025, 12, 30))):
        EnrolmentFactory(programme=leaders, worker=worker, completed_at=completed)
    spending.record_cost(world.town_a, leaders, cost(amount="1000", spent_on=date(2026, 4, 2)))
    spending.record_cost(world.town_a, leaders, cost(amount="500", funding_source="government",
                                                     spent_on=date(2026, 4, 3)))
    spending.record_cost(world.town_a, leaders, cost(amount="70", spent_on=date(2025, 12, 1)))
    # upgrades: worker_a raises both (counted once); worker_b raises a level in 2026 at B
    world.worker_a.education = None
    upgrades.record_education_upgrade(world.hr_a, world.worker_a, education(graduated_on=date(2026, 6, 1)), evidence())
    skills.record_certificate(world.hr_a, world.worker_a, 3, CERT, "鉴定中心", date(2026, 8, 1))
    skills.record_certificate(world.hr_b, world.worker_b, 3, "Y350582202611240000002", "鉴定中心", date(2026, 8, 1))
    skills.change_skill_level(world.hr_b, world.worker_b, 2, reason=REASON_CORRECTION)  # a correction is not one
    town = figures.figures(figures.figures_scope(world.town_a), 2026)
    assert town.team_leaders == 1
    assert town.money == {"union": Decimal("1000.00"), "government": Decimal("500.00")}
    assert town.money_total == Decimal("1500.00")
    assert town.upgraded == 1
    assert figures.figures(figures.figures_scope(world.admin), 2026).upgraded == 2
    assert figures.figures(figures.figures_scope(world.hr_b), 2026).upgraded == 1
    assert figures.figures(figures.figures_scope(world.admin), 2025).team_leaders == 1


def test_skill_upgrades_count_where_the_person_worked_then(world):
    """A person who moved from A to B counts at A for a certificate taken while at A."""
    mover = WorkerFactory(enterprise=world.enterprise_b)
    db.session.add_all([
        Employment(user_id=mover.id, enterprise_id=world.enterprise_a.id, started_on=date(2020, 1, 1),
                   ended_on=date(2026, 9, 1)),
        Employment(user_id=mover.id, enterprise_id=world.enterprise_b.id, started_on=date(2026, 9, 1))])
    db.session.add(SkillLevelChange(user_id=mover.id, level=3, previous_level=2, reason=REASON_CERTIFICATE,
                                    effective_date=date(2026, 8, 31)))
    db.session.flush()
    assert figures.count_upgraded(figures.figures_scope(world.hr_a), 2026) == 1
    assert figures.count_upgraded(figures.figures_scope(world.hr_b), 2026) == 0


def test_figures_scope(world):
    assert figures.figures_scope(world.hr_a).enterprise_id == world.enterprise_a.id
    assert figures.figures_scope(world.town_b).town_id == world.enterprise_b.town_id
    assert figures.figures_scope(world.admin).level == "city"
    with pytest.raises(NotAllowed):
        figures.figures_scope(world.worker_a)
    with pytest.raises(NotFound):
        figures.figures_scope(world.admin, 999999)
    # the levels above an enterprise may look at its figures; nobody else
    below = figures.figures_scope(world.town_b, enterprise_id=world.enterprise_b.id)
    assert below.enterprise_id == world.enterprise_b.id
    assert figures.figures_scope(world.admin, enterprise_id=world.enterprise_b.id).level == "enterprise"
    for actor in (world.town_a, world.hr_a):
        with pytest.raises(NotFound):
            figures.figures_scope(actor, enterprise_id=world.enterprise_b.id)


def test_figures_cost_the_same_queries_whatever_the_rows(world):
    """Each figure is one query: the count stays the same from a handful of attendances to thousands."""
    from tests.querycount import count_queries

    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    enrolment = EnrolmentFactory(programme=programme, worker=world.worker_a)
    scope = figures.figures_scope(world.admin)
    with count_queries() as few:
        figures.figures(scope, 2026)
    classes = [ClassFactory(programme=programme, starts_at=at(2026, 1, 1) + timedelta(hours=6 * i))
               for i in range(20)]
    workers = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(105)]
    db.session.flush()
    rows = [{"class_id": c.id, "programme_id": programme.id, "enrolment_id": enrolment.id, "worker_id": w.id,
             "enterprise_id": world.enterprise_a.id, "status": "present", "method": "qr", "hours": Decimal("4.0"),
             "recorded_at": NOW, "updated_at": NOW} for c in classes for w in workers]
    db.session.execute(db.insert(TrainingAttendance), rows)
    assert len(rows) >= 2000
    db.session.commit()  # the data version moves: counted again (services/common/figures_cache.py)
    with count_queries() as many:
        result = figures.figures(scope, 2026)
    assert result.attendances == len(rows)
    assert many.count == few.count <= 1 + 6  # the data version, then the figures


def test_workbook_keeps_text_as_text(world):
    from openpyxl import load_workbook

    scope = figures.FiguresScope("city", name="=HYPERLINK(\"x\")")
    data = figures.figures_workbook(scope, figures.figures(scope, 2026))
    sheet = load_workbook(io.BytesIO(data))["培训统计"]
    assert sheet["C2"].value == "=HYPERLINK(\"x\")" and sheet["C2"].data_type == "s"
