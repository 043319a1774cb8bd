"""A training programme ready to finish, built with tests/factories_training (attendance rows by the
factory, not by the sign-in services): enterprise B's team-leader programme with two past four-hour classes
(8 hours); worker_b attended both, the judge (also of B) only one. Used by the completion tests, route rules
and the browser journey."""

from __future__ import annotations

from datetime import timedelta

from core import clock
from models import db
from models.training import TEAM_LEADER
from tests.factories_training import AttendanceFactory, ClassFactory, EnrolmentFactory, ProgrammeFactory


def ready_programme(world, *, owner="enterprise", assessment_required=True, kind=TEAM_LEADER, days_ago=3):
    """The programme (owned by enterprise B, B's town or the city), its two enrolments and classes."""
    owned = {"enterprise": {"owner_level": "enterprise", "owner_enterprise_id": world.enterprise_b.id},
             "town": {"owner_level": "town", "owner_town_id": world.enterprise_b.town_id},
             "city": {"owner_level": "city"}}[owner]
    now = clock.now()
    programme = ProgrammeFactory(
        name="班组长管理能力提升班", kind=kind, assessment_required=assessment_required, **owned,
        enrol_opens_at=now - timedelta(days=days_ago + 20), enrol_closes_at=now - timedelta(days=days_ago + 10),
        starts_on=(now - timedelta(days=days_ago + 2)).date(), ends_on=(now - timedelta(days=days_ago)).date(),
        seats_taken=2)
    first = ClassFactory(programme=programme, title="第一讲 班组管理",
                         starts_at=now - timedelta(days=days_ago + 1, hours=4))
    second = ClassFactory(programme=programme, title="第二讲 安全生产",
                          starts_at=now - timedelta(days=days_ago, hours=4))
    full = EnrolmentFactory(programme=programme, worker=world.worker_b)
    half = EnrolmentFactory(programme=programme, worker=world.judge)
    for training_class in (first, second):
        AttendanceFactory(training_class=training_class, enrolment=full)
    AttendanceFactory(training_class=first, enrolment=half)
    db.session.commit()
    return {"programme": programme, "full": full, "half": half, "classes": (first, second)}


def finished_programme(world, **kw):
    """`ready_programme`, worker_b passed the assessment, finished by its owner: worker_b completed with a
    certificate, the judge did not (hours short)."""
    from services.training import completion

    scene = ready_programme(world, **kw)
    runner = {"enterprise": world.hr_b, "town": world.town_b, "city": world.admin}[kw.get("owner", "enterprise")]
    if scene["programme"].assessment_required:
        completion.record_assessment(runner, scene["full"], True, "92")
    completion.finish_programme(runner, scene["programme"])
    db.session.commit()
    return scene
