"""Routes of training upgrades, spending and figures (blueprints/training/money.py), for every persona.

Targets belong to enterprise B: worker_b's education upgrade, a programme owned by enterprise B (run by
hr_b; town_b and admin oversee it read-only), so hr_a and town_a get 404.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from models import db
from models.training import EducationUpgrade, TrainingCost
from services.common import uploads
from tests.route_rules import Rule, only

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MANAGERS = {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200}
# An object of enterprise B that its HR, its town and the city oversee.
OVERSEERS = {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200}
# Acting on enterprise B's programme: its owner only; the levels above are refused (403).
OWNER = {"hr_a": 404, "admin": 403, "town_a": 404, "town_b": 403}


def _stored(world):
    return uploads.save_upload(world.hr_b, FileStorage(io.BytesIO(PNG), filename="确认件.png"), allowed=("image",))


def _upgrade(world):
    upgrade = EducationUpgrade(worker_id=world.worker_b.id, enterprise_id=world.enterprise_b.id, education="college",
                               school="泉州职业技术大学", graduated_on=date(2026, 7, 1),
                               evidence_file_id=_stored(world).id, recorded_by_id=world.hr_b.id)
    db.session.add(upgrade)
    db.session.commit()
    return {"upgrade_id": upgrade.id}


def _programme(world):
    from tests.factories_training import ProgrammeFactory

    programme = ProgrammeFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_b.id)
    db.session.commit()
    return {"programme_id": programme.id}


def _cost(world):
    args = _programme(world)
    cost = TrainingCost(programme_id=args["programme_id"], category="venue", amount=Decimal("800"),
                        funding_source="union", spent_on=date(2026, 1, 5), confirmation_file_id=_stored(world).id)
    db.session.add(cost)
    db.session.commit()
    return {**args, "cost_id": cost.id}


RULES = [
    only("training.education_new", {"hr_a": 404, "hr_b": 200, "admin": 200},
         url_args=lambda w: {"user_id": w.worker_b.id}),
    only("training.education_new", {"hr_a": 404, "hr_b": 422, "admin": 422}, method="POST",
         url_args=lambda w: {"user_id": w.worker_b.id}, note="(empty form: the page again with the errors)"),
    only("training.education_list", MANAGERS),
    Rule("training.education_evidence", {"anonymous": 302, "worker_a": 404, "judge": 404, **OVERSEERS},
         url_args=_upgrade),
    only("training.spending_show", OVERSEERS, url_args=_programme),
    only("training.cost_new", {**OWNER, "hr_b": 422}, method="POST", url_args=_programme,
         note="(empty form: the page again with the errors)"),
    only("training.cost_edit", {**OWNER, "hr_b": 200}, url_args=_cost),
    only("training.cost_edit", {**OWNER, "hr_b": 422}, method="POST", url_args=_cost, note="(empty form)"),
    only("training.cost_delete", {**OWNER, "hr_b": 302}, method="POST", url_args=_cost),
    only("training.cost_file", OVERSEERS, url_args=_cost),
    only("training.figures", MANAGERS),
    only("training.figures_export", MANAGERS),
]
# The records behind a figure of the yearly report (blueprints/training/report_records.py): officers whose
# reach covers the report's scope; another enterprise or town is 404.
OF_B = {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200}
OF_TOWN_B = {"hr_a": 404, "hr_b": 404, "admin": 200, "town_a": 404, "town_b": 200}
RULES += [
    only("training.report_records_list", MANAGERS, url_args=lambda w: {"figure": "classes"}),
    only("training.report_records_list", OF_B, url_args=lambda w: {
        "figure": "upgraded", "year": 2026, "enterprise": w.enterprise_b.id}, note="enterprise B"),
    only("training.report_records_list", OF_TOWN_B, url_args=lambda w: {
        "figure": "money.union", "first": 2025, "last": 2026, "town": w.enterprise_b.town_id}, note="town of B"),
    only("training.report_records_export", MANAGERS, method="POST", url_args=lambda w: {"figure": "attendances"},
         note="(a short list: the file itself)"),
    only("training.report_records_export", OF_B, method="POST", url_args=lambda w: {
        "figure": "attendances", "year": 2026, "enterprise": w.enterprise_b.id}, note="enterprise B"),
]

