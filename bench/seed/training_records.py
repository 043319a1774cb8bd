"""The records of the seed's training programmes (training.py): attendance per class, assessments and
completions with certificates, costs by funding source, education upgrades and skill certificates with the
union's subsidy.

Every row follows the services' rules:
- attendance (services/training/signin.py, attendance.py): a closed class has one row per confirmed
  enrolment (absences recorded at closing); a past class not yet closed only the QR sign-ins, without
  hours; the class under way its sign-ins so far. A QR sign-in is within the sign-in window and late
  after the start plus TRAINING_LATE_MINUTES (10); a list entry signs in at the start; hours follow
  `hours_for` (the app's own function: full hours, or pro rata for an early sign-out);
- completion (services/training/completion.py): on finishing, each confirmed enrolment is complete by
  the app's own progress rule (`_progress`: hours attended against completion_percent of the total, and
  a passed assessment where required), gets completed_at and a certificate code, or the reason it did not
  complete; a few certificates revoked later;
- costs (spending.py): amounts in Decimal yuan, spent between the first day and today;
- upgrades (upgrades.py, services.common.skills): an education above the person's (the seed records none
  before), with evidence, by the HR of their enterprise; a skill certificate one level up (a skills
  upgrade's target) after completing the programme, which becomes the person's level (the latest entry of
  their skill history).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import bindparam, update

from bench.seed import people
from bench.seed.accounts import ISSUERS
from bench.seed.context import Context
from models import StoredFile, User, db
from models.mentorship import MentorPair
from models.skills import REASON_CERTIFICATE, SkillLevelChange
from models.training import (
    ABSENT,
    BY_LIST,
    BY_QR,
    CONFIRMED,
    EDUCATION,
    EXCUSED,
    FINISHED,
    FUNDING_SOURCES,
    LATE,
    PRESENT,
    PUBLISHED,
    SKILLS_UPGRADE,
    EducationUpgrade,
    TrainingAttendance,
    TrainingCost,
)
from services.common.verification import ALPHABET, CODE_LENGTH
from services.training.attendance import hours_for
from services.training.completion import _progress

UPGRADES = 1_200  # education upgrades at scale 1.0 (skill certificates follow the skills upgrades' completions)
EDUCATION_LEVELS = (("college", 50), ("bachelor", 20), ("secondary_vocational", 20), ("high_school", 10))
SCHOOLS = ("泉州职业技术大学（成人教育）", "福建开放大学晋江学习中心", "黎明职业大学", "泉州轻工职业学院",
           "华侨大学（继续教育）")
COSTS = (("trainer_fee", 1.0, 0.45), ("venue", 0.6, 0.2), ("materials", 0.7, 0.15), ("worker_subsidy", 0.3, 0.25),
         ("other", 0.2, 0.05))
REVOKE_REASON = "核查发现签到由他人代签，撤销结业证书。"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def attendance(ctx: Context, plans) -> list[dict]:
    """The attendance rows of every class held (see the module docstring)."""
    rng = ctx.rng
    rows = []
    now = ctx.now
    for plan in plans:
        if plan.status not in (PUBLISHED, FINISHED):
            continue
        confirmed = [e for e in plan.enrolments if e["status"] == CONFIRMED]
        keen = {e["id"]: 0.97 if rng.random() < 0.88 else 0.6 for e in confirmed}
        for klass in plan.classes:
            if klass.starts_at > now or (klass.closed_at is None and klass.signin_opened_at is None):
                continue
            for enrolment in confirmed:
                row = _row(ctx, plan, klass, enrolment, rng.random() < keen[enrolment["id"]])
                if row is not None:
                    rows.append(row)
    for row, row_id in zip(rows, ctx.writer.ids(TrainingAttendance.__table__, len(rows)), strict=True):
        row["id"] = row_id
    return rows


def _row(ctx: Context, plan, klass, enrolment, came: bool) -> dict | None:
    rng = ctx.rng
    closed = klass.closed_at is not None
    if not closed and (not came or rng.random() < (0.4 if klass.ends_at > ctx.now else 0.0)):
        return None  # not (yet) signed in: the absences are recorded at closing
    base = {"class_id": klass.id, "programme_id": plan.id, "enrolment_id": enrolment["id"],
            "worker_id": enrolment["worker_id"], "enterprise_id": enrolment["enterprise_id"],
            "signed_in_at": None, "signed_out_at": None, "hours": Decimal("0.0")}
    if not came:
        status = EXCUSED if rng.random() < 0.35 else ABSENT
        return {**base, "status": status, "method": BY_LIST, "recorded_by_id": plan.runner,
                "recorded_at": klass.closed_at, "updated_at": klass.closed_at}
    late = rng.random() < 0.06
    by_qr = klass.signin_opened_at is not None and (not closed or rng.random() < 0.92)
    if by_qr:
        if late:
            signed_in = klass.starts_at + timedelta(minutes=rng.randint(11, 45))
        else:
            earliest = max(klass.signin_opened_at, klass.starts_at - timedelta(minutes=25))
            signed_in = ctx.moment(earliest, klass.starts_at + timedelta(minutes=10))
        if signed_in > ctx.now:
            return None
        recorded_by, recorded_at = enrolment["worker_id"], signed_in
    else:
        signed_in = klass.starts_at
        recorded_by, recorded_at = plan.runner, klass.closed_at or klass.ends_at
    status = LATE if late else PRESENT
    signed_out = None
    if closed and by_qr:
        roll = rng.random()
        if roll < 0.08:
            signed_out = ctx.moment(max(signed_in, klass.starts_at) + timedelta(minutes=30),
                                    klass.ends_at - timedelta(minutes=20))
        elif roll < 0.3:
            signed_out = ctx.moment(klass.ends_at - timedelta(minutes=10), klass.ends_at + timedelta(minutes=5))
    hours = hours_for(klass, status, signed_in, signed_out) if closed or not by_qr else Decimal("0.0")
    return {**base, "status": status, "method": BY_QR if by_qr else BY_LIST, "signed_in_at": signed_in,
            "signed_out_at": signed_out, "hours": hours, "recorded_by_id": recorded_by, "recorded_at": recorded_at,
            "updated_at": klass.closed_at or signed_out or recorded_at}


def complete(ctx: Context, plans, rows: list[dict]) -> None:
    """Assessments of programmes whose classes are over; completion and certificates of finished ones."""
    rng = ctx.rng
    attended: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        attended[row["enrolment_id"]] += row["hours"]
    codes: set[str] = set()
    for plan in plans:
        over = plan.status in (PUBLISHED, FINISHED) and plan.classes[-1].ends_at < ctx.now
        if not over:
            continue
        total = sum((k.hours for k in plan.classes), Decimal(0))
        last = plan.classes[-1].ends_at
        rule = SimpleNamespace(completion_percent=plan.percent, assessment_required=plan.assessment_required)
        for enrolment in plan.enrolments:
            if enrolment["status"] != CONFIRMED:
                continue
            if plan.assessment_required and rng.random() < (0.97 if plan.status == FINISHED else 0.4):
                passed = rng.random() < 0.93
                score = Decimal(rng.randint(6000, 9950) if passed else rng.randint(3000, 5950)) / 100
                until = plan.finished_at or ctx.now
                enrolment.update(assessment_passed=passed, assessment_score=score if rng.random() < 0.8 else None,
                                 assessed_at=ctx.moment(last, min(last + timedelta(days=2), until)),
                                 assessed_by_id=plan.runner)
            if plan.status != FINISHED:
                continue
            state = SimpleNamespace(id=enrolment["id"], status=CONFIRMED,
                                    assessment_passed=enrolment.get("assessment_passed"))
            progress = _progress(rule, state, attended[enrolment["id"]], total)
            if progress.complete:
                code = _code(rng, codes)
                enrolment.update(completed_at=plan.finished_at, certificate_code=code)
                if rng.random() < 0.005:
                    revoked = min(plan.finished_at + timedelta(days=rng.randint(5, 60)), ctx.now - timedelta(hours=2))
                    enrolment.update(certificate_revoked_at=revoked, revoke_reason=REVOKE_REASON)
            else:
                enrolment["reason"] = json.dumps(progress.reason().as_json(), ensure_ascii=False)


def _code(rng, taken: set[str]) -> str:
    """A verification code as services.common.verification.new_code makes them, from the seed's source."""
    while True:
        code = "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def write(ctx: Context, plans, rows: list[dict]) -> None:
    """Attendance, costs, upgrades (education and skill) and the people's new levels."""
    ctx.writer.insert(TrainingAttendance.__table__, rows)
    ctx.writer.insert(TrainingCost.__table__, _costs(ctx, plans))
    _education(ctx, plans)
    _skills(ctx, plans)
    ctx.manifest["counts"].update(training_attendances=len(rows))


def _costs(ctx: Context, plans) -> list[dict]:
    rng = ctx.rng
    sources = list(FUNDING_SOURCES)
    rows = []
    for plan in plans:
        if plan.status not in (PUBLISHED, FINISHED) or plan.starts_on > ctx.today:
            continue
        spent = plan.budget * Decimal(rng.uniform(0.6, 1.1))
        last = min(plan.ends_on + timedelta(days=15), ctx.today)
        for category, odds, share in COSTS:
            if rng.random() >= odds:
                continue
            amount = (spent * Decimal(share) * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal("0.01"))
            if amount <= 0:
                continue
            day = ctx.day_between(plan.starts_on, last)
            rows.append({"programme_id": plan.id, "category": category, "amount": amount,
                         "funding_source": plan.funding if rng.random() < 0.8 else rng.choice(sources),
                         "spent_on": day, "note": "", "confirmation_file_id": None, "recorded_by_id": plan.runner,
                         "recorded_at": min(datetime.combine(day + timedelta(days=1), time(2), tzinfo=UTC),
                                            ctx.now - timedelta(hours=1))})
    return rows


def _completed(plans, kind: str):
    for plan in plans:
        if plan.kind == kind and plan.status == FINISHED:
            for enrolment in plan.enrolments:
                if enrolment.get("completed_at") is not None:
                    yield plan, enrolment


def _education(ctx: Context, plans) -> None:
    """Education upgrades: most graduates of the education programmes, then other workers."""
    rng = ctx.rng
    target = ctx.n(UPGRADES, 5)
    chosen: dict[int, tuple] = {}
    for plan, enrolment in _completed(plans, EDUCATION):
        if rng.random() < 0.6 and len(chosen) < target:
            finished = plan.finished_at.date()
            day = ctx.day_between(finished, min(finished + timedelta(days=120), ctx.today))
            chosen[enrolment["worker_id"]] = (plan.id, day)
    everyone = [p for p in ctx.participants() if p.id not in ctx.demo_ids]
    for person in rng.sample(everyone, min(len(everyone), 2 * target)):
        if len(chosen) >= target:
            break
        chosen.setdefault(person.id, (None, ctx.today - timedelta(days=rng.randint(0, 540))))
    upload_root = Path(current_app.config["UPLOAD_FOLDER"])
    files, upgrades, levels = [], [], []
    for (worker_id, (programme_id, day)), file_id in zip(
            chosen.items(), ctx.writer.ids(StoredFile.__table__, len(chosen)), strict=True):
        person = ctx.people[worker_id]
        hr_id = ctx.companies[person.enterprise_id].hr_id
        at = min(datetime.combine(day + timedelta(days=rng.randint(3, 30)), time(2), tzinfo=UTC), ctx.now)
        files.append(_evidence(rng, file_id, hr_id, at, upload_root))
        education = rng.choices(*zip(*EDUCATION_LEVELS, strict=True))[0]
        upgrades.append({"worker_id": worker_id, "enterprise_id": person.enterprise_id, "previous_education": None,
                         "education": education, "school": rng.choice(SCHOOLS), "graduated_on": day,
                         "evidence_file_id": file_id, "programme_id": programme_id,
                         "subsidy": Decimal(rng.randrange(500, 3001, 100)) if rng.random() < 0.7 else None,
                         "recorded_by_id": hr_id, "recorded_at": at})
        levels.append({"user_id": worker_id, "education": education})
    ctx.writer.insert(StoredFile.__table__, files)
    ctx.writer.insert(EducationUpgrade.__table__, upgrades)
    _update_users(levels, "education")


def _evidence(rng, file_id: int, hr_id, at: datetime, root: Path) -> dict:
    key = f"{rng.getrandbits(128):032x}"
    path = root / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG)
    return {"id": file_id, "storage_key": key, "original_name": "毕业证书.png", "kind": "image",
            "content_type": "image/png", "size": len(PNG), "sha256": hashlib.sha256(PNG).hexdigest(),
            "uploaded_by_id": hr_id, "uploaded_at": at}


def _skills(ctx: Context, plans) -> None:
    """Skill certificates after a skills upgrade: the programme's target level, which becomes the person's
    level. Only for people whose history is still to be written and ends before (accounts.write_history),
    outside any mentor pair (a mentor stays above the apprentice), and enrolled in no other programme with
    a level rule (whose rule they met at enrolment)."""
    rng = ctx.rng
    paired = {row for pair in db.session.execute(db.select(MentorPair.mentor_id, MentorPair.apprentice_id))
              for row in pair}
    ruled = defaultdict(int)
    for plan in plans:
        if plan.max_level is not None:
            for enrolment in plan.enrolments:
                ruled[enrolment["worker_id"]] += 1
    changes, levels = [], []
    for plan, enrolment in _completed(plans, SKILLS_UPGRADE):
        worker_id = enrolment["worker_id"]
        person = ctx.people[worker_id]
        if (plan.target_level is None or rng.random() >= 0.7 or worker_id in paired or ruled[worker_id] != 1
                or person.level != plan.target_level - 1 or worker_id not in ctx.history):
            continue
        day = ctx.day_between(plan.finished_at.date() + timedelta(days=10),
                              min(plan.finished_at.date() + timedelta(days=60), ctx.today))
        if any(event.day >= day for event in ctx.history[worker_id]) or day > ctx.today:
            continue
        hr_id = ctx.companies[person.enterprise_id].hr_id
        changes.append({"user_id": worker_id, "level": plan.target_level, "previous_level": person.level,
                        "reason": REASON_CERTIFICATE, "effective_date": day,
                        "certificate_no": people.skill_certificate_no(rng), "issuing_body": rng.choice(ISSUERS),
                        "source_type": "training_programme", "source_id": plan.id, "note": None,
                        "subsidy": Decimal(rng.randrange(300, 1501, 100)) if rng.random() < 0.8 else None,
                        "recorded_by_id": hr_id, "recorded_at": datetime.combine(day, time(3), tzinfo=UTC)})
        person.level = plan.target_level
        levels.append({"user_id": worker_id, "skill_level": plan.target_level})
    for change, change_id in zip(changes, ctx.writer.ids(SkillLevelChange.__table__, len(changes)), strict=True):
        change["id"] = change_id  # numbered by the writer, as the rest of the history (accounts.write_history)
    ctx.writer.insert(SkillLevelChange.__table__, changes)
    _update_users(levels, "skill_level")
    ctx.manifest["counts"].update(training_skill_upgrades=len(changes))


def _update_users(rows: list[dict], column: str) -> None:
    """The people's profile after an upgrade (the ORM's part in the services), in one executemany."""
    if rows:
        table = User.__table__
        db.session.execute(update(table).where(table.c.id == bindparam("user_id"))
                           .values({column: bindparam(column)}).execution_options(synchronize_session=False), rows)
