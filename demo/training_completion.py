"""Demo data for training completion (结业): enterprise A's town runs a team-leader programme that is
finished, with completed workers (certificates, one revoked) and workers who did not complete (hours short,
assessment failed); the demo worker (`worker`) completed it, so it shows on their growth record and under
我的培训结业. Enterprise A's own safety training has ended and waits for its owner (`hr_a`) to record the
last assessments and finish it.

The programmes, classes, enrolments and attendance are written as rows here (this part does not depend on
the programmes and sign-in parts' services); the assessment, finishing and revocation go through
services/training/completion.py and certificates.py with the clock at their dates. Idempotent: each
programme is made once, found by its name.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core import clock
from models import Enterprise, Role, User, UserRole, db
from models.training import (
    BY_LIST,
    BY_QR,
    CONFIRMED,
    LATE,
    PRESENT,
    PUBLISHED,
    SAFETY,
    TEAM_LEADER,
    TrainingAttendance,
    TrainingClass,
    TrainingEnrolment,
    TrainingProgramme,
)
from services.training import certificates, completion

FINISHED_NAME = "陈埭镇班组长能力提升班（春季班）"
WAITING_NAME = "恒信鞋业安全生产轮训（第二期）"
ENTERPRISE_A = "晋江市恒信鞋业有限公司"


def _one(stmt):
    return db.session.scalar(stmt.limit(1))


def _town_officer(town_id: int) -> User | None:
    return _one(db.select(User).join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == Role.TOWN, UserRole.town_id == town_id).order_by(User.id))


def _hr(enterprise: Enterprise) -> User | None:
    return _one(db.select(User).join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == Role.HR, User.enterprise_id == enterprise.id).order_by(User.id))


def _workers(enterprise: Enterprise, count: int) -> list[User]:
    """The demo worker first, then enterprise A's other workers."""
    demo = _one(db.select(User).where(User.username == "worker"))
    others = db.session.scalars(db.select(User).join(UserRole, UserRole.user_id == User.id)
                                .where(UserRole.role == Role.WORKER, User.enterprise_id == enterprise.id,
                                       User.username.is_(None), User.is_active)
                                .order_by(User.id).limit(count - 1))
    return [w for w in [demo, *others] if w is not None]


def _programme(name, kind, owner, start, days, hours, created_by):
    programme = TrainingProgramme(
        name=name, kind=kind, description="面向一线班组长和骨干职工的管理与安全能力培训。", capacity=40,
        enrol_opens_at=start - timedelta(days=20), enrol_closes_at=start - timedelta(days=3),
        starts_on=start.astimezone(clock.SHANGHAI).date(),
        ends_on=(start + timedelta(days=days)).astimezone(clock.SHANGHAI).date(), budget=Decimal("30000.00"),
        completion_percent=80, assessment_required=True, status=PUBLISHED, created_by_id=created_by.id, **owner)
    db.session.add(programme)
    db.session.flush()
    classes = []
    for index in range(2):
        begins = start + timedelta(days=index * days)
        ends = begins + timedelta(hours=hours)
        classes.append(TrainingClass(programme_id=programme.id, title=f"第{index + 1}讲", starts_at=begins,
                                     ends_at=ends, place="晋江市职工技能实训基地 201 室", hours=Decimal(hours),
                                     trainer="王老师", capacity=40, closed_at=ends))
    db.session.add_all(classes)
    db.session.flush()
    return programme, classes


def _enrol(programme, workers, classes, attended):
    """Confirmed enrolments; worker i attends the classes attended[i] (all by default)."""
    programme.seats_taken = len(workers)
    enrolments = []
    for index, worker in enumerate(workers):
        enrolment = TrainingEnrolment(programme_id=programme.id, worker_id=worker.id,
                                      enterprise_id=worker.enterprise_id, status=CONFIRMED,
                                      confirmed_at=programme.enrol_opens_at + timedelta(days=1))
        db.session.add(enrolment)
        db.session.flush()
        enrolments.append(enrolment)
        for class_index in attended.get(index, range(len(classes))):
            training_class = classes[class_index]
            late = index % 4 == 3
            db.session.add(TrainingAttendance(
                class_id=training_class.id, programme_id=programme.id, enrolment_id=enrolment.id, worker_id=worker.id,
                enterprise_id=worker.enterprise_id, status=LATE if late else PRESENT, method=BY_LIST if late else BY_QR,
                signed_in_at=training_class.starts_at + timedelta(minutes=15 if late else -5),
                hours=training_class.hours))
    db.session.flush()
    return enrolments


def seed() -> None:
    enterprise = _one(db.select(Enterprise).where(Enterprise.name == ENTERPRISE_A))
    if enterprise is None:
        return
    officer, hr = _town_officer(enterprise.town_id), _hr(enterprise)
    if officer is not None and not _one(db.select(TrainingProgramme.id).where(TrainingProgramme.name == FINISHED_NAME)):
        _finished(enterprise, officer)
    if hr is not None and not _one(db.select(TrainingProgramme.id).where(TrainingProgramme.name == WAITING_NAME)):
        _waiting(enterprise, hr)
    db.session.commit()


def _finished(enterprise, officer) -> None:
    """The town's team-leader programme, finished 20 days ago: six completed (one certificate revoked),
    one hours short, one failed the assessment."""
    start = clock.now() - timedelta(days=45)
    owner = {"owner_level": "town", "owner_town_id": enterprise.town_id}
    programme, classes = _programme(FINISHED_NAME, TEAM_LEADER, owner, start, 14, 8, officer)
    workers = _workers(enterprise, 8)
    enrolments = _enrol(programme, workers, classes, {6: [0]})
    with clock.frozen(clock.now() - timedelta(days=21)):
        for index, enrolment in enumerate(enrolments):
            completion.record_assessment(officer, enrolment, index != 7, str(92 - index * 3) if index != 7 else "52")
    with clock.frozen(clock.now() - timedelta(days=20)):
        completion.finish_programme(officer, programme)
    with clock.frozen(clock.now() - timedelta(days=10)):
        revoked = next((e for e in enrolments[1:] if e.certificate_code), None)
        if revoked is not None:
            certificates.revoke_certificate(officer, revoked, "核查发现第二讲由他人代为签到，撤销结业证书。")


def _waiting(enterprise, hr) -> None:
    """Enterprise A's safety training: its last class ended two days ago; two assessments recorded, the
    others wait for HR, then 结业."""
    start = clock.now() - timedelta(days=9)
    owner = {"owner_level": "enterprise", "owner_enterprise_id": enterprise.id}
    programme, classes = _programme(WAITING_NAME, SAFETY, owner, start, 7, 4, hr)
    workers = _workers(enterprise, 6)[1:]
    enrolments = _enrol(programme, workers, classes, {4: [1]})
    with clock.frozen(clock.now() - timedelta(days=1)):
        completion.record_assessment(hr, enrolments[0], True, "88")
        completion.record_assessment(hr, enrolments[1], True, "81")
