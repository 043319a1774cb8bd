"""Routes of the foundation: home, auth, admin, workers and the empty area homes."""

from tests.route_rules import LOGGED_IN, Rule, everyone, logged_in, only


def _worker_b(world):
    return {"user_id": world.worker_b.id}


def _enterprise_b(world):
    return {"enterprise_id": world.enterprise_b.id}


ADMIN_ONLY_GET = {"admin": 200}
ADMIN_ONLY_POST = {"admin": 302}

RULES = [
    everyone("static", url_args=lambda w: {"filename": "css/app.css"}),
    everyone("bootstrap.static", url_args=lambda w: {"filename": "css/bootstrap.min.css"}),
    everyone("home.healthz"),
    logged_in("home.index"),
    Rule("auth.login", {"anonymous": 200, **dict.fromkeys(LOGGED_IN, 302)}),
    Rule("auth.login", {"anonymous": 200, **dict.fromkeys(LOGGED_IN, 302)},
         method="POST", data=lambda w: {"identifier": "nobody", "password": "wrong-password"},
         note="(bad credentials)"),
    logged_in("auth.logout", 302, method="POST"),
    logged_in("auth.profile"),
    logged_in("auth.password"),
    logged_in("auth.password", 200, method="POST", note="(wrong current password)",
              data=lambda w: {"current_password": "wrong", "new_password": "Another-Pass-2027",
                              "confirm": "Another-Pass-2027"}),
    everyone("auth.language", 302, method="POST", data=lambda w: {"lang": "en", "next": "/"}),
    # union administration
    # a town officer: their town's enterprises, read-only
    only("admin.enterprise_list", {"admin": 200, "town_a": 200, "town_b": 200}),
    only("admin.enterprise_create", ADMIN_ONLY_GET),
    only("admin.enterprise_create", {"admin": 200}, method="POST", note="(empty form)"),
    only("admin.enterprise_edit", ADMIN_ONLY_GET, url_args=_enterprise_b),
    only("admin.enterprise_edit", {"admin": 200}, method="POST", url_args=_enterprise_b,
         data=lambda w: {"name": "乙纺织", "credit_code": "bad"}, note="(invalid code)"),
    only("admin.enterprise_active", ADMIN_ONLY_POST, method="POST", url_args=_enterprise_b,
         data=lambda w: {"active": "0"}),
    only("admin.user_list", ADMIN_ONLY_GET),
    only("admin.user_create", ADMIN_ONLY_GET),
    only("admin.user_create", {"admin": 200}, method="POST", note="(empty form)"),
    only("admin.user_detail", ADMIN_ONLY_GET, url_args=_worker_b),
    only("admin.user_edit", ADMIN_ONLY_GET, url_args=_worker_b),
    only("admin.user_edit", {"admin": 200}, method="POST", url_args=_worker_b, note="(no name)",
         data=lambda w: {"name": ""}),
    only("admin.user_roles", ADMIN_ONLY_POST, method="POST", url_args=_worker_b,
         data=lambda w: {"roles": ["worker", "judge"]}),
    only("admin.user_password", {"admin": 200}, method="POST", url_args=_worker_b,
         note="(answers the new activation slip)"),
    only("admin.user_active", ADMIN_ONLY_POST, method="POST", url_args=_worker_b,
         data=lambda w: {"active": "0"}),
    only("admin.audit_log", ADMIN_ONLY_GET),
    only("admin.town_officers", ADMIN_ONLY_GET),
    only("admin.town_officers", {"admin": 200}, method="POST", note="(empty form)"),
    only("admin.town_officer_remove", ADMIN_ONLY_POST, method="POST", url_args=_worker_b),
    # enterprise HR: own enterprise only (the target is a worker of enterprise B)
    only("workers.index", {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200}),
    only("workers.create", {"hr_a": 200, "hr_b": 200}),
    only("workers.create", {"hr_a": 200, "hr_b": 200}, method="POST", note="(empty form)"),
    only("workers.show", {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200}, url_args=_worker_b),
    only("workers.edit", {"hr_a": 404, "hr_b": 200, "admin": 200}, url_args=_worker_b),
    only("workers.skill_level", {"hr_a": 404, "hr_b": 200, "admin": 200}, url_args=_worker_b),
    only("workers.skill_level", {"hr_a": 404, "hr_b": 200, "admin": 200}, method="POST", url_args=_worker_b,
         data=lambda w: {"skill_level": "1", "certificate_no": "bad"}, note="(bad certificate)"),
    only("workers.edit", {"hr_a": 404, "hr_b": 302, "admin": 302}, method="POST", url_args=_worker_b,
         data=lambda w: {"name": "改名", "phone": w.worker_b.phone, "employee_no": "B-1",
                         "trade_id": str(w.worker_b.trade_id), "skill_level": "3"}),
]
