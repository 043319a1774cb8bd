"""Demo data of the mentorship area for `make run` (called at the end of demo.seed_demo).

Every state of a pair, built by replaying its history through the services with the clock set to
past days (relative to today), so the rows are exactly what the app itself would have written:
- the demo 'worker' (吴小龙) is the apprentice of an active pair with a pending check-in to confirm;
- an overdue pair, a proposed pair awaiting the apprentice, a pair past its planned end (assessment
  due), a completed excellent pair published in last year's selection, a completed pair nominated
  this year, a failed assessment, a pair ended early and a dissolved one; a few pairs in enterprise B.
Idempotent: does nothing when the demo enterprises already have pairs.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from core import clock
from models import Enterprise, User, db
from models.mentorship import MentorPair
from services.mentorship import assessment, checkins, excellent, pairing, terms


@contextmanager
def _on(day: date):
    """Act as if it were 10:00 in Shanghai on `day`, or now if that is later than now (today before 10:00):
    demo data is never dated after clock.now()."""
    moment = min(datetime.combine(day, time(2, 0), tzinfo=UTC), clock.now())
    with clock.frozen(moment):
        yield


def _worker(enterprise_index: int, n: int) -> User:
    """The n-th generated demo worker of enterprise A (0) or B (1) (see demo.accounts)."""
    return db.session.scalar(db.select(User).where(User.phone == f"139{enterprise_index + 1:02d}{n + 100:06d}"))


def _pair(hr, mentor, apprentice, start: date, *, frequency="monthly", confirm=True, goals=None) -> MentorPair:
    with _on(start):
        pair = pairing.create_pair(hr, pairing.PairPlan(
            mentor_id=mentor.id, apprentice_id=apprentice.id, trade_id=apprentice.trade_id,
            goal_level=min((apprentice.skill_level or 0) + 1, 7), start_date=start, checkin_frequency=frequency,
            goals=goals or f"熟练掌握{apprentice.trade.name}的关键工序，达到上一级职业技能等级的要求。"))
        if confirm:
            pairing.confirm_agreement(mentor, pair)
            pairing.confirm_agreement(apprentice, pair)
    return pair


TOPICS = (
    ("鞋面缝合的针距与线迹控制", "针距均匀、线迹平直"),
    ("帮底结合前的刷胶与烘干", "胶层厚度、烘干温度"),
    ("成型机台的日常点检与调试", "压力与温度设定"),
    ("质量缺陷的判定与返修", "开胶、溢胶判定"),
    ("新款鞋型的工艺单解读", "工序排布"),
)


def _checkins(pair: MentorPair, days: list[date], *, confirm=True, dispute_last=False) -> None:
    for index, day in enumerate(days):
        topic, points = TOPICS[index % len(TOPICS)]
        with _on(day):
            checkin = checkins.record_checkin(pair.mentor, pair, checkin_date=day, hours=Decimal("3.5"),
                                             taught=f"讲解并示范{topic}，徒弟上机练习。", skill_points=points)
        if confirm:
            with _on(day + timedelta(days=1)):
                last = dispute_last and index == len(days) - 1
                checkins.respond_checkin(pair.apprentice, checkin, confirm=not last,
                                        note="当天我在外培训，不在车间。" if last else "")


def _assess(hr, pair: MentorPair, day: date, grade: str, score: str, level: int | None) -> None:
    with _on(day):
        assessment.assess(hr, pair, assessment.AssessmentData(grade=grade, level_reached=level, score=Decimal(score),
                                                        assessor="企业技能考评小组", notes="现场实操考核与答辩。"))


@dataclass(frozen=True)
class _Cast:
    """Who the demo pairs are made by and for: the demo enterprises' HR, the admin, the demo worker and judge."""

    hr_a: User
    hr_b: User
    admin: User
    worker: User
    judge: User
    today: date


def _cast() -> _Cast | None:
    """The demo accounts, or None when the demo enterprises are missing or already have pairs."""
    a = db.session.scalar(db.select(Enterprise).where(Enterprise.name == "晋江市恒信鞋业有限公司"))
    b = db.session.scalar(db.select(Enterprise).where(Enterprise.name == "晋江市华彩纺织有限公司"))
    if a is None or b is None:
        return None
    if db.session.scalar(db.select(MentorPair.id).where(MentorPair.enterprise_id.in_((a.id, b.id))).limit(1)):
        return None
    people = {name: db.session.scalar(db.select(User).where(User.username == name))
              for name in ("hr_a", "hr_b", "admin", "worker", "judge")}
    if not all(people.values()):
        return None
    return _Cast(**people, today=clock.today())


def _running_pairs(cast: _Cast) -> list[MentorPair]:
    """Enterprise A (footwear; senior workers n=4 技师, n=5 高级技师, n=7 首席技师 运动鞋制作工, n=6 缝纫工):
    an active pair of the demo worker with a check-in to confirm, an overdue pair, a proposed pair and a
    pair whose assessment is due."""
    hr_a, today = cast.hr_a, cast.today
    active = _pair(hr_a, _worker(0, 5), cast.worker, today - timedelta(days=75))
    _checkins(active, [today - timedelta(days=70), today - timedelta(days=40), today - timedelta(days=12)])
    with _on(today):
        checkins.record_checkin(active.mentor, active, checkin_date=today, hours=Decimal("4"),
                               taught="示范新款跑鞋的帮底结合，徒弟独立完成两双。", skill_points="对位、压合")
    overdue = _pair(hr_a, _worker(0, 4), _worker(0, 1), today - timedelta(days=130))  # no confirmed check-in
    _checkins(overdue, [today - timedelta(days=120), today - timedelta(days=95)])  # for two months
    _checkins(overdue, [today - timedelta(days=20)], dispute_last=True)
    proposed = _pair(hr_a, _worker(0, 7), _worker(0, 8), today - timedelta(days=2), confirm=False)
    with _on(today - timedelta(days=1)):  # the mentor has confirmed, the apprentice not yet
        pairing.confirm_agreement(proposed.mentor, proposed)
    start = terms.add_months(today - timedelta(days=7), -12)  # planned end passed last week
    assessment_due = _pair(hr_a, _worker(0, 7), _worker(0, 2), start, frequency="quarterly")
    _checkins(assessment_due, [start + timedelta(days=80 * k) for k in range(1, 5)])
    return [active, overdue, proposed, assessment_due]


def _honoured_pairs(cast: _Cast) -> list[MentorPair]:
    """Enterprise A: a pair completed last year with 优秀, selected as an excellent pair of last year (the
    notice is over, the honour final), and a pair completed this year with a pass, nominated this year.
    Enterprise B: a pair of the same selection whose honour was revoked afterwards."""
    hr_a, admin, today = cast.hr_a, cast.admin, cast.today
    start = date(today.year - 2, 3, 1)
    excellent_pair = _pair(hr_a, _worker(0, 5), _worker(0, 10), start)
    _checkins(excellent_pair, [start + timedelta(days=30 * k) for k in range(1, 12)])
    _assess(hr_a, excellent_pair, date(today.year - 1, 3, 5), "excellent", "93.5", 3)
    # Enterprise B: a pair honoured in the same selection whose honour was later revoked (已撤销).
    revoked_pair = _pair(cast.hr_b, _worker(1, 6), _worker(1, 9), start)
    _checkins(revoked_pair, [start + timedelta(days=30 * k) for k in range(1, 12)])
    _assess(cast.hr_b, revoked_pair, date(today.year - 1, 3, 5), "excellent", "91", 2)
    with _on(date(today.year - 1, 11, 20)):
        nomination = excellent.nominate(hr_a, excellent_pair,
                                        "师傅倾囊相授，徒弟出师考核优秀并晋升高级工，已成为车间技术骨干。")
        excellent.select(admin, nomination)
        revoked = excellent.nominate(cast.hr_b, revoked_pair, "师徒结对一年，徒弟掌握缝纫关键工序，带动班组效率提升。")
        excellent.select(admin, revoked)
        excellent.publish(admin, today.year - 1)
    with _on(date(today.year - 1, 12, 10)):
        excellent.finalise(admin, today.year - 1)
    with _on(date(today.year - 1, 12, 20)):
        excellent.revoke(admin, revoked, "经复核，推荐材料中的考核成绩与原始记录不符。")
    start = terms.add_months(today - timedelta(days=40), -12)
    nominated = _pair(hr_a, _worker(0, 4), _worker(0, 11), start)
    _checkins(nominated, [start + timedelta(days=30 * k) for k in range(1, 12)])
    assessed = max(today - timedelta(days=35), nominated.planned_end)
    _assess(hr_a, nominated, assessed, "pass", "82", 4)
    if assessed.year == today.year:  # for the admin to select
        with _on(today):
            excellent.nominate(hr_a, nominated, "结对一年按时记录，徒弟晋升技师，带动班组质量提升。")
    return [excellent_pair, nominated]


def _ended_pairs(cast: _Cast) -> list[MentorPair]:
    """Enterprise A: a failed assessment and a pair ended early (sewing trade, mentor n=6), and a pair
    dissolved within its first month."""
    hr_a, today = cast.hr_a, cast.today
    start = terms.add_months(today - timedelta(days=20), -12)
    failed = _pair(hr_a, _worker(0, 6), _worker(0, 0), start)
    _checkins(failed, [start + timedelta(days=30 * k) for k in range(1, 11)])
    _assess(hr_a, failed, max(today - timedelta(days=10), failed.planned_end), "fail", "52", None)
    ended = _pair(hr_a, _worker(0, 6), _worker(0, 9), today - timedelta(days=200))
    _checkins(ended, [today - timedelta(days=170)])
    with _on(today - timedelta(days=100)):
        pairing.end_early(hr_a, ended, "left_company", "徒弟因家庭原因返乡。")
    dissolved = _pair(hr_a, _worker(0, 7), _worker(0, 3), today - timedelta(days=60))
    with _on(today - timedelta(days=45)):
        pairing.dissolve(dissolved.apprentice, dissolved, "班次调整后无法与师傅同班。")
    return [failed, ended, dissolved]


def _textile_pairs(cast: _Cast) -> list[MentorPair]:
    """Enterprise B (textile): the judge (高级技师) mentors an active pair; another pair is overdue."""
    today = cast.today
    judged = _pair(cast.hr_b, cast.judge, _worker(1, 1), today - timedelta(days=50))
    _checkins(judged, [today - timedelta(days=25)])
    return [judged, _pair(cast.hr_b, _worker(1, 5), _worker(1, 2), today - timedelta(days=100))]


def seed() -> dict:
    """Every state of a pair in the demo enterprises (see the module's docstring); {"pairs": how many made}."""
    cast = _cast()
    if cast is None:
        return {"pairs": 0}
    made = [*_running_pairs(cast), *_honoured_pairs(cast), *_ended_pairs(cast), *_textile_pairs(cast)]
    db.session.flush()
    return {"pairs": len(made)}
