"""CompetitionRegistration rules: capacity under concurrency (SQLite and PostgreSQL), one entry per worker,
the window, eligibility, the waitlist and its promotion order, HR's own enterprise only."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import clock
from models import User, db
from models.competitions import CONFIRMED, WAITLISTED, WITHDRAWN, Competition, CompetitionRegistration
from services.competitions import bulk, eligibility, registration
from services.errors import NotFound, RuleViolation
from tests.factories import EnterpriseFactory, TradeFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory, reload
from tests.querycount import count_queries

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield NOW


def _statuses(competition_id):
    return list(db.session.execute(
        select(CompetitionRegistration.worker_id, CompetitionRegistration.status, CompetitionRegistration.competitor_no)
        .where(CompetitionRegistration.competition_id == competition_id).order_by(CompetitionRegistration.id)))


def test_capacity_holds_under_concurrent_registrations(app, frozen_now):
    """24 workers register at the same moment for 5 seats, each in its own thread, app context,
    session and connection: exactly 5 confirmed (numbers 1-5), 19 waitlisted in order."""
    enterprise = EnterpriseFactory()
    competition = CompetitionFactory(capacity=5)
    workers = [WorkerFactory(enterprise=enterprise) for _ in range(24)]
    worker_ids, competition_id = [w.id for w in workers], competition.id
    db.session.remove()
    barrier = threading.Barrier(len(worker_ids))
    outcomes, errors = {}, []

    def enter(worker_id):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                worker = db.session.get(User, worker_id)
                target = db.session.get(Competition, competition_id)
                entry = registration.register(worker, target, worker)
                db.session.commit()
                outcomes[worker_id] = entry.status
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=enter, args=(wid,)) for wid in worker_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    rows = _statuses(competition_id)
    assert len(rows) == 24
    confirmed = [r for r in rows if r.status == CONFIRMED]
    waitlisted = [r for r in rows if r.status == WAITLISTED]
    assert len(confirmed) == 5 and len(waitlisted) == 19
    assert sorted(r.competitor_no for r in confirmed) == [1, 2, 3, 4, 5]
    assert db.session.get(Competition, competition_id).seats_taken == 5
    # in order: the waitlist is numbered 1..19 by creation, and each thread saw its own outcome
    positions = registration.waitlist_positions(competition_id)
    assert sorted(positions.values()) == list(range(1, 20))
    assert {wid: status for wid, status, _no in rows} == outcomes
    ordered_ids = sorted(positions, key=positions.get)
    assert ordered_ids == sorted(ordered_ids)


def test_one_registration_per_worker_by_message_and_constraint(world, frozen_now):
    competition = CompetitionFactory()
    registration.register(world.worker_a, competition, world.worker_a)
    db.session.commit()
    with pytest.raises(RuleViolation, match="每人只能报名一次"):
        registration.register(world.worker_a, competition, world.worker_a)
    db.session.rollback()
    db.session.add(CompetitionRegistration(competition_id=competition.id, worker_id=world.worker_a.id,
                                enterprise_id=world.enterprise_a.id, status=WAITLISTED))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(("offset", "open_"), [
    (timedelta(days=-1, seconds=-1), False),  # a second before opening
    (timedelta(days=-1), True),  # the opening second
    (timedelta(days=7, seconds=-1), True),  # the last second
    (timedelta(days=7), False),  # closing time itself
])
def test_registration_only_inside_the_window(world, offset, open_):
    with clock.frozen(NOW):
        competition = CompetitionFactory(registration_opens_at=NOW - timedelta(days=1),
                                         registration_closes_at=NOW + timedelta(days=7))
    with clock.frozen(NOW - timedelta(days=1) + (offset + timedelta(days=1))):
        if open_:
            assert registration.register(world.worker_a, competition, world.worker_a).status == CONFIRMED
        else:
            with pytest.raises(RuleViolation, match="不在报名时间内"):
                registration.register(world.worker_a, competition, world.worker_a)


def test_draft_competitions_take_no_registrations(world, frozen_now):
    competition = CompetitionFactory(status="draft")
    with pytest.raises(RuleViolation, match="不在报名时间内"):
        registration.register(world.worker_a, competition, world.worker_a)


def test_eligibility_is_enforced_in_the_service(world, frozen_now):
    sewing = TradeFactory(name="缝纫工")
    competition = CompetitionFactory(min_skill_level=3, max_skill_level=4, per_enterprise_cap=1,
                                     held_on=date(2026, 6, 1))
    competition.eligible_trades = [sewing]
    world.enterprise_b.is_member = False
    db.session.commit()
    worker = WorkerFactory(enterprise=world.enterprise_b, skill_level=1, birth_date=date(1960, 1, 1))
    problems = [str(p) for p in eligibility.eligibility_problems(competition, worker)]
    assert any("工种不符" in p for p in problems)
    assert any("低于" in p for p in problems)
    assert any("年龄 66 岁" in p for p in problems)
    assert any("会员企业" in p for p in problems)
    with pytest.raises(RuleViolation, match="工种不符"):
        registration.register(worker, competition, worker)
    assert db.session.scalar(select(func.count(CompetitionRegistration.id))) == 0


def test_open_competitions_of_a_worker_in_one_statement(world, frozen_now):
    """open_for_worker: newest first, each competition's eligible trades in name order (none: an empty
    list), the worker's own entry or a team's they are in (its status), else the eligibility problems
    with the enterprise's active entries counted; drafts and closed windows left out; one statement."""
    worker = world.worker_a
    sewing, cutting = TradeFactory(name="缝纫工"), TradeFactory(name="裁断工")
    restricted = CompetitionFactory(per_enterprise_cap=1, held_on=date(2026, 6, 3))
    restricted.eligible_trades = [sewing, cutting]
    entered = CompetitionFactory(held_on=date(2026, 6, 2))
    team = CompetitionFactory(is_team=True, team_min=2, team_max=3, held_on=date(2026, 6, 1))
    CompetitionFactory(status="draft")
    CompetitionFactory(registration_opens_at=NOW + timedelta(days=1))
    db.session.commit()
    colleague = WorkerFactory(enterprise=world.enterprise_a, trade=cutting)
    registration.register(colleague, restricted, colleague)
    registration.register(worker, entered, worker)
    bulk.register_team(world.hr_a, team, "恒信一队", [worker.employee_no, colleague.employee_no])
    db.session.commit()
    eligibility.open_for_worker(worker)  # the worker, their roles and enterprise loaded
    with count_queries() as counter:
        rows = eligibility.open_for_worker(worker)
    assert counter.count == 1
    assert [row.competition.id for row in rows] == [restricted.id, entered.id, team.id]
    first = rows[0]
    assert [t.name for t in first.competition.eligible_trades] == ["缝纫工", "裁断工"]
    assert first.competition.trade.id == restricted.trade_id and first.registration is None
    assert {str(p) for p in first.problems} >= {"本企业报名人数已达上限（1 人）。"}
    assert any("工种不符" in str(p) for p in first.problems)
    assert [(row.registration.status, row.problems) for row in rows[1:]] == [(CONFIRMED, []), (CONFIRMED, [])]
    assert rows[1].competition.eligible_trades == [] and rows[1].registration.status_label == "已确认"
    assert [row.competition.id for row in eligibility.open_for_worker(worker, limit=2)] == [restricted.id, entered.id]


def test_a_competitions_details_are_its_relationships_in_one_statement(world, frozen_now):
    """details.details_of: the eligible trades (name order), items (their order) and prize tiers (by first
    rank) as the relationships hold them, in one statement; none of each: empty lists."""
    from services.competitions import details

    competition = CompetitionFactory()
    competition.eligible_trades = [TradeFactory(name=name) for name in ("缝纫工", "裁断工", "成型工")]
    bare = CompetitionFactory(items=[], prize_tiers=[])
    db.session.flush()
    competition_id = competition.id
    db.session.commit()
    with count_queries() as counter:
        shown = details.details_of(competition_id)
    assert counter.count == 1
    competition = reload(competition)
    assert [(t.id, t.name, t.label) for t in shown.eligible_trades] == [
        (t.id, t.name, t.label) for t in sorted(competition.eligible_trades, key=lambda t: t.name)]
    assert [(i.name, i.weight) for i in shown.items] == [(i.name, i.weight) for i in competition.items]
    assert [(t.rank_from, t.rank_to, t.prize, t.honour, t.prize_label, t.honour_label) for t in shown.prize_tiers] == [
        (t.rank_from, t.rank_to, t.prize, t.honour, t.prize_label, t.honour_label) for t in competition.prize_tiers]
    assert len(shown.items) == 2 and len(shown.prize_tiers) == 3
    assert details.details_of(bare.id) == details.CompetitionDetails()


def test_age_counts_on_the_day_of_the_competition(world, frozen_now):
    competition = CompetitionFactory(held_on=date(2026, 6, 1), max_age=60)
    turns_61_before = WorkerFactory(enterprise=world.enterprise_a, birth_date=date(1965, 5, 31))
    turns_61_after = WorkerFactory(enterprise=world.enterprise_a, birth_date=date(1965, 6, 2))
    assert eligibility.eligibility_problems(competition, turns_61_after) == []
    assert any("61" in str(p) for p in eligibility.eligibility_problems(competition, turns_61_before))


def test_enterprise_cap_counts_active_entries(world, frozen_now):
    competition = CompetitionFactory(per_enterprise_cap=2)
    first, second, third = (WorkerFactory(enterprise=world.enterprise_a) for _ in range(3))
    registration.register(first, competition, first)
    registration.register(second, competition, second)
    with pytest.raises(RuleViolation, match="上限"):
        registration.register(third, competition, third)
    registration.withdraw(second, db.session.scalar(
        select(CompetitionRegistration).where(CompetitionRegistration.worker_id == second.id)))
    assert registration.register(third, competition, third).status == CONFIRMED


def test_waitlist_promotion_in_order_on_withdrawal_and_rejection(world, frozen_now):
    competition = CompetitionFactory(capacity=2)
    people = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(5)]
    entries = [registration.register(p, competition, p) for p in people]
    db.session.commit()
    assert [e.status for e in entries] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED, WAITLISTED]
    assert [registration.waitlist_position(e) for e in entries[2:]] == [1, 2, 3]

    promoted = registration.withdraw(people[0], entries[0])
    db.session.commit()
    assert promoted.id == entries[2].id
    third = reload(entries[2])
    assert third.status == CONFIRMED and third.competitor_no == 3 and third.promoted_at == NOW
    assert registration.waitlist_position(reload(entries[3])) == 1

    promoted = registration.reject(world.admin, reload(entries[1]), "工种证明不符")
    db.session.commit()
    assert promoted.id == entries[3].id and reload(entries[3]).competitor_no == 4
    assert reload(entries[1]).reason == "工种证明不符"
    assert reload(competition).seats_taken == 2

    # a waitlisted competitor withdrawing frees no seat and moves the queue up
    registration.withdraw(people[4], reload(entries[4]))
    db.session.commit()
    assert reload(competition).seats_taken == 2
    registration.withdraw(people[2], reload(entries[2]))
    db.session.commit()
    assert reload(competition).seats_taken == 1


def test_withdrawal_after_the_window_is_refused(world):
    with clock.frozen(NOW):
        competition = CompetitionFactory()
        entry = registration.register(world.worker_a, competition, world.worker_a)
        db.session.commit()
    with clock.frozen(competition.registration_closes_at), pytest.raises(RuleViolation, match="报名已截止"):
        registration.withdraw(world.worker_a, entry)
    assert reload(entry).status == CONFIRMED


def test_rejection_needs_a_reason_and_an_admin(world, frozen_now):
    competition = CompetitionFactory()
    entry = registration.register(world.worker_a, competition, world.worker_a)
    with pytest.raises(RuleViolation, match="理由"):
        registration.reject(world.admin, entry, "  ")
    with pytest.raises(Exception, match="管理员"):
        registration.reject(world.hr_a, entry, "不符合")


def test_hr_registers_own_workers_only(world, frozen_now):
    competition = CompetitionFactory()
    entry = bulk.hr_register(world.hr_a, competition, world.worker_a.employee_no)
    assert entry.worker_id == world.worker_a.id and entry.registered_by_id == world.hr_a.id
    with pytest.raises(RuleViolation, match="本企业没有工号"):
        bulk.hr_register(world.hr_a, competition, world.worker_b.employee_no)
    with pytest.raises(NotFound):  # the general service refuses too, whatever is passed in
        registration.register(world.hr_a, competition, world.worker_b)
    with pytest.raises(NotFound):
        registration.withdraw(world.hr_b, entry)


def test_bulk_registration_reports_every_row(world, frozen_now):
    competition = CompetitionFactory(capacity=1)
    other = WorkerFactory(enterprise=world.enterprise_a, employee_no="A-2")
    young = WorkerFactory(enterprise=world.enterprise_a, employee_no="A-3", birth_date=date(2015, 1, 1))
    outcomes = bulk.hr_register_many(world.hr_a, competition, [
        (2, world.worker_a.employee_no), (3, "A-2"), (4, world.worker_b.employee_no), (5, ""),
        (6, "A-3"), (7, world.worker_a.employee_no)])
    assert [(o.row, o.outcome) for o in outcomes] == [
        (2, "registered"), (3, "waitlisted"), (4, "refused"), (5, "skipped"), (6, "refused"), (7, "refused")]
    assert "001" in outcomes[0].message and "第 1 位" in outcomes[1].message
    assert "本企业没有工号" in outcomes[2].message
    assert "空行" in outcomes[3].message
    assert "年龄" in outcomes[4].message
    assert "只能报名一次" in outcomes[5].message
    assert outcomes[1].name == other.name and young.id
    assert {r.status for r in db.session.scalars(select(CompetitionRegistration))} == {CONFIRMED, WAITLISTED}


def test_withdrawn_entries_keep_history_and_cannot_be_withdrawn_twice(world, frozen_now):
    competition = CompetitionFactory()
    entry = registration.register(world.worker_a, competition, world.worker_a)
    registration.withdraw(world.worker_a, entry)
    assert entry.status == WITHDRAWN and entry.competitor_no is None
    with pytest.raises(RuleViolation):
        registration.withdraw(world.worker_a, entry)
    with pytest.raises(RuleViolation, match="只能报名一次"):
        registration.register(world.worker_a, competition, world.worker_a)


def test_only_a_named_header_row_is_skipped():
    from services.competitions.spreadsheets import employee_rows, theory_rows

    assert employee_rows([(1, ["工号"]), (2, ["A1"])]) == [(2, "A1", "")]
    assert employee_rows([(1, ["ABC"]), (2, ["A1"])]) == [(1, "ABC", ""), (2, "A1", "")]  # data, not dropped
    assert theory_rows([(1, ["参赛号", "成绩"]), (2, ["001", "88"])]) == [(2, "001", "88", "")]


def test_header_columns_find_number_and_name_in_any_order():
    from services.competitions.spreadsheets import employee_rows, theory_rows

    assert employee_rows([(1, ["姓名", "工号"]), (2, ["张三", "A1"]), (3, ["", ""])]) == [
        (2, "A1", "张三"), (3, "", "")]
    assert employee_rows([(1, ["A1", "张三", "备注"])]) == [(1, "A1", "张三")]
    assert theory_rows([(1, ["姓名", "参赛号", "成绩"]), (2, ["李四", "002", "90"])]) == [(2, "002", "90", "李四")]



def test_the_entries_export_keeps_user_text_as_text(world, frozen_now):
    import io

    from openpyxl import load_workbook

    from services.competitions.spreadsheets import registrations_workbook

    competition = CompetitionFactory()
    worker = WorkerFactory(enterprise=world.enterprise_a, name='=HYPERLINK("http://x.test","张三")')
    entry = registration.register(worker, competition, worker)
    sheet = load_workbook(io.BytesIO(registrations_workbook([entry], {}))).active
    assert (sheet["A2"].value, sheet["B2"].value, sheet["B2"].data_type) == ("001", worker.name, "s")
    assert sheet["G2"].value == frozen_now.astimezone(clock.SHANGHAI).replace(tzinfo=None)  # Shanghai time


def test_enterprise_cap_holds_under_concurrent_registrations(app, frozen_now):
    """Ten workers of one enterprise register at once where the enterprise may send 3: exactly 3 get in,
    the others are refused with the cap's message (seats remain free)."""
    enterprise = EnterpriseFactory()
    competition = CompetitionFactory(capacity=20, per_enterprise_cap=3)
    worker_ids = [WorkerFactory(enterprise=enterprise).id for _ in range(10)]
    competition_id = competition.id
    db.session.remove()
    barrier = threading.Barrier(len(worker_ids))
    outcomes, errors = [], []

    def enter(worker_id):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                worker = db.session.get(User, worker_id)
                registration.register(worker, db.session.get(Competition, competition_id), worker)
                db.session.commit()
                outcomes.append("in")
            except RuleViolation as refused:
                db.session.rollback()
                outcomes.append("cap" if "上限" in str(refused.message) else str(refused.message))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=enter, args=(wid,)) for wid in worker_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(outcomes) == ["cap"] * 7 + ["in"] * 3
    assert len(_statuses(competition_id)) == 3


# --- typed input in lists (issue 12, item 2) ------------------------------------------------------


def test_a_full_width_row_finds_its_worker(world, frozen_now):
    competition = CompetitionFactory()
    worker = WorkerFactory(enterprise=world.enterprise_a, employee_no="A0006", name="王五")
    outcomes = bulk.hr_register_many(world.hr_a, competition, [(2, "Ａ０００６"), (3, " a0008 ")])
    assert (outcomes[0].outcome, outcomes[0].employee_no, outcomes[0].name) == ("registered", "A0006", "王五")
    assert outcomes[1].outcome == "refused" and "A0008" in outcomes[1].message
    assert db.session.scalar(select(CompetitionRegistration.worker_id)) == worker.id


def test_a_row_whose_name_is_not_its_numbers_person_is_refused(world, frozen_now):
    competition = CompetitionFactory()
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A0006", name="王五")
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A0009", name="赵六")
    outcomes = bulk.hr_register_many(world.hr_a, competition, [
        (2, "A0009", "王五"),  # a typo in the number: would have entered 赵六
        (3, "A0006", "王 五"), (4, "", ""), (5, "", "孙七")])
    assert [o.outcome for o in outcomes] == ["refused", "registered", "skipped", "refused"]
    assert "姓名与工号不符" in outcomes[0].message and "赵六" in outcomes[0].message
    assert "没有工号" in outcomes[3].message
    assert db.session.scalar(select(func.count(CompetitionRegistration.id))) == 1


def test_a_list_of_blank_rows_only_is_refused(world, frozen_now):
    with pytest.raises(RuleViolation, match="没有找到工号"):
        bulk.hr_register_many(world.hr_a, CompetitionFactory(), [(2, "", ""), (3, " ", "")])
