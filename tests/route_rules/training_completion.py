"""Routes of training completion (blueprints/training/completion.py): enterprise B's team-leader programme
(tests/training_completion_scene.py), run by hr_b; B's town (town_b) and the admin oversee it read-only;
to A's people and A's town it does not exist (404); the judge (a worker of B) sees the programme but may
not manage it (403) nor open worker_b's certificate (404)."""

from tests.route_rules import Rule, logged_in
from tests.training_completion_scene import finished_programme, ready_programme


def _programme(world):
    return {"programme_id": ready_programme(world)["programme"].id}


def _enrolment(world):
    return {"enrolment_id": ready_programme(world)["full"].id}


def _certificate(world):
    return {"enrolment_id": finished_programme(world)["full"].id}


OWNER_PAGE = {"anonymous": 302, "worker_a": 404, "judge": 403, "hr_a": 404, "hr_b": 200, "admin": 200,
              "town_a": 404, "town_b": 200}
OWNER_ACTS = {"anonymous": 302, "worker_a": 404, "judge": 403, "hr_a": 404, "hr_b": 302, "admin": 403,
              "town_a": 404, "town_b": 403}
CERTIFICATE = {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 200, "admin": 200,
               "town_a": 404, "town_b": 200}

RULES = [
    Rule("training.completion", OWNER_PAGE, url_args=_programme),
    Rule("training.record_assessment", OWNER_ACTS, method="POST", url_args=_enrolment,
         data=lambda w: {"passed": "1", "score": "90"}),
    Rule("training.finish", OWNER_ACTS, method="POST", url_args=_programme),
    Rule("training.certificate_pdf", CERTIFICATE, url_args=_certificate),
    Rule("training.revoke_certificate", {**CERTIFICATE, "admin": 403, "town_b": 403}, url_args=_certificate),
    Rule("training.revoke_certificate", {**OWNER_ACTS, "judge": 404}, method="POST", url_args=_certificate,
         data=lambda w: {"reason": "签到作假", "confirm": "y"}),
    logged_in("training.my_certificates"),
]
