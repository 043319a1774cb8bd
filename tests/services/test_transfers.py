"""People who change employer (issue 13): employment history, leaving, transfers in both directions
of consent, the phone conflict, phone changes and who sees what before and after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core import clock
from models import AuditLog, Message, Role, Transfer, User, UserRole, db
from models.competitions import CONFIRMED, WAITLISTED
from models.employment import ENDED_LEFT, ENDED_TRANSFERRED, TRANSFER_COMPLETED, TRANSFER_PENDING, TRANSFER_STOPPED
from models.mentorship import ENDED_EARLY
from models.titles import NOMINATION_WITHDRAWN
from services.accounts import employment, people, phones, transfers
from services.accounts import policy as accounts_policy
from services.competitions import registration
from services.errors import NotFound, RuleViolation
from services.growth import policy as growth_policy
from services.jobs import scheduler
from services.messages import todos
from services.proposals import loaders as proposal_loaders
from services.titles import nominations
from tests.factories import PASSWORD, HRFactory, TradeFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory
from tests.factories_mentorship import ApprenticeFactory, MentorFactory, activate, create_pair
from tests.factories_proposals import ProposalFactory
from tests.factories_titles import default_titles, make_eligible, open_round

NOW = datetime(2026, 6, 1, 2, tzinfo=UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(NOW):
        yield


def _profile(person, employee_no="B-0100", **kw):
    return people.Profile(name=person.name, phone=person.phone, employee_no=employee_no,
                          trade_id=kw.pop("trade_id", None) or TradeFactory().id, **kw)


def _start(world, person=None, **kw) -> Transfer:
    person = person or world.worker_a
    transfer = transfers.start_transfer(world.hr_b, person, _profile(person, **kw))
    db.session.commit()
    return transfer


def _messages(user) -> list[Message]:
    return list(db.session.scalars(select(Message).where(Message.recipient_id == user.id)))


# --- employment history -----------------------------------------------------------------------------


def test_an_account_created_at_an_enterprise_opens_its_employment(world):
    worker = people.create_account(world.hr_a, people.Profile(
        name="新职工", phone="13911112222", employee_no="a-9", trade_id=TradeFactory().id, skill_level=1,
        hire_date=clock.today()))
    db.session.commit()
    [row] = employment.history(worker)
    assert (row.enterprise_id, row.employee_no, row.started_on, row.ended_on) == (
        world.enterprise_a.id, "A-9", clock.today(), None)


# --- the phone conflict -------------------------------------------------------------------------------


def test_a_free_phone_has_no_candidate(world):
    assert transfers.find_transfer_candidate("139 0000 9999", "谁", None) is None


def test_the_same_name_on_a_registered_phone_is_the_candidate(world):
    world.worker_a.id_card_no = "350582199005200013"
    phone = "+86 " + world.worker_a.phone
    assert transfers.find_transfer_candidate(phone, f" {world.worker_a.name} ", None) == world.worker_a
    assert transfers.find_transfer_candidate(phone, world.worker_a.name, "350582199005200013") == world.worker_a


@pytest.mark.parametrize("name, card", [("别人", None), ("甲企职工", "11010519491231002X")])
def test_another_name_or_id_card_on_a_registered_phone_is_a_conflict(world, name, card):
    world.worker_a.id_card_no = "350582199005200013"
    with pytest.raises(RuleViolation) as refused:
        transfers.find_transfer_candidate(world.worker_a.phone, name, card)
    assert refused.value.field == "phone"
    assert str(refused.value.message) == "该手机号已登记在另一人名下，请联系总工会处理"


def test_hr_adding_a_registered_person_starts_a_transfer_instead_of_a_second_account(world):
    before = db.session.scalar(select(db.func.count(User.id)))
    transfer = transfers.add_person(world.hr_b, _profile(world.worker_a))
    db.session.commit()
    assert transfer.person == world.worker_a and transfer.status == TRANSFER_PENDING and transfer.code
    assert db.session.scalar(select(db.func.count(User.id))) == before
    assert world.worker_a.enterprise_id == world.enterprise_a.id  # nothing moves before consent
    assert [m.kind for m in _messages(world.worker_a)] == ["account.transfer"]
    assert [m.kind for m in _messages(world.hr_a)] == ["account.transfer"]
    assert "待确认的调入申请" in [str(t.label) for t in todos.todos_for(world.worker_a)]
    assert "待答复的调出确认" in [str(t.label) for t in todos.enterprise_todos(world.enterprise_a.id)]


def test_hr_adding_a_registered_phone_under_another_name_is_refused(world):
    profile = _profile(world.worker_a)
    profile.name = "冒名"
    with pytest.raises(RuleViolation, match="另一人名下"):
        transfers.add_person(world.hr_b, profile)


def test_no_transfer_into_the_same_enterprise_nor_two_at_once(world):
    with pytest.raises(RuleViolation, match="已在本企业"):
        transfers.start_transfer(world.hr_a, world.worker_a, _profile(world.worker_a))
    _start(world)
    with pytest.raises(RuleViolation, match="进行中"):
        _start(world, employee_no="B-0101")


def test_the_employee_number_must_be_free_in_the_new_enterprise(world):
    with pytest.raises(RuleViolation) as refused:
        _start(world, employee_no=world.worker_b.employee_no)
    assert refused.value.field == "employee_no"


# --- both directions of consent -------------------------------------------------------------------------


def _assert_moved(world, transfer, leave_day):
    db.session.expire_all()
    person = db.session.get(User, world.worker_a.id)
    assert db.session.get(Transfer, transfer.id).status == TRANSFER_COMPLETED
    assert (person.enterprise_id, person.employee_no) == (world.enterprise_b.id, "B-0100")
    new, old = employment.history(person)
    assert (old.enterprise_id, old.ended_on, old.end_reason) == (world.enterprise_a.id, leave_day, ENDED_TRANSFERRED)
    assert (new.enterprise_id, new.ended_on, new.employee_no) == (world.enterprise_b.id, None, "B-0100")


def test_old_hr_confirms_the_leave_then_the_person_confirms(world):
    transfer = _start(world)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today())
    db.session.commit()
    assert transfer.status == TRANSFER_PENDING  # the person has not agreed yet
    transfers.confirm(world.worker_a, transfer)
    db.session.commit()
    _assert_moved(world, transfer, clock.today())


def test_the_person_confirms_then_old_hr_confirms_the_leave(world):
    transfer = _start(world)
    transfers.confirm(world.worker_a, transfer)
    db.session.commit()
    assert transfer.status == TRANSFER_PENDING  # waits for the old enterprise
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today() - timedelta(days=2))
    db.session.commit()
    _assert_moved(world, transfer, clock.today() - timedelta(days=2))
    assert "已调入" in str(_messages(world.hr_b)[-1].subject)


def test_old_hr_answers_still_employed_and_the_transfer_stops(world):
    transfer = _start(world)
    transfers.confirm(world.worker_a, transfer)
    transfers.answer(world.hr_a, transfer, still_employed=True)
    db.session.commit()
    assert transfer.status == TRANSFER_STOPPED
    assert world.worker_a.enterprise_id == world.enterprise_a.id
    with clock.frozen(NOW + timedelta(days=30)):
        transfers.run_due(clock.now())
    assert db.session.get(User, world.worker_a.id).enterprise_id == world.enterprise_a.id
    assert any(m.kind == "account.transfer" for m in _messages(world.hr_b))
    with pytest.raises(RuleViolation, match="已经结束"):
        transfers.confirm(world.worker_a, transfer)


def test_no_answer_within_the_configured_days_completes_it_by_the_scheduler(world, app):
    assert app.config["TRANSFER_ANSWER_DAYS"] == 7
    transfer = _start(world)
    transfers.confirm(world.worker_a, transfer)
    db.session.commit()
    with clock.frozen(NOW + timedelta(days=6, hours=23)):
        scheduler.tick()
    assert db.session.get(Transfer, transfer.id).status == TRANSFER_PENDING
    with clock.frozen(NOW + timedelta(days=7, hours=1)):
        assert "1 transfers completed" in scheduler.tick()["accounts.transfers"]
    _assert_moved(world, transfer, (NOW + timedelta(days=7, hours=1)).astimezone(clock.SHANGHAI).date())


def test_the_person_declines_a_transfer_they_never_asked_for(world):
    transfer = _start(world)
    asked = [m for m in _messages(world.worker_a) if m.kind == "account.transfer"]
    assert asked and all(m.read_at is None for m in asked)
    with pytest.raises(NotFound):
        transfers.decline(world.hr_b, transfer)
    transfers.decline(world.worker_a, transfer)
    db.session.commit()
    assert transfer.status == "declined" and world.worker_a.enterprise_id == world.enterprise_a.id
    assert all(m.read_at is not None for m in _messages(world.worker_a) if m.kind == "account.transfer")
    assert any("拒绝了调入申请" in str(m.subject) for m in _messages(world.hr_b))
    old_hr = _messages(world.hr_a)  # A was asked to answer: told, and the question is settled
    assert any("拒绝了调入申请" in str(m.subject) for m in old_hr)
    assert all(m.read_at is not None for m in old_hr if "请确认其离职日期" in str(m.subject))
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "account.transfer_declined"))
    with pytest.raises(RuleViolation, match="已经结束"):
        transfers.confirm(world.worker_a, transfer)
    with clock.frozen(NOW + timedelta(days=30)):
        transfers.run_due(clock.now())
    assert db.session.get(User, world.worker_a.id).enterprise_id == world.enterprise_a.id


def test_confirming_marks_the_message_that_asked_for_it_read(world):
    transfer = _start(world)
    transfers.confirm(world.worker_a, transfer)
    db.session.commit()
    asked = [m for m in _messages(world.worker_a) if m.kind == "account.transfer"]
    assert asked and all(m.read_at is not None for m in asked)


def test_without_the_person_consent_nothing_completes(world):
    transfer = _start(world)
    with clock.frozen(NOW + timedelta(days=20)):
        transfers.run_due(clock.now())
    assert transfer.status == TRANSFER_PENDING and world.worker_a.enterprise_id == world.enterprise_a.id


def test_a_leave_already_recorded_means_the_person_alone_decides(world):
    employment.record_leave(world.hr_a, world.worker_a, clock.today() - timedelta(days=1))
    db.session.commit()
    assert world.worker_a.enterprise_id is None
    transfer = _start(world)
    assert transfer.from_enterprise_id is None
    assert _messages(world.hr_a)[-1].kind == "account.left"  # not asked about the transfer
    transfers.confirm(world.worker_a, transfer)
    db.session.commit()
    assert world.worker_a.enterprise_id == world.enterprise_b.id
    kinds = [(e.enterprise_id, e.end_reason) for e in employment.history(world.worker_a)]
    assert kinds == [(world.enterprise_b.id, None), (world.enterprise_a.id, ENDED_LEFT)]


def test_a_future_leave_date_is_waited_for(world):
    transfer = _start(world)
    transfers.confirm(world.worker_a, transfer)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today() + timedelta(days=10))
    db.session.commit()
    with clock.frozen(NOW + timedelta(days=9)):
        transfers.run_due(clock.now())
    assert world.worker_a.enterprise_id == world.enterprise_a.id
    with clock.frozen(NOW + timedelta(days=10)):
        transfers.run_due(clock.now())
    _assert_moved(world, transfer, clock.today() + timedelta(days=10))


def test_the_person_confirms_on_the_spot_with_the_code(world):
    transfer = _start(world)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today())
    with pytest.raises(RuleViolation) as refused:
        transfers.confirm_with_code(world.worker_a, "WRONG123")
    assert refused.value.field == "code"
    with pytest.raises(RuleViolation):
        transfers.confirm_with_code(world.worker_b, transfer.code)  # someone else's code
    transfers.confirm_with_code(world.worker_a, transfer.code.lower())
    db.session.commit()
    _assert_moved(world, transfer, clock.today())


def test_a_new_code_replaces_the_old_one(world):
    transfer = _start(world)
    old = transfer.code
    new = transfers.reissue_code(world.hr_b, transfer)
    with pytest.raises(RuleViolation):
        transfers.confirm_with_code(world.worker_a, old)
    transfers.confirm_with_code(world.worker_a, new)
    assert transfer.person_confirmed_at is not None
    with pytest.raises(NotFound):
        transfers.reissue_code(world.hr_a, transfer)


def test_only_the_old_enterprise_answers_and_only_the_person_confirms(world):
    transfer = _start(world)
    with pytest.raises(NotFound):
        transfers.answer(world.hr_b, transfer, still_employed=True)
    with pytest.raises(NotFound):
        transfers.confirm(world.hr_b, transfer)
    assert not transfers.can_see(world.worker_b, transfer)
    assert transfers.can_see(world.hr_a, transfer) and transfers.can_see(world.hr_b, transfer)


# --- leaving ----------------------------------------------------------------------------------------------


def test_leaving_ends_enterprise_roles_and_keeps_city_wide_ones(world):
    hr = world.hr_a
    hr.role_rows.extend([UserRole(role=Role.ADMIN.value), UserRole(role=Role.JUDGE.value)])
    db.session.commit()
    employment.record_leave(world.admin, hr, clock.today())
    db.session.commit()
    assert hr.enterprise_id is None and hr.roles == {Role.ADMIN, Role.JUDGE}
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "account.left"))


def test_a_future_leave_takes_effect_on_its_day(world):
    employment.record_leave(world.hr_a, world.worker_a, clock.today() + timedelta(days=3))
    db.session.commit()
    assert world.worker_a.enterprise_id == world.enterprise_a.id
    assert accounts_policy.can_view_worker(world.hr_a, world.worker_a)
    with clock.frozen(NOW + timedelta(days=3)):
        transfers.run_due(clock.now())
    assert db.session.get(User, world.worker_a.id).enterprise_id is None


def test_leave_rules(world):
    with pytest.raises(NotFound):
        employment.record_leave(world.hr_b, world.worker_a, clock.today())
    with pytest.raises(RuleViolation, match="不能早于入职日期"):
        employment.record_leave(world.hr_a, world.worker_a, world.worker_a.hire_date - timedelta(days=1))
    employment.record_leave(world.hr_a, world.worker_a, clock.today() + timedelta(days=5))
    with pytest.raises(RuleViolation, match="已登记离职日期"):
        employment.record_leave(world.hr_a, world.worker_a, clock.today())


def test_leaving_closes_open_commitments_and_tells_the_hr(world, app):
    trade = world.worker_a.trade
    mentor = MentorFactory(enterprise=world.enterprise_a, trade=trade)
    apprentice = ApprenticeFactory(enterprise=world.enterprise_a, trade=trade)
    pair = activate(create_pair(world.hr_a, mentor, apprentice))
    competition = CompetitionFactory(trade=trade, capacity=1)
    first = registration.register(world.hr_a, competition, apprentice)
    waiting = registration.register(world.hr_a, competition, WorkerFactory(enterprise=world.enterprise_a, trade=trade))
    make_eligible(world.hr_a, apprentice)
    title_round = open_round(world.admin, default_titles()["晋江工匠"])
    nomination = nominations.nominate(world.hr_a, title_round, apprentice, "扎根一线，技术精湛，成绩突出。" * 2)
    db.session.commit()
    assert (first.status, waiting.status) == (CONFIRMED, WAITLISTED)

    employment.record_leave(world.hr_a, apprentice, clock.today())
    db.session.commit()
    assert (pair.status, pair.end_reason) == (ENDED_EARLY, "left_company")
    assert (first.status, waiting.status) == ("withdrawn", CONFIRMED)  # the waitlist moved up
    assert nomination.status == NOMINATION_WITHDRAWN
    left = [m for m in _messages(world.hr_a) if m.kind == "account.left"]
    assert len(left) == 1 and left[0].body["args"] == {"pairs": 1, "entries": 1, "nominations": 1, "panels": 0}
    # records stay the enterprise's
    assert (pair.enterprise_id, first.enterprise_id, nomination.enterprise_id) == (world.enterprise_a.id,) * 3


def test_a_pair_goes_on_when_both_sides_are_at_the_same_new_enterprise(world):
    trade = world.worker_a.trade
    mentor = MentorFactory(enterprise=world.enterprise_a, trade=trade)
    apprentice = ApprenticeFactory(enterprise=world.enterprise_a, trade=trade)
    pair = activate(create_pair(world.hr_a, mentor, apprentice))
    mentor.enterprise_id = world.enterprise_b.id  # the mentor moved to B already (pair kept for the test)
    db.session.commit()
    transfer = _start(world, person=apprentice)
    transfers.confirm(apprentice, transfer)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today())
    db.session.commit()
    assert apprentice.enterprise_id == world.enterprise_b.id and pair.is_open


def test_a_person_with_no_employer_keeps_their_growth_record(world):
    employment.record_leave(world.hr_a, world.worker_a, clock.today())
    db.session.commit()
    assert growth_policy.can_view(world.worker_a, world.worker_a)
    assert world.worker_a.has_role(Role.WORKER)


# --- who sees what ------------------------------------------------------------------------------------------


def test_access_of_both_enterprises_hr_before_and_after_a_transfer(world):
    proposal = ProposalFactory(proposer=world.worker_a)
    person = world.worker_a
    assert accounts_policy.can_view_worker(world.hr_a, person)
    assert not accounts_policy.can_view_worker(world.hr_b, person)
    transfer = _start(world)
    transfers.confirm(person, transfer)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today())
    db.session.commit()
    assert not accounts_policy.can_view_worker(world.hr_a, person)  # A lost the profile after the leave
    assert accounts_policy.can_view_worker(world.hr_b, person) and growth_policy.can_view(world.hr_b, person)
    assert proposal_loaders.get_proposal(world.hr_a, proposal.id) == proposal  # A keeps its own records
    with pytest.raises(NotFound):
        proposal_loaders.get_proposal(world.hr_b, proposal.id)  # B never sees A's internal records
    assert proposal.enterprise_id == world.enterprise_a.id


def test_the_id_card_is_shown_whole_only_to_the_current_employer_and_the_person(world):
    world.worker_a.id_card_no = "350582199005200013"
    shown = accounts_policy.shown_id_card
    assert shown(world.hr_a, world.worker_a) == "350582199005200013"
    assert shown(world.worker_a, world.worker_a) == "350582199005200013"
    assert shown(world.admin, world.worker_a) == "350582********0013"
    assert shown(world.hr_b, world.worker_a) == "350582********0013"


# --- phone changes --------------------------------------------------------------------------------------------


def test_the_person_changes_their_phone_with_their_password_and_the_old_number_is_freed(world):
    old = world.worker_a.phone
    with pytest.raises(RuleViolation) as refused:
        phones.change_phone(world.worker_a, world.worker_a, "13955556666", "wrong")
    assert refused.value.field == "password"
    phones.change_phone(world.worker_a, world.worker_a, "139 5555 6666", PASSWORD)
    db.session.commit()
    assert world.worker_a.phone == "13955556666"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "account.phone_changed"))
    assert entry.detail == {"old": old, "new": "13955556666"}
    newcomer = people.create_account(world.hr_b, people.Profile(name="新人", phone=old, employee_no="N1",
                                                                trade_id=TradeFactory().id, skill_level=1))
    assert newcomer.phone == old


def test_hr_of_the_current_employer_changes_a_phone_others_cannot(world):
    phones.change_phone(world.hr_a, world.worker_a, "13955556667")
    assert world.worker_a.phone == "13955556667"
    with pytest.raises(NotFound):
        phones.change_phone(world.hr_b, world.worker_a, "13955556668")
    with pytest.raises(RuleViolation, match="其他账号"):
        phones.change_phone(world.hr_a, world.worker_a, world.worker_b.phone)
    with pytest.raises(RuleViolation, match="相同"):
        phones.change_phone(world.hr_a, world.worker_a, "13955556667")
    hr = HRFactory(enterprise=world.enterprise_a)
    with pytest.raises(NotFound):
        phones.change_phone(hr, world.admin, "13955556669")


def test_the_new_employer_sees_published_results_in_the_growth_record_not_internal_screening(world):
    from services.growth import timeline
    from services.proposals.lifecycle import PUBLISHED_STATUSES
    from tests.factories_proposals import CampaignFactory

    person = world.worker_a
    ProposalFactory(proposer=person, status="rejected", title="被企业退回的提案")
    ProposalFactory(proposer=person, status="awarded", title="已公布获奖的提案",
                    campaign=CampaignFactory(status=sorted(PUBLISHED_STATUSES)[0]))
    transfer = _start(world)
    transfers.confirm(person, transfer)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today())
    db.session.commit()

    def titles(viewer):
        return {e.title for e in timeline.timeline(person, viewer) if e.kind == "proposal"}

    assert titles(world.hr_b) == {"已公布获奖的提案"}
    assert titles(person) == titles(world.admin) == {"被企业退回的提案", "已公布获奖的提案"}


def test_the_home_page_counts_follow_the_person_to_the_new_employer(world):
    from services.accounts import dashboard

    def workers(enterprise):
        return db.session.scalar(select(db.func.count(User.id)).where(User.enterprise_id == enterprise.id))

    before_a, before_b = dashboard.enterprise_summary(world.enterprise_a.id), dashboard.enterprise_summary(
        world.enterprise_b.id)
    transfer = _start(world)
    transfers.confirm(world.worker_a, transfer)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today())
    db.session.commit()
    after_a, after_b = dashboard.enterprise_summary(world.enterprise_a.id), dashboard.enterprise_summary(
        world.enterprise_b.id)
    assert (after_a["workers"], after_b["workers"]) == (before_a["workers"] - 1, before_b["workers"] + 1)
    assert workers(world.enterprise_b) == 4  # hr_b, worker_b, the judge and the newcomer


def test_an_admin_still_edits_a_person_who_left(world):
    employment.record_leave(world.hr_a, world.worker_a, clock.today())
    db.session.commit()
    person = world.worker_a
    people.update_account(world.admin, person, people.Profile(name="改名", phone=person.phone,
                                                              trade_id=person.trade_id, skill_level=person.skill_level))
    people.set_roles(world.admin, person, {Role.WORKER, Role.JUDGE})
    assert person.name == "改名" and person.enterprise_id is None and person.roles == {Role.WORKER, Role.JUDGE}
    with pytest.raises(RuleViolation):
        people.set_roles(world.admin, person, {Role.WORKER, Role.HR})


def test_an_admin_moving_a_person_keeps_the_history(world):
    person = world.worker_a
    employment.open_employment(person)  # as the migration or the account's creation left it
    people.update_account(world.admin, person, people.Profile(
        name=person.name, phone=person.phone, enterprise_id=world.enterprise_b.id, employee_no="B-0900",
        trade_id=person.trade_id, skill_level=person.skill_level, hire_date=person.hire_date))
    db.session.commit()
    new, old = employment.history(person)
    assert (old.enterprise_id, old.ended_on, old.end_reason) == (
        world.enterprise_a.id, clock.today(), ENDED_TRANSFERRED)
    assert (new.enterprise_id, new.employee_no, new.ended_on) == (world.enterprise_b.id, "B-0900", None)


def test_a_keeps_its_own_pairs_and_entries_of_a_person_who_moved_to_b(world):
    from services.competitions.policy import can_see_registration
    from services.mentorship import pairing

    trade = world.worker_a.trade
    mentor = MentorFactory(enterprise=world.enterprise_a, trade=trade)
    pair = activate(create_pair(world.hr_a, mentor, world.worker_a))
    entry = registration.register(world.hr_a, CompetitionFactory(trade=trade), world.worker_a)
    db.session.commit()
    transfer = _start(world)
    transfers.confirm(world.worker_a, transfer)
    transfers.answer(world.hr_a, transfer, still_employed=False, leave_date=clock.today())
    db.session.commit()
    assert pairing.get_pair(world.hr_a, pair.id) == pair and can_see_registration(world.hr_a, entry)
    with pytest.raises(NotFound):
        pairing.get_pair(world.hr_b, pair.id)
    assert not can_see_registration(world.hr_b, entry)
    assert can_see_registration(world.worker_a, entry)  # the person keeps their own
