"""Routes of training attendance (blueprints/training/attendance.py).

The room: a city programme (the admin runs it) with a class under way now whose class assistant is the
judge, sign-in open, worker_a enrolled (confirmed). Everyone logged in sees a city programme; only the
admin and the judge (as the class's assistant) run its sign-in, the others get 403. The scan address is
for logged-in workers: anonymous is sent to the login page with the carry address, worker_a is signed in
and sent to their attendance (302), people without an enrolment are refused (403). A programme of
enterprise B: hr_b runs it, hr_a and worker_a (of A) and town_a find nothing (404), the levels above and
B's people see it but do not run it (403).
"""

from datetime import timedelta

from tests.route_rules import LOGGED_IN, Rule, only

RUNNERS = {"admin": 200, "judge": 200}
RUNNERS_POST = {"admin": 302, "judge": 302}


def room(world):
    cached = getattr(world, "_training_attendance", None)
    if cached:
        return cached
    from core import clock
    from models import db
    from services.training import signin
    from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory

    programme = ProgrammeFactory()
    training_class = ClassFactory(programme=programme, starts_at=clock.now() - timedelta(hours=1),
                                  ends_at=clock.now() + timedelta(hours=2), assistant=world.judge)
    EnrolmentFactory(programme=programme, worker=world.worker_a)
    signin.open_signin(world.admin, training_class)
    b_programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    b_class = ClassFactory(programme=b_programme, starts_at=clock.now() - timedelta(hours=1),
                           ends_at=clock.now() + timedelta(hours=2))
    db.session.commit()
    world._training_attendance = {"class": training_class, "b_class": b_class}
    return world._training_attendance


def _class(world):
    return {"class_id": room(world)["class"].id}


def _code(world):
    from services.training import signin

    training_class = room(world)["class"]
    return {"class_id": training_class.id, "code": signin.current_code(training_class)}


def _carry(world):
    from services.training import signin

    training_class = room(world)["class"]
    return {"class_id": training_class.id, "token": signin.verify_scan(training_class.id,
                                                                       signin.current_code(training_class))}


NOT_ENROLLED = {**dict.fromkeys(LOGGED_IN, 403), "anonymous": 302, "worker_a": 302}

RULES = [
    only("training.signin_board", RUNNERS, url_args=_class),
    Rule("training.signin_board", {"anonymous": 302, "worker_a": 404, "judge": 403, "hr_a": 404, "hr_b": 200,
                                   "admin": 403, "town_a": 404, "town_b": 403},
         url_args=lambda w: {"class_id": room(w)["b_class"].id}, note="(enterprise B's programme)"),
    only("training.open_signin", RUNNERS_POST, method="POST", url_args=_class),
    only("training.close_signin", RUNNERS_POST, method="POST", url_args=_class),
    Rule("training.scan", NOT_ENROLLED, url_args=_code),
    Rule("training.scan", dict.fromkeys(("anonymous", *LOGGED_IN), 400),
         url_args=lambda w: {"class_id": room(w)["class"].id, "code": "stale00000"}, note="(not a current code)"),
    Rule("training.scan_carried", NOT_ENROLLED, url_args=_carry),
    only("training.my_attendance", {"worker_a": 200}, others=404, url_args=_class),
    only("training.sign_out", {"worker_a": 302}, others=404, method="POST", url_args=_class,
         note="(not signed in: refused, back to the page)"),
    only("training.attendance_list", RUNNERS, url_args=_class),
    only("training.attendance_list", RUNNERS_POST, method="POST", url_args=_class,
         data=lambda w: {"mark_0": ""}, note="(nothing ticked)"),
    only("training.close_attendance", RUNNERS_POST, method="POST", url_args=_class),
    only("training.sign_in_sheet", RUNNERS, url_args=_class),
]
