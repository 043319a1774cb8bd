"""Routes of account activation: the public activation page (two steps) and HR's activation slips."""

from tests.route_rules import PERSONAS, Rule, only

LOGGED_IN_HOME = dict.fromkeys(("worker_a", "judge", "hr_a", "hr_b", "admin", "town_a", "town_b"), 302)


def _worker_b(world):
    return {"user_id": world.worker_b.id}


RULES = [
    Rule("auth.activate", {"anonymous": 200, **LOGGED_IN_HOME}),
    Rule("auth.activate", {"anonymous": 200, **LOGGED_IN_HOME}, method="POST",
         data=lambda w: {"phone": "13600000000", "code": "2345-6789-ABCD"}, note="(wrong code)"),
    # without a ticket from step 1 the second step sends everyone back to the first
    Rule("auth.activate_account", dict.fromkeys(PERSONAS, 302)),
    Rule("auth.activate_account", dict.fromkeys(PERSONAS, 302), method="POST", data=lambda w: {"accept": "y"}),
    only("workers.activation", {"hr_a": 200, "hr_b": 200, "admin": 200}),
    only("workers.activation", {"hr_a": 302, "hr_b": 302, "admin": 302}, method="POST",
         note="(nobody to issue for: back with the reason)"),
    only("workers.activation_slip", {"hr_a": 404, "hr_b": 200, "admin": 200}, method="POST", url_args=_worker_b,
         note="(reset: answers the slip)"),
]
