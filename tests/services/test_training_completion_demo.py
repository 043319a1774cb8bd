"""The training completion demo (demo/training_completion.py): a finished programme with completed
(certificates, one revoked) and not-completed workers, the demo worker's completion on the growth record,
a programme waiting to be finished; idempotent."""

from __future__ import annotations

from demo import seed_demo
from demo import training_completion as demo_completion
from models import User, db
from models.training import FINISHED, PUBLISHED, TrainingEnrolment, TrainingProgramme
from services.common import verification
from services.growth.timeline import timeline
from services.training import completion


def test_demo_shows_every_outcome_and_is_idempotent():
    seed_demo()
    db.session.commit()
    named = db.select(TrainingProgramme).where
    finished = db.session.scalar(named(TrainingProgramme.name == demo_completion.FINISHED_NAME))
    assert finished.status == FINISHED
    rows = list(db.session.scalars(db.select(TrainingEnrolment).where(TrainingEnrolment.programme_id == finished.id)))
    completed = [e for e in rows if e.completed_at]
    assert len(completed) >= 3 and len(rows) - len(completed) == 2
    assert {completion.not_completed_reason(e)[:4] for e in rows if not e.completed_at} == {"学时不足", "考核未通"}
    revoked = [e for e in completed if e.certificate_revoked_at]
    assert len(revoked) == 1 and verification.verify(revoked[0].certificate_code).status == verification.REVOKED
    worker = db.session.scalar(db.select(User).where(User.username == "worker"))
    (event,) = [e for e in timeline(worker) if e.kind == "training" and e.title == demo_completion.FINISHED_NAME]
    assert event.certificate_link is not None
    waiting = db.session.scalar(named(TrainingProgramme.name == demo_completion.WAITING_NAME))
    assert waiting.status == PUBLISHED
    count = db.session.scalar(db.select(db.func.count(TrainingEnrolment.id)))
    demo_completion.seed()
    assert db.session.scalar(db.select(db.func.count(TrainingEnrolment.id))) == count
