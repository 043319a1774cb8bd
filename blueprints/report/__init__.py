"""The union's yearly report (年度统计报告): HTTP only, every figure is in services/report/."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, int_arg
from models import Role, Town, db
from services import policy
from services import report as reports
from services.report import charts

bp = Blueprint("report", __name__, url_prefix="/report")


@bp.route("/")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def show():
    """The report of one scope (the reader's own node, or a town or an enterprise below it) for a year or a
    span of years (services.report.build: 403 for a reader without an office, 404 outside their reach)."""
    actor = current_user._get_current_object()
    node = policy.management_scope(actor)
    picker = enterprise_filter(actor) if node.kind in (policy.CITY, policy.TOWN) else None
    # an id asked for is checked by the service (404 outside the reader's reach); typed text picks one
    enterprise_id = int_arg("enterprise")
    if enterprise_id is None and picker is not None and picker.chosen is not None:
        enterprise_id = picker.chosen.id
    first, last, span_error = int_arg("first"), int_arg("last"), None
    try:
        reports.periods.span_of(first, last)
    except ValueError:
        span_error = _("年份范围不对：结束年份不能早于开始年份，且最多 %(n)d 年。", n=reports.periods.MAX_YEARS)
        first = last = None
    report = reports.build(actor, town_id=int_arg("town"), enterprise_id=enterprise_id, first=first, last=last)
    towns = db.session.scalars(db.select(Town).order_by(Town.name)).all() if node.kind == policy.CITY else []
    return render_template("report/show.html", report=report, towns=towns, picker=picker, span_error=span_error,
                           charts=charts)
