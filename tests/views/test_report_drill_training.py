"""The report's training drill-down (blueprints/report DRILL_DOWN, services/training/report_records.py): every
training figure and money row links, per year and for the span's total, to the list of the records it counts
(programmes, classes, attendances, team-leader completions, upgrades, costs) with the report's definition and
scope; the list holds exactly those records (people figures: their distinct people), only for readers whose
reach covers the scope, pages at a constant query count, and its Excel export holds the same rows."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core import clock
from models import db
from models.jobs import Job
from models.skills import REASON_CERTIFICATE, SkillLevelChange
from models.training import ABSENT, DRAFT, EducationUpgrade, TrainingAttendance, TrainingCost
from services import report as reports
from services.training import report_records
from tests.factories import WorkerFactory
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory

NEW_YEAR = datetime(2025, 12, 31, 17, tzinfo=UTC)  # 1 January 2026, 01:00 in Shanghai


def build(world):
    b, a = world.enterprise_b, world.enterprise_a
    other = WorkerFactory(enterprise=b, name="乙企学员")
    made = {
        "p_b": ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=b.id, starts_on=date(2026, 3, 1),
                                ends_on=date(2026, 4, 1)),
        "p_town": ProgrammeFactory(owner_level="town", owner_town_id=b.town_id, kind="safety",
                                   starts_on=date(2025, 11, 1), ends_on=date(2026, 2, 1)),
        "p_draft": ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=b.id, status=DRAFT,
                                    starts_on=date(2026, 5, 1), ends_on=date(2026, 6, 1)),
        "p_a": ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=a.id, starts_on=date(2026, 3, 1),
                                ends_on=date(2026, 4, 1)),
    }
    made["c1"] = ClassFactory(programme=made["p_b"], starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC))
    made["c2"] = ClassFactory(programme=made["p_town"], starts_at=datetime(2025, 11, 3, 1, tzinfo=UTC),
                              hours=Decimal("3.5"))
    made["c3"] = ClassFactory(programme=made["p_town"], starts_at=NEW_YEAR)
    made["c_draft"] = ClassFactory(programme=made["p_draft"], starts_at=datetime(2026, 5, 2, 1, tzinfo=UTC))
    made["c_a"] = ClassFactory(programme=made["p_a"], starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC))
    done = datetime(2026, 3, 10, 2, tzinfo=UTC)
    e_b = EnrolmentFactory(programme=made["p_b"], worker=world.worker_b, completed_at=done)
    e_town = EnrolmentFactory(programme=made["p_town"], worker=other)
    e_town_b = EnrolmentFactory(programme=made["p_town"], worker=world.worker_b)
    e_a = EnrolmentFactory(programme=made["p_a"], worker=world.worker_a, completed_at=done)
    e_draft = EnrolmentFactory(programme=made["p_draft"], worker=other)
    made["e_b"] = e_b
    made["at_c1"] = AttendanceFactory(training_class=made["c1"], enrolment=e_b)
    made["at_c3"] = AttendanceFactory(training_class=made["c3"], enrolment=e_town_b)
    made["at_c2"] = AttendanceFactory(training_class=made["c2"], enrolment=e_town)
    made["absent"] = AttendanceFactory(training_class=made["c3"], enrolment=e_town, status=ABSENT, hours=0)
    AttendanceFactory(training_class=made["c_draft"], enrolment=e_draft)
    AttendanceFactory(training_class=made["c_a"], enrolment=e_a)
    costs = {"cost_union": (made["p_b"], "union", "1200.00", date(2026, 3, 2)),
             "cost_gov": (made["p_town"], "government", "800.00", date(2026, 1, 5)),
             "cost_2025": (made["p_town"], "union", "300.00", date(2025, 11, 3)),
             "cost_a": (made["p_a"], "union", "999.00", date(2026, 3, 2))}
    for name, (programme, source, amount, day) in costs.items():
        made[name] = TrainingCost(programme_id=programme.id, category="venue", amount=Decimal(amount),
                                  funding_source=source, spent_on=day)
        db.session.add(made[name])
    made["edu_b"] = EducationUpgrade(worker_id=world.worker_b.id, enterprise_id=b.id, education="college",
                                     school="泉州职业技术大学", graduated_on=date(2026, 7, 1))
    made["skill_b"] = SkillLevelChange(user_id=world.worker_b.id, level=3, previous_level=2, reason=REASON_CERTIFICATE,
                                       effective_date=date(2026, 8, 1))
    made["skill_other"] = SkillLevelChange(user_id=other.id, level=3, previous_level=2, reason=REASON_CERTIFICATE,
                                           effective_date=date(2025, 8, 1))
    made["skill_a"] = SkillLevelChange(user_id=world.worker_a.id, level=3, previous_level=2, reason=REASON_CERTIFICATE,
                                       effective_date=date(2026, 8, 1))
    db.session.add_all([made["edu_b"], made["skill_b"], made["skill_other"], made["skill_a"]])
    db.session.commit()
    return made


def ids_of(made, names):
    def key(name):
        record = made[name]
        if isinstance(record, EducationUpgrade):
            return f"education-{record.id}"
        if isinstance(record, SkillLevelChange):
            return f"skill-{record.id}"
        return str(record.id)
    return {key(name) for name in names}


# town B in 2026: what each figure's list holds
EXPECTED_TOWN_2026 = {
    "programmes": {"p_b"}, "classes": {"c1", "c3"}, "attendances": {"at_c1", "at_c3"},
    "people": {"at_c1", "at_c3"}, "hours": {"at_c1", "at_c3"}, "team_leaders": {"e_b"},
    "upgraded": {"edu_b", "skill_b"}, "money.union": {"cost_union"}, "money.government": {"cost_gov"},
}


def listed(page: str) -> tuple[list[str], set[str]]:
    records = re.findall(r'data-record-id="([^"]+)"', page)
    people = set(re.findall(r'data-person-id="([^"]+)"', page))
    return records, people


def link(page: str, key: str, column) -> str | None:
    # test ids repeat across parts (e.g. "people"): the training link is the one to the training list
    found = re.search(rf'<a href="(/training/report-records[^"]+)" data-testid="drill-{re.escape(key)}-{column}"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def figures_of(section):
    return {f.key: f for f in [*section.figures, *(f for b in section.breakdowns for _l, f in b.rows)]}


def measured(key, records, people):
    """What the list adds up to, by the figure's unit."""
    if key in ("people", "team_leaders", "upgraded"):
        return len(people)
    if key == "hours":
        return sum((db.session.get(TrainingAttendance, int(i)).hours for i in records), Decimal(0))
    if key.startswith("money."):
        return sum((db.session.get(TrainingCost, int(i)).amount for i in records), Decimal(0))
    return len(records)


SUMMED = ("attendances", "people", "hours")  # the lists of attendance rows say what they add up to


def follow_all(client, page, report, column, scope_arg):
    """Follow every training link of `column`; assert each list adds up to its figure; {key: record ids}."""
    section = report.section("training")
    found = {}
    for key, figure in figures_of(section).items():
        url = link(page, key, column)
        if url is None:
            assert column == "total" and key.startswith("money."), key  # breakdown rows: years only
            continue
        assert f"figure={key}" in url and scope_arg in url, url
        answer = client.get(url).get_data(as_text=True)
        # the report's arguments are stated by the report-filter line, not counted as filters (no badge)
        assert 'data-testid="report-filter"' in answer and 'data-testid="filter-status"' not in answer
        assert 'data-testid="back-to-report"' in answer
        records, people = listed(answer)
        assert len(records) == len(set(records))
        value = figure.total if column == "total" else figure.value(column)
        assert measured(key, records, people) == value, key
        if key in SUMMED:  # the summary line states the figure's value (and the list's other sums)
            number = r"([\d.,]+)"
            line = re.search(rf'data-testid="report-summary">合计：{number} 人次、{number} 人（去重）、{number} 学时<',
                             answer)
            assert line, key
            stated = dict(zip(SUMMED, (Decimal(n.replace(",", "")) for n in line.groups()), strict=True))
            assert stated[key] == value and stated["attendances"] == len(records), (key, stated)
        else:
            assert 'data-testid="report-summary"' not in answer, key
        found[key] = set(records)
    return found


@pytest.mark.parametrize("who", ["admin", "town_b"])
def test_each_training_figure_of_a_town_links_to_exactly_its_records(world, client, login, who):
    made = build(world)
    town_b = world.enterprise_b.town_id
    reader = getattr(world, who)
    login(client, reader)
    query = f"town={town_b}&" if who == "admin" else ""
    scope_arg = f"town={town_b}" if who == "admin" else "figure="
    page = client.get(f"/report/?{query}first=2026").get_data(as_text=True)
    found = follow_all(client, page, reports.build(reader, town_id=town_b, first=2026), 2026, scope_arg)
    assert found == {key: ids_of(made, names) for key, names in EXPECTED_TOWN_2026.items()}
    page = client.get(f"/report/?{query}first=2025&last=2026").get_data(as_text=True)
    report = reports.build(reader, town_id=town_b, first=2025, last=2026)
    found = follow_all(client, page, report, "total", scope_arg)
    assert found["programmes"] == ids_of(made, {"p_b", "p_town"})
    assert found["attendances"] == ids_of(made, {"at_c1", "at_c2", "at_c3"})
    assert found["upgraded"] == ids_of(made, {"edu_b", "skill_b", "skill_other"})
    follow_all(client, page, report, 2025, scope_arg)


def test_an_enterprise_scope_lists_its_own_records(world, client, login):
    made = build(world)
    b = world.enterprise_b.id
    login(client, world.admin)
    page = client.get(f"/report/?enterprise={b}&first=2026").get_data(as_text=True)
    found = follow_all(client, page, reports.build(world.admin, enterprise_id=b, first=2026), 2026, f"enterprise={b}")
    assert found["classes"] == ids_of(made, {"c1"}) and found["upgraded"] == ids_of(made, {"edu_b", "skill_b"})
    login(client, world.hr_a)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    records, _people = listed(client.get(link(page, "money.union", 2026)).get_data(as_text=True))
    assert set(records) == ids_of(made, {"cost_a"})


def test_only_readers_whose_reach_covers_the_scope(world, client, login):
    build(world)
    town_b, b = world.enterprise_b.town_id, world.enterprise_b.id
    for who, url in (("town_a", f"figure=classes&year=2026&town={town_b}"),
                     ("hr_a", f"figure=classes&year=2026&enterprise={b}"),
                     ("hr_a", f"figure=classes&year=2026&town={town_b}"),
                     ("admin", "figure=nothing&year=2026")):
        login(client, getattr(world, who))
        assert client.get(f"/training/report-records?{url}").status_code == 404, (who, url)
    login(client, world.worker_b)
    assert client.get("/training/report-records?figure=classes&year=2026").status_code == 403


def test_the_list_exports_its_rows_in_the_request_or_as_a_job(world, client, login, monkeypatch):
    made = build(world)
    login(client, world.admin)
    url = f"/training/report-records?figure=attendances&first=2025&last=2026&town={world.enterprise_b.town_id}"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = re.search(r'<form method="post" action="([^"]+)" class="mb-3" data-testid="list-export"', page)
    action = action.group(1).replace("&amp;", "&")
    expected = {made[n].id for n in ("at_c1", "at_c2", "at_c3")}
    answer = client.post(action, data={"csrf_token": token})
    assert answer.status_code == 200 and answer.mimetype.endswith("sheet")
    book = load_workbook(io.BytesIO(answer.data))
    assert {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)} == expected
    monkeypatch.setattr("services.training.report_export.INLINE_ROWS", 1)
    answer = client.post(action, data={"csrf_token": token})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.status == "done", job.message
    book = load_workbook(io.BytesIO(client.get(f"/jobs/{job.id}/download").data))
    assert {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)} == expected


def test_a_page_costs_the_same_at_10_and_1000_records(world, client, login):
    """One trainee in many programmes (one class, one attendance, one completion, one cost each) and many
    skill changes: every kind of list grows to 1,000 records."""
    from tests.querycount import count_queries

    login(client, world.admin)
    worker = world.worker_b
    urls = [f"/training/report-records?figure={figure}&year=2026&town={world.enterprise_b.town_id}"
            for figure in ("programmes", "classes", "attendances", "team_leaders", "upgraded", "money.union")]

    def grow(n):
        for _ in range(n):
            programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                         starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1))
            lesson = ClassFactory(programme=programme, starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC))
            enrolment = EnrolmentFactory(programme=programme, worker=worker,
                                         completed_at=datetime(2026, 3, 10, 2, tzinfo=UTC))
            AttendanceFactory(training_class=lesson, enrolment=enrolment)
            db.session.add(TrainingCost(programme_id=programme.id, category="venue", amount=Decimal("10.00"),
                                        funding_source="union", spent_on=date(2026, 3, 2)))
            db.session.add(SkillLevelChange(user_id=worker.id, level=3, previous_level=2, reason=REASON_CERTIFICATE,
                                            effective_date=date(2026, 8, 1)))
        db.session.commit()

    def costs():
        counts = []
        for url in urls:
            client.get(url)
            with count_queries() as counted:
                page = client.get(url).get_data(as_text=True)
            assert len(listed(page)[0]) >= 10, url
            counts.append(counted.count)
        return counts

    grow(10)
    few = costs()
    grow(990)
    assert costs() == few


def test_every_training_figure_has_a_list():
    assert {"programmes", "classes", "attendances", "people", "hours", "team_leaders", "upgraded",
            "money.union", "money.enterprise", "money.government"} == set(report_records.FIGURES)


def test_a_list_adds_up_its_records_once_per_data_version(world, client, login):
    """The attendance list's count and summary are the figure's records of the scope: counted once per
    change, not per view (at the city's scale a year holds about 190,000 attendances)."""
    from tests.querycount import count_queries

    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                 starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1))
    lesson = ClassFactory(programme=programme, starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC))
    AttendanceFactory(training_class=lesson, enrolment=EnrolmentFactory(programme=programme, worker=world.worker_b))
    login(client, world.admin)
    url = "/training/report-records?figure=attendances&year=2026"
    first = client.get(url).get_data(as_text=True)
    assert "共 1 条" in first
    with count_queries() as again:
        assert client.get(url).get_data(as_text=True) == first
    assert [s for s in again.statements if "count(" in s.lower() and "training_attendance" in s] == []
    AttendanceFactory(training_class=lesson, enrolment=EnrolmentFactory(programme=programme, worker=world.worker_a))
    assert "共 2 条" in client.get(url).get_data(as_text=True)  # a change is counted at once


def test_a_class_under_way_reads_as_attendance_not_closed_not_as_zero_hours(client, login):
    """The demo's class under way (sign-in open, demo/training_attendance.py): its present rows have earned
    no hours yet (credited at sign-out or when attendance closes: services/training/attendance.py), so the
    report's attendance list says 考勤未结束 for them, never 0 学时; the closed class's rows show their hours
    (the one who left early 1.5); absent and excused rows are not attendances of the report at all."""
    from demo import seed_demo
    from models import User

    seed_demo()
    db.session.commit()
    officer = db.session.scalar(db.select(User).where(User.username == "town"))
    login(client, officer)
    year = clock.today().year  # the past class was 3 days ago: last year's in the first days of January
    page = client.get(f"/training/report-records?figure=attendances&first={year - 1}&last={year}").get_data(
        as_text=True)
    rows = dict(re.findall(r'<tr data-record-id="(\d+)"[^>]*>(.*?)</tr>', page, re.S))
    states = {}
    for row_id, cells in rows.items():
        attendance = db.session.get(TrainingAttendance, int(row_id))
        hours = re.search(r'data-label="学时" class="text-end">(.*?)</td>', cells).group(1)
        states[row_id] = (attendance.training_class.closed_at is None, attendance.signed_out_at is None, hours)
    under_way = [hours for open_, _out, hours in states.values() if open_]
    assert len(under_way) == 3 and all('data-testid="hours-pending">考勤未结束<' in h for h in under_way)
    settled = [hours for open_, _out, hours in states.values() if not open_]
    assert settled and "1.5" in settled and all(h not in ("0", "0.0") and "pending" not in h for h in settled)
