"""Routes of training programmes, classes and enrolment (blueprints/training/programmes.py, enrolment.py).

The usual target is enterprise B's own published programme with one class and worker_b's enrolment: it
exists for B's people (worker_b, the judge of B), B's HR (its owner), B's town officer (town_b, who
oversees it read-only) and the admins (read-only: they do not run an enterprise's programme, 403 on its
owner's pages); hr_a, town_a and worker_a get 404.
"""

from __future__ import annotations

from tests.route_rules import Rule, logged_in, only

MANAGERS = {"admin": 200, "hr_a": 200, "hr_b": 200, "town_a": 200, "town_b": 200}
# The owner's pages of B's programme: B's HR runs it; admins and B's town see it but do not run it.
OWNER_PAGE = {"hr_b": 200, "hr_a": 404, "town_a": 404, "admin": 403, "town_b": 403}
OWNER_POST = {**OWNER_PAGE, "hr_b": 302}


def b_programme(world):
    """Enterprise B's published programme with a class and worker_b enrolled (made once per world)."""
    cached = getattr(world, "_training_b", None)
    if cached is not None:
        return cached
    from models import db
    from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory

    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id,
                                 name="乙企安全生产培训", seats_taken=1)
    training_class = ClassFactory(programme=programme)
    enrolment = EnrolmentFactory(programme=programme, worker=world.worker_b)
    db.session.commit()
    world._training_b = {"programme": programme, "class": training_class, "enrolment": enrolment}
    return world._training_b


def _p(world):
    return {"programme_id": b_programme(world)["programme"].id}


def _c(world):
    return {"class_id": b_programme(world)["class"].id}


def _e(world):
    return {"enrolment_id": b_programme(world)["enrolment"].id}


SHOW = {"anonymous": 302, "worker_a": 404, "judge": 200, "hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404,
        "town_b": 200}

RULES = [
    logged_in("training.index"),
    only("training.manage", MANAGERS),
    only("training.mine", {"worker_a": 200}),
    only("training.create", MANAGERS),
    only("training.create", MANAGERS, method="POST", note="(empty form)"),
    Rule("training.show", SHOW, url_args=_p),
    only("training.edit", OWNER_PAGE, url_args=_p),
    only("training.edit", OWNER_PAGE, method="POST", url_args=_p, note="(empty form)"),
    only("training.publish", OWNER_POST, method="POST", url_args=_p),
    only("training.cancel", OWNER_POST, method="POST", url_args=_p, note="(no reason)"),
    only("training.class_new", OWNER_PAGE, url_args=_p),
    only("training.class_new", OWNER_PAGE, method="POST", url_args=_p, note="(empty form)"),
    only("training.class_edit", OWNER_PAGE, url_args=_c),
    only("training.class_edit", OWNER_PAGE, method="POST", url_args=_c, note="(empty form)"),
    only("training.class_remove", OWNER_POST, method="POST", url_args=_c),
    only("training.enrol", {"worker_a": 404}, method="POST", url_args=_p),
    only("training.withdraw", {"worker_a": 404, "hr_a": 404, "hr_b": 302}, method="POST", url_args=_e),
    only("training.enrol_workers", {"hr_a": 404, "hr_b": 200}, url_args=_p),
    only("training.enrol_workers", {"hr_a": 404, "hr_b": 200}, method="POST", url_args=_p, note="(empty form)"),
    only("training.enrol_person", {"hr_a": 404, "hr_b": 200}, method="POST", url_args=_p, note="(empty form)"),
    only("training.enrol_upload", {"hr_a": 404, "hr_b": 200}, method="POST", url_args=_p, note="(no file)"),
]
