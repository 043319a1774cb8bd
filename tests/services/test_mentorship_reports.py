"""Dashboards, filtered lists, export, the mentor's credits and the excellent-pair selection."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core import clock
from models import db
from models.mentorship import Assessment, ExcellentRound, MentorshipFigures
from services.common import skills
from services.errors import NotAllowed, NotFound, RuleViolation
from services.mentorship import assessment, credits, excellent, export, pairing, records, reports, settings
from services.messages import todos
from tests.factories import AdminFactory, EnterpriseFactory, HRFactory, WorkerFactory
from tests.factories_mentorship import MentorPairFactory, activate, create_pair
from tests.querycount import count_queries

TODAY = datetime(2026, 3, 4, 4, tzinfo=UTC)  # Wednesday 4 March 2026 (week ends Sunday 8 March)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(TODAY):
        yield


def completed(enterprise, grade, ended_on=date(2026, 2, 1)):
    pair = MentorPairFactory(mentor__enterprise=enterprise, status="completed", ended_on=ended_on)
    db.session.add(Assessment(pair_id=pair.id, assessed_on=ended_on, grade=grade, level_reached=2,
                              score=Decimal(80), assessor="考评组"))
    db.session.commit()
    return pair


@pytest.fixture
def scene():
    a, b = EnterpriseFactory(name="甲"), EnterpriseFactory(name="乙")
    made = {
        "ok": MentorPairFactory(mentor__enterprise=a, next_checkin_due=date(2026, 3, 20)),
        "due": MentorPairFactory(mentor__enterprise=a, next_checkin_due=date(2026, 3, 8)),
        "grace": MentorPairFactory(mentor__enterprise=a, next_checkin_due=date(2026, 2, 25)),  # due, in grace
        "overdue": MentorPairFactory(mentor__enterprise=a, next_checkin_due=date(2026, 2, 24)),
        "assess": MentorPairFactory(mentor__enterprise=a, next_checkin_due=date(2026, 3, 30),
                                    planned_end=date(2026, 4, 1)),
        "proposed": MentorPairFactory(mentor__enterprise=a, status="proposed", next_checkin_due=None),
        "passed": completed(a, "excellent"),
        "failed": completed(a, "fail"),
        "last_year": completed(a, "pass", ended_on=date(2025, 12, 30)),
        "other": MentorPairFactory(mentor__enterprise=b, next_checkin_due=date(2026, 1, 1)),
    }
    return {"a": a, "b": b, "hr_a": HRFactory(enterprise=a), "admin": AdminFactory(), **made}


def test_enterprise_dashboard_counts_each_rule(scene):
    figures = reports.enterprise_dashboard(scene["hr_a"])
    assert figures == {"active": 5, "due_week": 2, "overdue": 1, "assessment_due": 1, "completed_year": 2,
                       "passed_year": 1, "pass_rate": 50.0}


def test_each_figure_lists_exactly_its_pairs(scene):
    expected = {"due_week": {"due", "grace"}, "overdue": {"overdue"}, "assessment_due": {"assess"},
                "completed_year": {"passed", "failed"}, "passed_year": {"passed"}, "proposed": {"proposed"}}
    for name, keys in expected.items():
        ids = set(db.session.scalars(reports.pairs_query(scene["hr_a"], filter_name=name)).unique().all())
        assert {p.id for p in ids} == {scene[k].id for k in keys}, name
        # the list's plain rows: the same pairs, with the grade of their final assessment
        rows = db.session.execute(reports.pairs_query(scene["hr_a"], filter_name=name, rows=True)).all()
        assert {row.id for row in rows} == {scene[k].id for k in keys}, name
        assert {row.id: row.grade for row in rows} == {p.id: p.assessment and p.assessment.grade for p in ids}
    with pytest.raises(NotFound):
        reports.pairs_query(scene["hr_a"], filter_name="nonsense")


def _shown(pair):
    return (pair.id, pair.status, pair.start_date, pair.planned_end, pair.next_checkin_due, pair.mentor.name,
            pair.apprentice.name, pair.trade.name, pair.enterprise.name, pair.assessment and pair.assessment.grade)


def test_plain_rows_show_each_pairs_own_people_trade_enterprise_and_grade(scene):
    """The list's plain rows (read through the pair's keys) carry the same values as the pairs' objects,
    in the same order, for every filter and with a people search on either side of the pair."""
    passed = scene["passed"]
    searches = (None, passed.mentor.name, passed.apprentice.name[:1], scene["other"].apprentice.name)
    for reader in (scene["hr_a"], scene["admin"]):
        for name in reports.FILTERS:
            for search in searches:
                pairs = db.session.scalars(reports.pairs_query(reader, filter_name=name, search=search)).unique().all()
                rows = db.session.execute(reports.pairs_query(reader, filter_name=name, search=search,
                                                              rows=True)).all()
                assert [tuple(row) for row in rows] == [_shown(pair) for pair in pairs], (name, search)
    rows = db.session.execute(reports.pairs_query(scene["admin"], filter_name="passed_year", rows=True)).all()
    assert [(row.id, row.grade, row.enterprise_name) for row in rows] == [(passed.id, "excellent", "甲")]
    rows = db.session.execute(reports.pairs_query(scene["admin"], search=scene["other"].mentor.name,
                                                  rows=True)).all()
    assert [(row.mentor_name, row.enterprise_name) for row in rows] == [(scene["other"].mentor.name, "乙")]


def test_grace_days_setting_moves_the_overdue_line(scene):
    settings.update_settings(scene["admin"], grace_days=0)
    assert reports.enterprise_dashboard(scene["hr_a"])["overdue"] == 2


def test_hr_to_dos_read_the_grace_days_in_their_statement_as_the_dashboard(scene):
    """The HR to-dos count overdue pairs against today less the grace days read in the to-dos' one
    statement (the default without a settings row; a changed setting at once), as the dashboard does."""
    def overdue_to_do():
        found = [todo.count for todo in todos.enterprise_todos(scene["a"].id)
                 if todo.link["values"].get("filter") == "overdue"]
        return found[0] if found else 0

    db.session.commit()  # a new transaction: nothing of the settings is known in the session
    with count_queries() as counted:
        assert overdue_to_do() == 1
    # the enterprise, its public notices, the tallies; the settings row is not read on its own
    assert counted.count == 3
    assert reports.enterprise_dashboard(scene["hr_a"])["overdue"] == 1
    settings.update_settings(scene["admin"], grace_days=0)
    assert overdue_to_do() == reports.enterprise_dashboard(scene["hr_a"])["overdue"] == 2
    settings.update_settings(scene["admin"], grace_days=30)
    assert overdue_to_do() == reports.enterprise_dashboard(scene["hr_a"])["overdue"] == 0


def test_union_dashboard_has_one_row_per_enterprise(scene):
    totals, table = reports.union_dashboard(scene["admin"])
    rows = {row["name"]: row for row in table}
    assert rows["甲"]["active"] == 5 and rows["乙"]["active"] == 1 and rows["乙"]["overdue"] == 1
    assert totals["active"] == 6 and totals["overdue"] == 2 and totals["pairs"] == 10
    with pytest.raises(NotAllowed):
        reports.union_dashboard(scene["hr_a"])


def test_union_dashboard_reads_the_day_and_the_settings_of_each_view(scene):
    """Its statements are kept between views; the days they compare with are those of each view: a later
    day, a changed grace period and the next year move its figures at once, as the HR dashboard's."""
    def both():
        totals, table = reports.union_dashboard(scene["admin"])
        rows = {row["name"]: row for row in table}
        mine = reports.enterprise_dashboard(scene["hr_a"])
        assert {name: rows["甲"][name] for name in mine if name != "pass_rate"} == \
            {name: value for name, value in mine.items() if name != "pass_rate"}
        return totals, rows

    totals, rows = both()
    assert (totals["overdue"], totals["due_week"], totals["completed_year"]) == (2, 2, 2)
    settings.update_settings(scene["admin"], grace_days=0)
    totals, rows = both()
    assert (totals["overdue"], rows["甲"]["overdue"], rows["甲"]["due_week"]) == (3, 2, 1)
    with clock.frozen(datetime(2027, 1, 5, 4, tzinfo=UTC)):
        totals, rows = both()
        assert (totals["completed_year"], rows["甲"]["passed_year"], totals["overdue"]) == (0, 0, 6)


def test_stored_figures_follow_every_status_change():
    hr = HRFactory()
    people = [WorkerFactory(enterprise=hr.enterprise, skill_level=level) for level in (5, 1, 5, 1, 5, 1)]
    withdrawn = create_pair(hr, people[0], people[1])
    ended = activate(create_pair(hr, people[2], people[3]))
    running = activate(create_pair(hr, people[4], people[5]))
    pairing.dissolve(hr, withdrawn, "企业调整结对安排")
    pairing.end_early(hr, ended, "left_company", "")
    pairing.extend(hr, running, running.planned_end + timedelta(days=90), "徒弟请长假，顺延三个月")
    db.session.commit()
    stored = db.session.get(MentorshipFigures, hr.enterprise_id)
    assert (stored.pairs, stored.proposed, stored.active, stored.ended_early, stored.dissolved) == (3, 0, 1, 1, 1)
    totals, table = reports.union_dashboard(AdminFactory())
    assert totals["pairs"] == 3 and totals["active"] == 1 and [row["active"] for row in table] == [1]


def test_dashboards_are_for_their_roles(scene):
    with pytest.raises(NotAllowed):
        reports.enterprise_dashboard(scene["admin"])
    with pytest.raises(NotAllowed):
        reports.enterprise_dashboard(scene["ok"].mentor)


def test_export_has_a_row_per_pair_of_the_enterprise(scene):
    book = load_workbook(io.BytesIO(export.write_workbook(scene["hr_a"], filter_name="all")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "企业", "师傅", "徒弟")
    assert len(rows) == 1 + 9
    assert {r[1] for r in rows[1:]} == {"甲"}
    overdue_row = next(r for r in rows if r[0] == scene["overdue"].id)
    assert overdue_row[11] == "逾期"
    with pytest.raises(NotAllowed):
        export.write_workbook(scene["ok"].mentor)


# --- credits ------------------------------------------------------------------------------------------


def test_mentor_credits_count_higher_levels_within_the_agreement_or_three_years_after():
    hr = HRFactory()
    mentor = WorkerFactory(enterprise=hr.enterprise, skill_level=5)
    apprentice = WorkerFactory(enterprise=hr.enterprise, skill_level=1)
    with clock.frozen(datetime(2020, 3, 2, 4, tzinfo=UTC)):
        pair = activate(create_pair(hr, mentor, apprentice, start_date=date(2020, 3, 2)))
    with clock.frozen(datetime(2021, 3, 2, 4, tzinfo=UTC)):
        assessment.assess(hr, pair, assessment.AssessmentData(grade="pass", level_reached=2, score=Decimal(75),
                                                        assessor="考评组"))
        db.session.commit()
    skills.change_skill_level(hr, apprentice, 3, reason="certificate", effective_date=date(2023, 5, 1),
                              certificate_no="Y" + "1" * 21, issuing_body="晋江市技能鉴定中心")
    skills.change_skill_level(hr, apprentice, 4, reason="certificate", effective_date=date(2024, 3, 3),
                              certificate_no="Y" + "2" * 21, issuing_body="晋江市技能鉴定中心")  # 3 years + 1 day
    skills.change_skill_level(hr, apprentice, 4, reason="correction", effective_date=date(2022, 1, 1))
    db.session.commit()
    earned = credits.mentor_credits(mentor)
    assert [(c.on, c.kind) for c in earned] == [(date(2021, 3, 2), "skill_level"), (date(2023, 5, 1), "skill_level")]
    assert "晋升为中级工" in earned[0].description
    assert credits.competition_prize_milestones(mentor.id) == []  # the plug-in point, empty for now


def test_dissolved_pairs_earn_no_credit():
    hr = HRFactory()
    mentor = WorkerFactory(enterprise=hr.enterprise, skill_level=5)
    apprentice = WorkerFactory(enterprise=hr.enterprise, skill_level=1)
    pair = activate(create_pair(hr, mentor, apprentice))
    pairing.dissolve(apprentice, pair, "不合适")
    skills.change_skill_level(hr, apprentice, 2, reason="certificate", certificate_no="S" + "3" * 21,
                              issuing_body="鉴定中心")
    db.session.commit()
    assert credits.mentor_credits(mentor) == []


def test_person_record_visibility(scene):
    mentor = scene["ok"].mentor
    record = records.person_record(mentor, mentor.id)
    assert [p.id for p in record["current"]] == [scene["ok"].id]
    assert records.person_record(scene["hr_a"], mentor.id)["person"].id == mentor.id
    with pytest.raises(NotFound):
        records.person_record(HRFactory(enterprise=scene["b"]), mentor.id)
    with pytest.raises(NotFound):
        records.person_record(scene["due"].mentor, mentor.id)


# --- excellent pairs ------------------------------------------------------------------------------


def test_nominate_select_within_quota_and_publish(scene):
    settings.update_settings(scene["admin"], excellent_quota=1)
    hr_a = scene["hr_a"]
    with pytest.raises(RuleViolation, match="只有出师考核合格"):
        excellent.nominate(hr_a, scene["failed"], "师徒同心，技艺精进，成绩突出。")
    with pytest.raises(RuleViolation) as error:
        excellent.nominate(hr_a, scene["passed"], "太短")
    assert error.value.field == "citation"
    with pytest.raises(NotAllowed):
        excellent.nominate(HRFactory(enterprise=scene["b"]), scene["passed"], "师徒同心，技艺精进，成绩突出。")
    first = excellent.nominate(hr_a, scene["passed"], "师徒同心，技艺精进，成绩突出。")
    second = excellent.nominate(hr_a, scene["last_year"], "传帮带成效显著，徒弟已成骨干。")
    with pytest.raises(RuleViolation, match="已经推荐过"):
        excellent.nominate(hr_a, scene["passed"], "再次推荐这一对师徒。")
    db.session.commit()
    with pytest.raises(NotAllowed):
        excellent.select(hr_a, first)
    excellent.select(scene["admin"], first)
    with pytest.raises(RuleViolation, match="名额（1 对）已满"):
        excellent.select(scene["admin"], second)
    assert db.session.scalar(db.select(ExcellentRound.selected_count)) == 1
    assert excellent.excellent_honours([scene["passed"].id]) == {}  # not yet published
    excellent.publish(scene["admin"], 2026)
    with pytest.raises(RuleViolation, match="已公布"):
        excellent.nominate(hr_a, completed(scene["a"], "pass"), "师徒同心，技艺精进，成绩突出。")
    assert excellent.excellent_honours([scene["passed"].id]) == {}  # on public notice, not final yet
    with pytest.raises(RuleViolation, match="尚未结束"):
        excellent.finalise(scene["admin"], 2026)
    with clock.frozen(TODAY + timedelta(days=10)):
        excellent.finalise(scene["admin"], 2026)
        with pytest.raises(RuleViolation, match="已经确认"):
            excellent.deselect(scene["admin"], first)
    assert excellent.excellent_honours([scene["passed"].id]) == {scene["passed"].id: 2026}
    record = records.person_record(scene["passed"].apprentice, scene["passed"].apprentice_id)
    assert record["honours"] == {scene["passed"].id: 2026}


def test_an_upheld_objection_withdraws_a_selection_during_the_notice(scene):
    from services.common import notices

    nomination = excellent.nominate(scene["hr_a"], scene["passed"], "师徒同心，技艺精进，成绩突出。")
    excellent.select(scene["admin"], nomination)
    excellent.publish(scene["admin"], 2026)
    notice = excellent.round_notice(excellent.get_round(2026))
    objection = notices.file_objection(scene["hr_a"], notice, "该徒弟的出师考核成绩登记有误，请核查。")
    notices.resolve_objection(scene["admin"], objection, True, "经核查属实，取消入选。")
    excellent.deselect(scene["admin"], nomination)
    with clock.frozen(TODAY + timedelta(days=10)):
        excellent.finalise(scene["admin"], 2026)
    assert excellent.excellent_honours([scene["passed"].id]) == {}


def test_publish_needs_a_selection(scene):
    excellent.nominate(scene["hr_a"], scene["passed"], "师徒同心，技艺精进，成绩突出。")
    with pytest.raises(RuleViolation, match="至少一对"):
        excellent.publish(scene["admin"], 2026)
    with pytest.raises(NotFound):
        excellent.publish(scene["admin"], 1999)


def test_nominations_visibility(scene):
    nomination = excellent.nominate(scene["hr_a"], scene["passed"], "师徒同心，技艺精进，成绩突出。")
    db.session.commit()
    hr_b = HRFactory(enterprise=scene["b"])
    worker = scene["ok"].mentor
    assert db.session.scalars(excellent.nominations_query(hr_b, 2026)).unique().all() == []
    assert db.session.scalars(excellent.nominations_query(worker, 2026)).unique().all() == []
    with pytest.raises(NotFound):
        excellent.get_nomination(hr_b, nomination.id)
    excellent.select(scene["admin"], nomination)
    excellent.publish(scene["admin"], 2026)
    assert [n.id for n in db.session.scalars(excellent.nominations_query(worker, 2026)).unique()] == [nomination.id]
    for reader in (worker, hr_b, scene["admin"]):  # the list's plain rows: the same nominations
        assert [row.id for row in db.session.execute(excellent.nominations_query(reader, 2026, rows=True))] == \
            [n.id for n in db.session.scalars(excellent.nominations_query(reader, 2026)).unique()]


def test_nomination_rows_show_each_pairs_own_people_enterprise_trade_and_grade(scene):
    """The excellent list's plain rows carry the values of the nominations' own objects, in list order
    (selected first)."""
    for key in ("passed", "last_year"):
        nomination = excellent.nominate(scene["hr_a"], scene[key], "师徒同心，技艺精进，成绩突出。")
    db.session.commit()
    excellent.select(scene["admin"], nomination)
    for reader in (scene["admin"], scene["hr_a"]):
        rows = db.session.execute(excellent.nominations_query(reader, 2026, rows=True)).all()
        expected = [(n.id, n.citation, n.selected, n.certificate_code, n.revoked_at, n.revoked_reason,
                     n.pair.mentor_id, n.pair.apprentice_id, n.pair.mentor.name, n.pair.apprentice.name,
                     n.enterprise.name, n.pair.trade.name, n.pair.assessment and n.pair.assessment.grade)
                    for n in db.session.scalars(excellent.nominations_query(reader, 2026)).unique()]
        assert [tuple(row) for row in rows] == expected
        assert [(row.id, row.grade, row.enterprise_name) for row in rows][0] == (nomination.id, "pass", "甲")
        assert {row.grade for row in rows} == {"excellent", "pass"}
