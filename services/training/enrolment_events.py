"""Messages about training programmes and enrolment (services.messages), one function per event, called
inside the service that makes the change (same transaction):
- programme_cancelled(programme, worker_ids, reason): every worker with an active enrolment is told;
- promoted(enrolment): a waitlisted worker moved up to a seat;
- enrolled_by_hr(enrolment): HR enrolled the worker (confirmed or on the waitlist).
"""

from __future__ import annotations

from models.training import CONFIRMED, TrainingEnrolment, TrainingProgramme
from services.common.i18n import deferred
from services.messages import inbox


def _link(programme_id: int) -> dict:
    return inbox.link_to("training.show", programme_id=programme_id)


def programme_cancelled(programme: TrainingProgramme, worker_ids: list[int], reason: str) -> None:
    """The owner cancelled the programme: each worker enrolled (confirmed or waiting) hears why."""
    inbox.notify(worker_ids, "training.cancelled",
                 deferred("您报名的培训“%(name)s”已取消。", name=programme.name),
                 body=deferred("原因：%(reason)s", reason=reason), link=_link(programme.id))


def promoted(enrolment: TrainingEnrolment) -> None:
    """A seat freed and the first on the waitlist holds it now."""
    inbox.notify([enrolment.worker_id], "training.promoted",
                 deferred("有名额空出，您已从候补转为正式学员：“%(name)s”。", name=enrolment.programme.name),
                 link=_link(enrolment.programme_id))


def enrolled_by_hr(enrolment: TrainingEnrolment) -> None:
    """HR enrolled the worker: confirmed, or waiting for a seat."""
    if enrolment.status == CONFIRMED:
        subject = deferred("单位已为您报名培训“%(name)s”。", name=enrolment.programme.name)
    else:
        subject = deferred("单位已为您报名培训“%(name)s”，名额已满，您在候补名单中。", name=enrolment.programme.name)
    inbox.notify([enrolment.worker_id], "training.enrolled", subject, link=_link(enrolment.programme_id))
