"""Rules of services/mentorship/: pairing rules with their messages, the state machine, check-ins and
the overdue rule under a frozen clock, assessment, ending early, extension, dissolution."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import clock
from models import db
from models.mentorship import (
    ACTIVE,
    COMPLETED,
    DISSOLVED,
    ENDED_EARLY,
    PROPOSED,
    MentorLoad,
    MentorPair,
    PairStatusChange,
)
from models.skills import SkillLevelChange
from services.common import skills
from services.errors import NotAllowed, NotFound, RuleViolation
from services.mentorship import assessment, checkins, lifecycle, pairing, settings, terms
from tests.factories import EnterpriseFactory, HRFactory, TradeFactory, WorkerFactory
from tests.factories_mentorship import activate, create_pair

NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 2 March 2026, noon in Shanghai


@pytest.fixture
def frozen():
    with clock.frozen(NOON):
        yield


@pytest.fixture
def shop(frozen):
    enterprise = EnterpriseFactory()
    trade = TradeFactory(name="运动鞋制作工")
    return {
        "enterprise": enterprise,
        "trade": trade,
        "hr": HRFactory(enterprise=enterprise),
        "mentor": WorkerFactory(enterprise=enterprise, trade=trade, skill_level=4, name="陈师傅"),
        "apprentice": WorkerFactory(enterprise=enterprise, trade=trade, skill_level=1, name="林徒弟"),
    }


def plan(shop, **kw):
    values = {"mentor_id": shop["mentor"].id, "apprentice_id": shop["apprentice"].id,
              "trade_id": shop["trade"].id, "goal_level": 2, "goals": "掌握帮底结合工艺",
              "start_date": date(2026, 3, 2)}
    values.update(kw)
    return pairing.PairPlan(**values)


def refused(shop, field, fragment, **kw):
    with pytest.raises(RuleViolation) as error:
        pairing.create_pair(shop["hr"], plan(shop, **kw))
    assert error.value.field == field
    assert fragment in str(error.value.message)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(MentorPair.id))) == 0


# --- journey 1: the pairing rules -----------------------------------------------------------------


def test_hr_creates_a_proposed_pair_with_defaults(shop):
    pair = pairing.create_pair(shop["hr"], plan(shop))
    assert pair.status == PROPOSED
    assert pair.planned_end == date(2027, 3, 2)  # default 12 months
    assert pair.checkin_frequency == "monthly"
    assert pair.enterprise_id == shop["enterprise"].id
    assert pair.apprentice_level_at_start == 1
    assert pair.credit_until == date(2030, 3, 2)
    (change,) = lifecycle.history(pair)
    assert (change.from_status, change.to_status, change.actor_id) == (None, PROPOSED, shop["hr"].id)
    assert db.session.get(MentorLoad, shop["mentor"].id).open_pairs == 1


def test_mentor_below_senior_worker_is_refused(shop):
    shop["mentor"].skill_level = 2
    db.session.commit()
    refused(shop, "mentor_id", "师傅须达到高级工（三级）及以上，或持有工匠称号", goal_level=2,
            apprentice_id=WorkerFactory(enterprise=shop["enterprise"], skill_level=0).id)


def test_craftsman_title_lets_a_lower_level_mentor(shop, monkeypatch):
    shop["mentor"].skill_level = 2
    db.session.commit()
    monkeypatch.setattr(pairing, "holds_craftsman_title", lambda user: True)
    pair = pairing.create_pair(shop["hr"], plan(shop))
    assert pair.status == PROPOSED


def test_mentor_not_one_level_above_is_refused(shop):
    shop["apprentice"].skill_level = 4
    db.session.commit()
    refused(shop, "mentor_id", "师傅的技能等级须至少比徒弟高一级", goal_level=5)


def test_self_pairing_is_refused(shop):
    refused(shop, "apprentice_id", "师傅和徒弟不能是同一个人", apprentice_id=shop["mentor"].id)


def test_people_of_another_enterprise_are_not_found(shop):
    stranger = WorkerFactory(enterprise=EnterpriseFactory(), skill_level=1)
    with pytest.raises(NotFound):
        pairing.create_pair(shop["hr"], plan(shop, apprentice_id=stranger.id))
    other_mentor = WorkerFactory(enterprise=stranger.enterprise, skill_level=5)
    with pytest.raises(NotFound):
        pairing.create_pair(shop["hr"], plan(shop, mentor_id=other_mentor.id))


def test_only_hr_creates_pairs(shop):
    with pytest.raises(NotAllowed):
        pairing.create_pair(shop["mentor"], plan(shop))


def test_apprentice_already_paired_in_this_trade_is_refused(shop):
    create_pair(shop["hr"], shop["mentor"], shop["apprentice"], trade_id=shop["trade"].id)
    other_mentor = WorkerFactory(enterprise=shop["enterprise"], skill_level=5)
    with pytest.raises(RuleViolation) as error:
        pairing.create_pair(shop["hr"], plan(shop, mentor_id=other_mentor.id))
    assert error.value.field == "apprentice_id"
    assert "在“运动鞋制作工”工种已有师傅（陈师傅）" in str(error.value.message)
    db.session.rollback()
    # another trade is fine
    sewing = TradeFactory(name="缝纫工")
    assert pairing.create_pair(shop["hr"], plan(shop, mentor_id=other_mentor.id, trade_id=sewing.id)).id


def test_mentor_at_the_maximum_is_refused_and_a_place_frees_when_a_pair_ends(shop):
    pairs = [create_pair(shop["hr"], shop["mentor"], WorkerFactory(enterprise=shop["enterprise"], skill_level=1))
             for _ in range(3)]
    with pytest.raises(RuleViolation) as error:
        pairing.create_pair(shop["hr"], plan(shop))
    assert error.value.field == "mentor_id"
    assert "陈师傅 已有 3 名在带或待确认的徒弟，达到上限" in str(error.value.message)
    db.session.rollback()
    pairing.dissolve(shop["hr"], db.session.get(MentorPair, pairs[0].id), "岗位调整，取消安排")
    db.session.commit()
    assert pairing.create_pair(shop["hr"], plan(shop)).status == PROPOSED
    assert db.session.get(MentorLoad, shop["mentor"].id).open_pairs == 3


def test_maximum_is_a_setting(shop, world):
    settings.update_settings(world.admin, max_active_apprentices=1)
    db.session.commit()
    create_pair(shop["hr"], shop["mentor"], shop["apprentice"])
    with pytest.raises(RuleViolation, match="已有 1 名"):
        pairing.create_pair(shop["hr"], plan(shop, apprentice_id=WorkerFactory(
            enterprise=shop["enterprise"], skill_level=1).id))


def test_term_must_be_12_to_36_months(shop):
    refused(shop, "planned_end", "协议期限须为 12 至 36 个月", planned_end=date(2027, 1, 1))
    refused(shop, "planned_end", "协议期限须为 12 至 36 个月", planned_end=date(2029, 3, 3))
    assert pairing.create_pair(shop["hr"], plan(shop, planned_end=date(2029, 3, 2))).planned_end == date(2029, 3, 2)


def test_goal_level_must_be_above_the_apprentice(shop):
    refused(shop, "goal_level", "目标等级须高于徒弟现在的等级", goal_level=1)


def test_quarterly_frequency_allowed_unknown_refused(shop):
    refused(shop, "checkin_frequency", "请选择带徒记录频率", checkin_frequency="weekly")
    assert pairing.create_pair(shop["hr"], plan(shop, checkin_frequency="quarterly")).checkin_frequency == "quarterly"


def test_add_months_clamps_to_month_end():
    assert terms.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert terms.add_months(date(2027, 12, 15), 3) == date(2028, 3, 15)
    assert terms.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


# --- journey 2: agreement, dissolution -------------------------------------------------------------


def test_pair_becomes_active_when_both_confirm(shop):
    pair = create_pair(shop["hr"], shop["mentor"], shop["apprentice"])
    pairing.confirm_agreement(shop["mentor"], pair)
    assert pair.status == PROPOSED and pair.mentor_confirmed_at == NOON
    with pytest.raises(RuleViolation, match="您已确认过"):
        pairing.confirm_agreement(shop["mentor"], pair)
    pairing.confirm_agreement(shop["apprentice"], pair)
    assert pair.status == ACTIVE
    assert pair.activated_on == date(2026, 3, 2)
    assert pair.next_checkin_due == date(2026, 4, 2)
    assert [h.to_status for h in lifecycle.history(pair)] == [PROPOSED, ACTIVE]


def test_a_pair_entered_with_a_past_start_is_judged_from_that_start(shop):
    """Started 5 January, entered and confirmed 2 March (monthly): the first check-in fell due on
    5 February, so the pair is overdue at once (5 Feb + 7 days grace < 2 March), not due on 2 April."""
    pair = activate(create_pair(shop["hr"], shop["mentor"], shop["apprentice"], start_date=date(2026, 1, 5)))
    assert pair.activated_on == date(2026, 3, 2)
    assert pair.next_checkin_due == date(2026, 2, 5)
    assert checkins.checkin_state(pair) == "overdue"


def test_hr_cannot_confirm_for_the_pair(shop):
    pair = create_pair(shop["hr"], shop["mentor"], shop["apprentice"])
    with pytest.raises(NotAllowed):
        pairing.confirm_agreement(shop["hr"], pair)


def test_either_side_dissolves_within_the_first_month_only(shop):
    pair = activate(create_pair(shop["hr"], shop["mentor"], shop["apprentice"]))
    with clock.frozen(datetime(2026, 4, 3, 4, tzinfo=UTC)):  # one month and a day later
        with pytest.raises(RuleViolation, match="满一个月后不能再解除"):
            pairing.dissolve(shop["apprentice"], pair, "不适应")
        assert pair.status == ACTIVE
    with clock.frozen(datetime(2026, 4, 2, 4, tzinfo=UTC)):
        with pytest.raises(NotAllowed):
            pairing.dissolve(shop["hr"], pair, "企业调整")
        with pytest.raises(RuleViolation, match="请说明解除原因"):
            pairing.dissolve(shop["apprentice"], pair, "  ")
        pairing.dissolve(shop["apprentice"], pair, "工作时间无法配合")
    assert pair.status == DISSOLVED
    last = lifecycle.history(pair)[-1]
    assert (last.from_status, last.to_status, last.reason, last.actor_id) == (
        ACTIVE, DISSOLVED, "工作时间无法配合", shop["apprentice"].id)
    assert db.session.get(MentorLoad, shop["mentor"].id).open_pairs == 0


# --- journey 3: check-ins and the overdue rule -------------------------------------------------------


def test_mentor_records_apprentice_confirms_and_due_date_moves(shop):
    pair = activate(create_pair(shop["hr"], shop["mentor"], shop["apprentice"]))
    checkin = checkins.record_checkin(shop["mentor"], pair, checkin_date=date(2026, 3, 2), hours="2.5",
                                     taught="讲解鞋面缝合", skill_points="针距控制")
    assert checkin.hours == Decimal("2.5") and checkin.status == "pending"
    with pytest.raises(NotAllowed):
        checkins.respond_checkin(shop["mentor"], checkin, confirm=True)
    checkins.respond_checkin(shop["apprentice"], checkin, confirm=True)
    assert pair.last_checkin_on == date(2026, 3, 2)
    assert pair.next_checkin_due == date(2026, 4, 2)
    with pytest.raises(RuleViolation, match="不能再次操作"):
        checkins.respond_checkin(shop["apprentice"], checkin, confirm=False, note="x")


def test_dispute_needs_a_note_and_does_not_count(shop):
    pair = activate(create_pair(shop["hr"], shop["mentor"], shop["apprentice"]))
    checkin = checkins.record_checkin(shop["mentor"], pair, checkin_date=date(2026, 3, 2), hours=3,
                                     taught="机台调试", skill_points="压力设定")
    with pytest.raises(RuleViolation) as error:
        checkins.respond_checkin(shop["apprentice"], checkin, confirm=False, note="")
    assert error.value.field == "note"
    checkins.respond_checkin(shop["apprentice"], checkin, confirm=False, note="那天我休假")
    assert checkin.status == "disputed" and pair.last_checkin_on is None


@pytest.mark.parametrize(("field", "kwargs", "fragment"), [
    ("checkin_date", {"checkin_date": date(2026, 3, 3)}, "日期不能晚于今天"),
    ("checkin_date", {"checkin_date": date(2026, 3, 1)}, "日期不能早于结对开始日期"),
    ("hours", {"hours": "0"}, "带徒时长须在 0.1 到 300 小时之间"),
    ("hours", {"hours": "abc"}, "请填写数字"),
    ("hours", {"hours": "2.25"}, "最多 1 位小数"),
    ("taught", {"taught": " "}, "请写明传授的内容"),
    ("skill_points", {"skill_points": ""}, "请填写练习的技能要点"),
])
def test_checkin_rules(shop, field, kwargs, fragment):
    pair = activate(create_pair(shop["hr"], shop["mentor"], shop["apprentice"]))
    values = {"checkin_date": date(2026, 3, 2), "hours": "2", "taught": "讲解", "skill_points": "要点", **kwargs}
    with pytest.raises(RuleViolation) as error:
        checkins.record_checkin(shop["mentor"], pair, **values)
    assert error.value.field == field and fragment in str(error.value.message)


def test_only_the_mentor_records_and_only_on_active_pairs(shop):
    pair = create_pair(shop["hr"], shop["mentor"], shop["apprentice"])
    with pytest.raises(RuleViolation, match="只有带徒中的结对"):
        checkins.record_checkin(shop["mentor"], pair, checkin_date=date(2026, 3, 2), hours=1, taught="a",
                               skill_points="b")
    activate(pair)
    with pytest.raises(NotAllowed):
        checkins.record_checkin(shop["apprentice"], pair, checkin_date=date(2026, 3, 2), hours=1, taught="a",
                               skill_points="b")


def test_overdue_follows_frequency_plus_grace_with_a_frozen_clock(shop):
    pair = activate(create_pair(shop["hr"], shop["mentor"], shop["apprentice"]))  # due 2 April
    current = settings.get_settings()
    assert current.grace_days == 7
    at = {day: datetime(2026, 4, day, 4, tzinfo=UTC) for day in range(1, 30)}
    with clock.frozen(at[1]):  # Wednesday 1 April: due this week
        assert checkins.checkin_state(pair) == "due"
    with clock.frozen(at[9]):  # 2 April + 7 days grace = 9 April: still not overdue
        assert checkins.checkin_state(pair) == "due"
    with clock.frozen(at[10]):
        assert checkins.checkin_state(pair) == "overdue"
        checkin = checkins.record_checkin(shop["mentor"], pair, checkin_date=date(2026, 4, 10), hours=2,
                                         taught="补记录", skill_points="要点")
        assert checkins.checkin_state(pair) == "overdue"  # pending does not count
        checkins.respond_checkin(shop["apprentice"], checkin, confirm=True)
        assert checkins.checkin_state(pair) == "ok"  # next due 10 May
    quarterly = activate(create_pair(shop["hr"], shop["mentor"], WorkerFactory(
        enterprise=shop["enterprise"], skill_level=0), checkin_frequency="quarterly"))
    with clock.frozen(at[20]):
        assert quarterly.next_checkin_due == date(2026, 6, 2)
        assert checkins.checkin_state(quarterly) == "ok"


# --- journey 4: assessment, end early, extension, the state machine --------------------------------


def active_pair(shop, **kw):
    return activate(create_pair(shop["hr"], shop["mentor"], shop["apprentice"], **kw))


def test_assessment_before_the_planned_end_is_refused(shop):
    pair = active_pair(shop)
    data = assessment.AssessmentData(grade="pass", level_reached=2, score=Decimal("85"), assessor="考评组")
    with pytest.raises(RuleViolation) as error:
        assessment.assess(shop["hr"], pair, data)
    assert error.value.field == "assessed_on" and "当天或之后" in str(error.value.message)
    assert pair.status == ACTIVE


def test_passing_assessment_raises_the_skill_level_with_history(shop):
    pair = active_pair(shop)
    with clock.frozen(datetime(2027, 3, 3, 4, tzinfo=UTC)):
        data = assessment.AssessmentData(grade="excellent", level_reached=2, score=Decimal("92.5"),
                                      assessor="公司考评小组", notes="操作规范")
        result = assessment.assess(shop["hr"], pair, data)
    assert pair.status == COMPLETED and pair.ended_on == date(2027, 3, 3)
    assert shop["apprentice"].skill_level == 2
    entry = db.session.get(SkillLevelChange, result.skill_change_id)
    assert (entry.reason, entry.source_type, entry.source_id, entry.previous_level) == (
        "assessment", "mentor_pair", pair.id, 1)
    assert skills.history(shop["apprentice"].id)[-1].id == entry.id
    assert lifecycle.history(pair)[-1].to_status == COMPLETED
    assert db.session.get(MentorLoad, shop["mentor"].id).open_pairs == 0


@pytest.mark.parametrize(("kwargs", "field", "fragment"), [
    ({"grade": ""}, "grade", "请选择考核结果"),
    ({"level_reached": None}, "level_reached", "考核通过时请选择"),
    ({"grade": "fail", "level_reached": 3}, "level_reached", "不合格时不能晋升"),
    ({"score": Decimal("101")}, "score", "0 到 100"),
    ({"assessor": ""}, "assessor", "请填写考核人"),
])
def test_assessment_rules(shop, kwargs, field, fragment):
    pair = active_pair(shop)
    values = {"grade": "pass", "level_reached": 2, "score": Decimal("80"), "assessor": "考评组", **kwargs}
    with clock.frozen(datetime(2027, 3, 3, 4, tzinfo=UTC)), pytest.raises(RuleViolation) as error:
        assessment.assess(shop["hr"], pair, assessment.AssessmentData(**values))
    assert error.value.field == field and fragment in str(error.value.message)


def test_failing_assessment_completes_without_a_level_change(shop):
    pair = active_pair(shop)
    with clock.frozen(datetime(2027, 3, 3, 4, tzinfo=UTC)):
        assessment.assess(shop["hr"], pair,
                          assessment.AssessmentData(grade="fail", score=Decimal("40"), assessor="考评组"))
    assert pair.status == COMPLETED and shop["apprentice"].skill_level == 1


def test_end_early_with_reason(shop):
    pair = active_pair(shop)
    with pytest.raises(RuleViolation) as error:
        pairing.end_early(shop["hr"], pair, "")
    assert error.value.field == "reason"
    with pytest.raises(RuleViolation, match="选择“其他”时请写明原因"):
        pairing.end_early(shop["hr"], pair, "other", "")
    with pytest.raises(NotAllowed):
        pairing.end_early(shop["mentor"], pair, "left_company")
    pairing.end_early(shop["hr"], pair, "left_company", "3 月离职")
    assert pair.status == ENDED_EARLY and pair.end_reason == "left_company"
    assert lifecycle.history(pair)[-1].reason == "离职：3 月离职"


def test_extend_once_within_36_months(shop):
    pair = active_pair(shop)
    with pytest.raises(RuleViolation, match="不能超过 36 个月"):
        pairing.extend(shop["hr"], pair, date(2029, 3, 3), "继续提高")
    with pytest.raises(RuleViolation, match="须晚于现在的结束日期"):
        pairing.extend(shop["hr"], pair, date(2027, 3, 2), "继续提高")
    pairing.extend(shop["hr"], pair, date(2028, 3, 2), "备战技师考核")
    assert pair.extended and pair.planned_end == date(2028, 3, 2) and pair.credit_until == date(2031, 3, 2)
    last = lifecycle.history(pair)[-1]
    assert (last.from_status, last.to_status) == (ACTIVE, ACTIVE) and "备战技师考核" in last.reason
    with pytest.raises(RuleViolation, match="只能延期一次"):
        pairing.extend(shop["hr"], pair, date(2029, 3, 2), "再延")


ILLEGAL = [
    ("proposed", lambda s, p: assessment.assess(s["hr"], p, assessment.AssessmentData(
        grade="pass", level_reached=2, score=Decimal(80), assessor="x"))),
    ("proposed", lambda s, p: pairing.end_early(s["hr"], p, "left_company")),
    ("proposed", lambda s, p: pairing.extend(s["hr"], p, date(2027, 6, 1), "x")),
    ("completed", lambda s, p: pairing.confirm_agreement(s["mentor"], p)),
    ("completed", lambda s, p: pairing.end_early(s["hr"], p, "left_company")),
    ("completed", lambda s, p: pairing.dissolve(s["apprentice"], p, "不想学了")),
    ("ended_early", lambda s, p: pairing.extend(s["hr"], p, date(2027, 6, 1), "x")),
    ("dissolved", lambda s, p: checkins.record_checkin(s["mentor"], p, checkin_date=date(2026, 3, 2), hours=1,
                                                       taught="a", skill_points="b")),
]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(shop, status, action):
    pair = create_pair(shop["hr"], shop["mentor"], shop["apprentice"])
    if status != "proposed":
        pair.status = status
        db.session.commit()
    changes_before = db.session.scalar(db.select(db.func.count(PairStatusChange.id)))
    with clock.frozen(datetime(2027, 3, 3, 4, tzinfo=UTC)), pytest.raises(RuleViolation):
        action(shop, pair)
    db.session.rollback()
    fresh = db.session.get(MentorPair, pair.id)
    assert fresh.status == status
    assert not fresh.extended
    assert db.session.scalar(db.select(db.func.count(PairStatusChange.id))) == changes_before


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=0, max_value=48))
def test_add_months_lands_in_the_right_month_never_past_the_day(day, months):
    result = terms.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    if result.day < day.day:  # clamped: only to the last day of a shorter month
        assert (result + timedelta(days=1)).day == 1
