"""Mentor-apprentice pairs over five years (about 1,000 in the city, a model share in enterprise A),
with their agreements, status history, check-ins, final assessments, the mentors' load counters and
past years' excellent-pair selections.

The rules of models/mentorship.py and the mentorship service hold: a mentor is at least 高级工 and one
level above the apprentice; an apprentice has one open pair; at most two open pairs per mentor here
(the limit is three); terms of 12-36 months; the pair is active from the day both confirmed; the
next check-in is due one period after the last confirmed one; a passed assessment that raised the
apprentice's level is in their skill history (reason "assessment"); credits run three years past
the end, none for a dissolved pair.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import case, delete, func, insert, select

from bench.seed import accounts, texts
from bench.seed.context import Context, Person, SkillEvent
from models import db
from models.mentorship import (
    ACTIVE,
    CHECKIN_CONFIRMED,
    CHECKIN_DISPUTED,
    CHECKIN_PENDING,
    COMPLETED,
    DISSOLVED,
    ENDED_EARLY,
    EXCELLENT_NOTICE_SUBJECT,
    FREQUENCY_MONTHS,
    GRADE_EXCELLENT,
    GRADE_FAIL,
    GRADE_PASS,
    MONTHLY,
    PROPOSED,
    QUARTERLY,
    Assessment,
    CheckIn,
    ExcellentNomination,
    ExcellentRound,
    MentorLoad,
    MentorPair,
    MentorshipFigures,
    PairStatusChange,
)
from models.notices import NOTICE_FINAL, PublicNotice
from models.skills import REASON_ASSESSMENT, REASON_INITIAL, SkillLevelChange

PAIRS = 1_000
A_PAIRS = 25
GRADE_LABELS = {GRADE_EXCELLENT: "优秀", GRADE_PASS: "合格", GRADE_FAIL: "不合格"}
END_LABELS = {"left_company": "离职", "changed_post": "调岗", "health": "身体原因",
              "mentor_unavailable": "师傅无法继续带徒"}
GOAL_NAMES = ("初级工", "中级工", "高级工", "技师")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (as the mentorship service counts)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _at(day: date, hour: int = 2) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


class _Rows:
    def __init__(self):
        self.pairs, self.changes, self.checkins, self.assessments = [], [], [], []
        self.promoted: list[int] = []  # apprentices whose level the assessment raised


def generate(ctx: Context) -> None:
    """The pairs and everything hanging from them; the excellent selections of past years."""
    rng = ctx.rng
    rows = _Rows()
    mentor_open: Counter[int] = Counter()
    mentor_all: Counter[int] = Counter()
    used: set[int] = set()
    a_id = ctx.demo_enterprises["A"]
    wanted = [a_id] * min(ctx.n(A_PAIRS, 4), 40)
    everyone = ctx.participants()
    wanted += [rng.choice(everyone).enterprise_id for _ in range(ctx.n(PAIRS, 8) - len(wanted))]
    for enterprise_id in wanted:
        staff = [p for p in ctx.staff[enterprise_id] if p.id not in ctx.demo_ids]
        pair = _pair(ctx, rows, staff, used, mentor_open, mentor_all)
        if pair is not None and enterprise_id == a_id and pair["status"] == ACTIVE:
            ctx.manifest.setdefault("pair_id", pair["id"])
    ctx.writer.insert(MentorPair.__table__, rows.pairs)
    ctx.writer.insert(PairStatusChange.__table__, rows.changes)
    ctx.writer.insert(CheckIn.__table__, rows.checkins)
    accounts.write_history(ctx, rows.promoted)  # the assessments point at these history rows
    ctx.writer.insert(Assessment.__table__, rows.assessments)
    ctx.writer.insert(MentorLoad.__table__, [{"mentor_id": m, "open_pairs": mentor_open[m]} for m in mentor_all])
    _figures(ctx)
    _excellent(ctx, rows.pairs, rows.assessments)
    ctx.manifest.setdefault("pair_id", next(p["id"] for p in rows.pairs if p["status"] == ACTIVE))
    ctx.manifest["counts"]["mentor_pairs"] = len(rows.pairs)


def _pair(ctx: Context, rows: _Rows, staff: list[Person], used, mentor_open, mentor_all) -> dict | None:
    rng = ctx.rng
    mentors = [p for p in staff if (p.level or 0) >= 3 and mentor_open[p.id] < 2 and mentor_all[p.id] < 5]
    if not mentors:
        return None
    mentor = rng.choice(mentors)
    apprentices = [p for p in staff if p.id not in used and p.id != mentor.id and (p.level or 0) < mentor.level]
    if not apprentices:
        return None
    apprentice = rng.choice(apprentices)
    today = ctx.today
    earliest = max(today - timedelta(days=5 * 365), mentor.hired, apprentice.hired) + timedelta(days=30)
    start = ctx.day_between(earliest, today - timedelta(days=20)) if earliest < today - timedelta(days=20) else None
    if start is None:
        return None
    term = rng.choices((12, 18, 24, 36), (60, 15, 15, 10))[0]
    planned_end = add_months(start, term)
    status = _status(ctx, start, planned_end)
    grade = level_reached = None
    promoted = False
    start_level = apprentice.level or 0
    if status == COMPLETED:
        grade = rng.choices((GRADE_EXCELLENT, GRADE_PASS, GRADE_FAIL), (20, 72, 8))[0]
        promoted = grade != GRADE_FAIL and (apprentice.level or 0) >= 1 and rng.random() < 0.6
        start_level = apprentice.level - 1 if promoted else start_level
        level_reached = apprentice.level if grade != GRADE_FAIL else None
    used.add(apprentice.id)
    mentor_all[mentor.id] += 1
    if status in (PROPOSED, ACTIVE):
        mentor_open[mentor.id] += 1
    pair_id = ctx.writer.next_id(MentorPair.__table__)
    hr_id = ctx.companies[mentor.enterprise_id].hr_id
    frequency = MONTHLY if rng.random() < 0.8 else QUARTERLY
    goal = min(7, start_level + (2 if rng.random() < 0.15 else 1))
    created = _at(start - timedelta(days=rng.randint(3, 20)))
    pair = {
        "id": pair_id, "enterprise_id": mentor.enterprise_id, "mentor_id": mentor.id, "apprentice_id": apprentice.id,
        "trade_id": apprentice.trade_id or mentor.trade_id, "goal_level": max(goal, start_level + 1),
        "goals": f"一年内掌握{rng.choice(texts.TAUGHT)}，达到{GOAL_NAMES[min(goal, 4) - 1]}水平。",
        "mentor_level_at_start": mentor.level, "apprentice_level_at_start": start_level, "start_date": start,
        "planned_end": planned_end, "checkin_frequency": frequency, "status": status,
        "mentor_confirmed_at": None, "apprentice_confirmed_at": None, "activated_on": None, "extended": False,
        "last_checkin_on": None, "next_checkin_due": None, "ended_on": None, "end_reason": None,
        "end_note": None, "credit_until": add_months(planned_end, 36), "created_by_id": hr_id,
        "created_at": created, "updated_at": created,
    }
    rows.pairs.append(pair)
    rows.changes.append(_change(pair_id, None, PROPOSED, hr_id, created, "企业建立结对"))
    if status != PROPOSED:
        pair.update(mentor_confirmed_at=_at(start, 1), apprentice_confirmed_at=_at(start, 2), activated_on=start)
        rows.changes.append(_change(pair_id, PROPOSED, ACTIVE, apprentice.id, _at(start, 2), "师徒双方均已确认协议"))
        _checkins(ctx, rows, pair, mentor, apprentice)
    _close(ctx, rows, pair, mentor, apprentice, hr_id, grade, level_reached, promoted)
    ctx.remember("mentor_pair", pair_id, mentor.enterprise_id)
    return pair


def _status(ctx: Context, start: date, planned_end: date) -> str:
    roll = ctx.rng.random()
    if planned_end < ctx.today - timedelta(days=20):
        if planned_end > ctx.today - timedelta(days=60) and roll < 0.1:
            return ACTIVE  # past its planned end, assessment due
        return COMPLETED if roll < 0.85 else (ENDED_EARLY if roll < 0.95 else DISSOLVED)
    if start > ctx.today - timedelta(days=40) and roll < 0.15:
        return PROPOSED
    return ACTIVE if roll < 0.96 else DISSOLVED


def _figures(ctx: Context) -> None:
    """Each enterprise's pairs counted by status, as services.mentorship.figures keeps them: counted again
    from every pair (the demo's, counted by the services already, too)."""
    statuses = (PROPOSED, ACTIVE, COMPLETED, ENDED_EARLY, DISSOLVED)
    by_status = [func.sum(case((MentorPair.status == status, 1), else_=0)) for status in statuses]
    ctx.writer.session.execute(delete(MentorshipFigures))
    ctx.writer.session.execute(insert(MentorshipFigures).from_select(
        ["enterprise_id", "pairs", *statuses],
        select(MentorPair.enterprise_id, func.count(MentorPair.id), *by_status).group_by(MentorPair.enterprise_id)))


def _change(pair_id, old, new, actor, at, reason) -> dict:
    return {"pair_id": pair_id, "from_status": old, "to_status": new, "actor_id": actor, "changed_at": at,
            "reason": reason}


def _checkins(ctx: Context, rows: _Rows, pair: dict, mentor: Person, apprentice: Person) -> None:
    """Check-ins every period from the start until the pair ended (or today; a tenth of the running pairs
    stopped months ago and are overdue); the last of a running pair may await the apprentice."""
    rng = ctx.rng
    months = FREQUENCY_MONTHS[pair["checkin_frequency"]]
    status = pair["status"]
    if status == DISSOLVED:
        until = pair["start_date"] + timedelta(days=rng.randint(5, 25))
    elif status == ACTIVE:
        until = ctx.today - timedelta(days=rng.randint(100, 200)) if rng.random() < 0.1 else ctx.today
    else:
        until = pair["planned_end"]
    if status == ENDED_EARLY:
        until = ctx.day_between(add_months(pair["start_date"], 2), pair["planned_end"] - timedelta(days=10))
    pair["ended_on"] = until if status in (ENDED_EARLY, DISSOLVED) else None
    last = None
    k = 1
    while True:
        day = add_months(pair["start_date"], k * months) - timedelta(days=rng.randint(0, 6))
        if day > until or day > ctx.today:
            break
        newest = status == ACTIVE and add_months(day, months) > until
        state = CHECKIN_PENDING if newest and rng.random() < 0.4 else (
            CHECKIN_DISPUTED if rng.random() < 0.02 else CHECKIN_CONFIRMED)
        answered = _at(day + timedelta(days=rng.randint(0, 3)), 8) if state != CHECKIN_PENDING else None
        rows.checkins.append({
            "pair_id": pair["id"], "checkin_date": day, "hours": Decimal(rng.randint(8, 80)) / 2,
            "taught": rng.choice(texts.TAUGHT), "skill_points": rng.choice(texts.SKILL_POINTS), "photo_id": None,
            "status": state, "apprentice_note": "本次内容未实际开展。" if state == CHECKIN_DISPUTED else None,
            "recorded_by_id": mentor.id, "recorded_at": _at(day, 6), "responded_at": answered,
        })
        if state == CHECKIN_CONFIRMED:
            last = day
        k += 1
    pair["last_checkin_on"] = last
    pair["next_checkin_due"] = add_months(last or pair["start_date"], months)


def _close(ctx, rows: _Rows, pair: dict, mentor, apprentice, hr_id, grade, level_reached, promoted) -> None:
    """The end of a pair: assessment (and the level it raised), early end or dissolution; credits."""
    rng = ctx.rng
    status, pair_id = pair["status"], pair["id"]
    if status == COMPLETED:
        assessed = min(pair["planned_end"] + timedelta(days=rng.randint(0, 20)), ctx.today - timedelta(days=1))
        change_id = None
        if promoted:
            change_id = ctx.writer.next_id(SkillLevelChange.__table__)
            ctx.history[apprentice.id] = [
                SkillEvent(apprentice.hired, apprentice.level - 1, REASON_INITIAL),
                SkillEvent(assessed, apprentice.level, REASON_ASSESSMENT, previous=apprentice.level - 1,
                           source=("mentor_pair", pair_id), row_id=change_id,
                           note=f"出师考核：{GRADE_LABELS[grade]}")]
            rows.promoted.append(apprentice.id)
        low, high = {GRADE_EXCELLENT: (90, 98), GRADE_PASS: (60, 89), GRADE_FAIL: (35, 59)}[grade]
        rows.assessments.append({
            "pair_id": pair_id, "assessed_on": assessed, "grade": grade, "level_reached": level_reached,
            "score": Decimal(rng.randint(low * 2, high * 2)) / 2, "assessor": "企业技能考核小组",
            "notes": None, "skill_change_id": change_id, "recorded_by_id": hr_id, "recorded_at": _at(assessed, 7),
        })
        rows.changes.append(_change(pair_id, ACTIVE, COMPLETED, hr_id, _at(assessed, 7),
                                    f"出师考核：{GRADE_LABELS[grade]}"))
        pair.update(ended_on=assessed, credit_until=add_months(assessed, 36), updated_at=_at(assessed, 7))
    elif status == ENDED_EARLY:
        code = rng.choice(list(END_LABELS))
        rows.changes.append(_change(pair_id, ACTIVE, ENDED_EARLY, hr_id, _at(pair["ended_on"], 7), END_LABELS[code]))
        pair.update(end_reason=code, credit_until=add_months(pair["ended_on"], 36),
                    updated_at=_at(pair["ended_on"], 7))
    elif status == DISSOLVED:
        reason = "工作时间安排冲突，双方协商解除。"
        rows.changes.append(_change(pair_id, ACTIVE, DISSOLVED, pair["mentor_id"], _at(pair["ended_on"], 7), reason))
        pair.update(end_reason="dissolved", end_note=reason, credit_until=None, updated_at=_at(pair["ended_on"], 7))


def _excellent(ctx: Context, pairs: list[dict], assessments: list[dict]) -> None:
    """Selections of past years not held yet (the demo has the last two): completed, passed pairs of the
    year nominated by their HR, about two in three selected, published and final."""
    rng = ctx.rng
    taken = set(db.session.scalars(db.select(ExcellentRound.year)))
    passed = {a["pair_id"]: a for a in assessments if a["grade"] != GRADE_FAIL}
    by_year: dict[int, list[dict]] = {}
    for pair in pairs:
        if pair["id"] in passed:
            by_year.setdefault(passed[pair["id"]]["assessed_on"].year, []).append(pair)
    rounds, nominations, notices = [], [], []
    for year in range(ctx.today.year - 5, ctx.today.year - 1):
        if year in taken or not by_year.get(year):
            continue
        round_id = ctx.writer.next_id(ExcellentRound.__table__)
        published = datetime(year, 12, 20, 2, tzinfo=UTC)
        selected = 0
        for pair in by_year[year]:
            if rng.random() < 0.5:
                continue
            chosen = rng.random() < 0.66 and selected < 100
            selected += chosen
            hr_id = ctx.companies[pair["enterprise_id"]].hr_id
            nominations.append({
                "round_id": round_id, "pair_id": pair["id"], "enterprise_id": pair["enterprise_id"],
                "citation": "师徒同心，徒弟技能提升明显，带徒记录完整。", "nominated_by_id": hr_id,
                "nominated_at": published - timedelta(days=30), "selected": chosen,
                "selected_by_id": ctx.admin_id if chosen else None,
                "selected_at": published - timedelta(days=5) if chosen else None})
        rounds.append({"id": round_id, "year": year, "quota": 100, "selected_count": selected, "published": True,
                       "published_at": published, "published_by_id": ctx.admin_id})
        notices.append({"subject_type": EXCELLENT_NOTICE_SUBJECT, "subject_id": round_id,
                        "title": f"{year}年优秀师徒拟表彰名单公示", "status": NOTICE_FINAL, "published_at": published,
                        "ends_at": published + timedelta(days=9), "published_by_id": ctx.admin_id,
                        "finalised_at": published + timedelta(days=12), "finalised_by_id": ctx.admin_id})
    ctx.writer.insert(ExcellentRound.__table__, rounds)
    ctx.writer.insert(ExcellentNomination.__table__, nominations)
    ctx.writer.insert(PublicNotice.__table__, notices)
