"""The pickers' type-ahead (blueprints/search): JSON suggestions, scoped by purpose
(services.accounts.search.PURPOSES). A purpose the persona may not pick for is 403, an unknown one 404."""

from tests.route_rules import Rule, only

RULES = [
    only("search.people", {"hr_a": 200, "hr_b": 200, "admin": 200}, note="(people)",
         url_args=lambda w: {"for": "people", "q": "乙企"}),
    only("search.people", {"hr_a": 200, "hr_b": 200, "admin": 200}, note="(workers)",
         url_args=lambda w: {"for": "workers", "q": w.worker_b.employee_no}),
    only("search.people", {"worker_a": 200, "judge": 200, "hr_a": 200, "hr_b": 200}, note="(colleagues)",
         url_args=lambda w: {"for": "colleagues", "q": "甲"}),
    only("search.people", {"admin": 200}, note="(judges)", url_args=lambda w: {"for": "judges", "q": "评委"}),
    only("search.people", {"hr_a": 200, "hr_b": 200, "admin": 200}, note="(panel)",
         url_args=lambda w: {"for": "panel", "q": "乙企"}),
    Rule("search.people", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 404, "admin": 404,
                           "town_a": 404, "town_b": 404},
         note="(unknown purpose)", url_args=lambda w: {"for": "everyone", "q": "甲"}),
    # a town officer searches their own town's enterprises (town_a finds none of B's town)
    only("search.enterprises", {"admin": 200, "town_a": 200, "town_b": 200}, url_args=lambda w: {"q": "乙纺织"}),
]
