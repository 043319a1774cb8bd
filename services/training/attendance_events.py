"""Messages of training attendance (services/messages): the day before a class, each worker with a
confirmed enrolment in its published programme is reminded of it once (the reminders machinery records
each reminder before sending, so a second run sends nothing). The confirmation of a scan is the page's
flash; no message is needed."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from core import clock
from models import db
from models.training import CONFIRMED, PUBLISHED, TrainingClass, TrainingEnrolment, TrainingProgramme
from services.common.i18n import deferred
from services.messages import inbox
from services.messages.reminders import Reminder, reminder

CLASS_TOMORROW = "training.class_tomorrow"


@reminder(CLASS_TOMORROW)
def class_tomorrow_reminders(today):
    """Workers enrolled (confirmed) in a published programme with a class starting tomorrow (Asia/Shanghai):
    where, when, and that they sign in by scanning the code shown in the room."""
    start = datetime.combine(today + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
    rows = db.session.execute(
        select(TrainingClass.id, TrainingClass.title, TrainingClass.starts_at, TrainingClass.place,
               TrainingProgramme.name, TrainingEnrolment.worker_id)
        .join(TrainingProgramme, TrainingProgramme.id == TrainingClass.programme_id)
        .join(TrainingEnrolment, TrainingEnrolment.programme_id == TrainingProgramme.id)
        .where(TrainingProgramme.status == PUBLISHED, TrainingEnrolment.status == CONFIRMED,
               TrainingClass.starts_at >= start, TrainingClass.starts_at < start + timedelta(days=1))
        .order_by(TrainingClass.id, TrainingEnrolment.worker_id)).all()
    for class_id, title, starts_at, place, programme, worker_id in rows:
        yield Reminder(CLASS_TOMORROW, class_id, worker_id, today + timedelta(days=1),
                       deferred("明天 %(time)s 上课：“%(programme)s”%(title)s，地点：%(place)s。"
                                "到场后请扫描屏幕上的二维码签到。",
                                time=starts_at.astimezone(clock.SHANGHAI).strftime("%H:%M"), programme=programme,
                                title=title, place=place or "—"),
                       inbox.link_to("training.my_attendance", class_id=class_id))
