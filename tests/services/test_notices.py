"""Public notice (公示): working-day periods on a frozen clock, objections, finalising."""

from datetime import UTC, date, datetime

import pytest

from core import clock
from models.notices import OBJECTION_DISMISSED, OBJECTION_UPHELD
from services.common import notices, workdays
from services.errors import NotAllowed, RuleViolation


def at(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 11, 24), 5, date(2026, 12, 1)),   # Tuesday -> next Tuesday
    (date(2026, 11, 27), 5, date(2026, 12, 4)),   # Friday -> Friday (weekend skipped)
    (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday -> Monday
    (date(2026, 2, 12), 5, date(2026, 2, 26)),    # Spring Festival (15-23 Feb off, Sat 14 and 28 Feb worked)
    (date(2026, 9, 30), 5, date(2026, 10, 13)),   # National Day 1-7 Oct off; Saturday 10 October is a workday
    (date(2026, 4, 30), 5, date(2026, 5, 11)),    # Labour Day 1-5 May off; Saturday 9 May is a workday
])
def test_working_days_follow_the_state_councils_schedule(start, days, expected):
    assert workdays.add_working_days(start, days) == (expected, False)


def test_notice_runs_five_working_days_then_accepts_no_objection(world):
    with clock.frozen(at(2026, 11, 24, 2, 0)):  # 10:00 Tuesday in Shanghai
        notice = notices.publish(world.admin, "campaign", 1, "2026年五小·智慧杯评审结果")
    assert notice.ends_at == datetime(2026, 12, 2, 0, 0, tzinfo=clock.SHANGHAI)
    with clock.frozen(at(2026, 12, 1, 15, 59)):  # 23:59 on the last day, Shanghai
        objection = notices.file_objection(world.worker_b, notice, "该提案与去年获奖项目雷同，请复核。")
        assert objection.objector_id == world.worker_b.id
    with clock.frozen(at(2026, 12, 1, 16, 0)), pytest.raises(RuleViolation, match="公示期已结束"):
        notices.file_objection(world.worker_b, notice, "该提案与去年获奖项目雷同，请复核。")


def test_objection_needs_a_reason_of_substance(world):
    with clock.frozen(at(2026, 11, 24, 2)):
        notice = notices.publish(world.admin, "campaign", 1, "结果")
        with pytest.raises(RuleViolation, match="至少 10 个字") as refused:
            notices.file_objection(world.worker_a, notice, "不服")
        assert refused.value.field == "body"


def test_only_admins_publish_resolve_and_finalise(world):
    with pytest.raises(NotAllowed):
        notices.publish(world.hr_a, "campaign", 1, "结果")
    with clock.frozen(at(2026, 11, 24, 2)):
        notice = notices.publish(world.admin, "campaign", 1, "结果")
        objection = notices.file_objection(world.worker_a, notice, "评分过程存在明显的利益冲突。")
        with pytest.raises(NotAllowed):
            notices.resolve_objection(world.hr_a, objection, True, "属实")
    with pytest.raises(RuleViolation, match="已经发布过"):
        notices.publish(world.admin, "campaign", 1, "结果")


def test_finalise_waits_for_the_period_and_every_objection(world):
    from tests.factories_competitions import CompetitionFactory

    competition_id = CompetitionFactory().id  # the city's: its owner, the admin, publishes and resolves
    with clock.frozen(at(2026, 11, 24, 2)):
        notice = notices.publish(world.admin, "competition", competition_id, "竞赛结果")
        first = notices.file_objection(world.worker_a, notice, "第三名的实操成绩登记有误。")
        second = notices.file_objection(world.worker_b, notice, "第五名不是本企业在岗职工。")
        with pytest.raises(RuleViolation, match="尚未结束"):
            notices.finalise(world.admin, notice)
    with clock.frozen(at(2026, 12, 3, 2)):
        with pytest.raises(RuleViolation, match="未处理的异议"):
            notices.finalise(world.admin, notice)
        with pytest.raises(RuleViolation, match="处理意见"):
            notices.resolve_objection(world.admin, first, True, "  ")
        notices.resolve_objection(world.admin, first, True, "经核实已更正成绩。")
        notices.resolve_objection(world.admin, second, False, "经核实为在岗职工。")
        with pytest.raises(RuleViolation, match="已经处理过"):
            notices.resolve_objection(world.admin, second, True, "再次处理")
        notices.finalise(world.admin, notice)
    assert (first.status, second.status, notice.status) == (OBJECTION_UPHELD, OBJECTION_DISMISSED, "final")
    with pytest.raises(RuleViolation, match="已经确认"):
        notices.finalise(world.admin, notice)


def test_an_objection_is_found_only_under_its_own_subject(world):
    from services.errors import NotFound

    with clock.frozen(at(2026, 11, 24, 2)):
        notice = notices.publish(world.admin, "campaign", 1, "结果")
        objection = notices.file_objection(world.worker_a, notice, "评分过程存在明显的利益冲突。")
    assert notices.get_objection(objection.id, "campaign", 1) is objection
    for subject_type, subject_id in (("competition", None), ("campaign", 2)):
        with pytest.raises(NotFound):
            notices.get_objection(objection.id, subject_type, subject_id)
    with pytest.raises(NotFound):
        notices.get_objection(objection.id + 1000, "campaign")


def test_a_period_into_an_unknown_year_is_provisional_until_the_admin_enters_it(world):
    from services.messages import todos

    with clock.frozen(at(2026, 12, 28, 2, 0)):  # Monday 10:00 in Shanghai
        notice = notices.publish(world.admin, "campaign", 1, "年末公示")
        # 29, 30, 31 Dec; 1 Jan (a fixed-date holiday) skipped; 2-3 Jan weekend; 4 and 5 Jan
        assert notice.ends_at == datetime(2027, 1, 6, 0, 0, tzinfo=clock.SHANGHAI) and notice.provisional
        [warning] = [t for t in todos.todos_for(world.admin) if t.link["endpoint"] == "admin.calendar"]
        assert warning.count == 1 and warning.urgent
        assert todos.todos_for(world.hr_a) == []

        workdays.set_override(world.admin, date(2027, 1, 4), False, "元旦调休")
        assert notice.ends_at == datetime(2027, 1, 7, 0, 0, tzinfo=clock.SHANGHAI) and notice.provisional

        workdays.set_override(world.admin, date(2027, 1, 1), False, "元旦")
        workdays.confirm_year(world.admin, 2027)
        assert notice.ends_at == datetime(2027, 1, 7, 0, 0, tzinfo=clock.SHANGHAI) and not notice.provisional
        assert [t for t in todos.todos_for(world.admin) if t.link["endpoint"] == "admin.calendar"] == []


def test_a_local_change_overrides_the_official_calendar(world):
    with clock.frozen(at(2026, 11, 24, 2, 0)):
        notice = notices.publish(world.admin, "campaign", 1, "公示")
        workdays.set_override(world.admin, date(2026, 11, 26), False, "本地活动")
    assert notice.ends_at == datetime(2026, 12, 3, 0, 0, tzinfo=clock.SHANGHAI) and not notice.provisional


def test_only_admins_keep_the_calendar_and_known_years_need_no_confirmation(world):
    with pytest.raises(NotAllowed):
        workdays.set_override(world.hr_a, date(2027, 1, 1), False)
    with pytest.raises(RuleViolation):
        workdays.confirm_year(world.admin, 2026)
    assert workdays.year_state(2026) == "official" and workdays.year_state(2031) == "provisional"
