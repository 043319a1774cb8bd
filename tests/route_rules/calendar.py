"""Routes of the holiday schedule (union administrators only)."""

from tests.route_rules import only

RULES = [
    only("admin.calendar", {"admin": 200}),
    only("admin.calendar_add", {"admin": 302}, method="POST", data=lambda w: {"day": "2027-01-01", "kind": "holiday"}),
    only("admin.calendar_remove", {"admin": 302}, method="POST", url_args=lambda w: {"day": "2027-01-01"}),
    only("admin.calendar_confirm", {"admin": 302}, method="POST", url_args=lambda w: {"year": 2031}),
]
