"""What training programmes put on people's to-do lists (services.messages.todos), each one indexed count:
- a worker: enrolments moved up from the waitlist in the last FRESH_DAYS days for a programme still to
  come; their classes tomorrow (Asia/Shanghai; urgent);
- HR: the enterprise's active enrolments in published programmes not started yet (who is to go).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import clock
from models import Role, db
from models.training import ACTIVE_ENROLMENTS, CONFIRMED, PUBLISHED, TrainingClass, TrainingEnrolment, TrainingProgramme
from services.messages.inbox import link_to
from services.messages.todos import Todo, enterprise_counter, todo_provider

FRESH_DAYS = 30


@todo_provider("training.worker")
def worker_todos(person) -> list[Todo]:
    """Workers: promotions from the waitlist (programme still to come) and classes tomorrow."""
    if not person.has_role(Role.WORKER):
        return []
    today = clock.today()
    promoted = db.session.scalar(
        select(func.count(TrainingEnrolment.id)).join(TrainingProgramme)
        .where(TrainingEnrolment.worker_id == person.id, TrainingEnrolment.status == CONFIRMED,
               TrainingEnrolment.promoted_at >= clock.now() - timedelta(days=FRESH_DAYS),
               TrainingProgramme.status == PUBLISHED, TrainingProgramme.ends_on >= today)) or 0
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
    tomorrow = db.session.scalar(
        select(func.count(TrainingClass.id))
        .join(TrainingEnrolment, TrainingEnrolment.programme_id == TrainingClass.programme_id)
        .join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
        .where(TrainingEnrolment.worker_id == person.id, TrainingEnrolment.status == CONFIRMED,
               TrainingProgramme.status == PUBLISHED, TrainingClass.starts_at >= start,
               TrainingClass.starts_at < start + timedelta(days=1))) or 0
    mine = link_to("training.mine")
    return [Todo(_l("已从候补转为正式学员的培训"), promoted, mine),
            Todo(_l("明天要上的培训课"), tomorrow, mine, deadline=today + timedelta(days=1), urgent=True)]


@enterprise_counter("training.enrolments")
def enterprise_enrolments(enterprise_id: int) -> list[Todo]:
    """HR: the enterprise's workers enrolled (confirmed or waiting) in programmes still to start."""
    count = db.session.scalar(
        select(func.count(TrainingEnrolment.id)).join(TrainingProgramme)
        .where(TrainingEnrolment.enterprise_id == enterprise_id, TrainingEnrolment.status.in_(ACTIVE_ENROLMENTS),
               TrainingProgramme.status == PUBLISHED, TrainingProgramme.starts_on >= clock.today())) or 0
    return [Todo(_l("本企业职工待参加的培训报名"), count, link_to("training.index", status=PUBLISHED))]
