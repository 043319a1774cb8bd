"""Mentoring overviews: everyone's own pairs, HR's and the union's dashboards, the filtered pair
list behind each figure, its Excel export, and a person's mentoring record."""

from __future__ import annotations

from flask import Response, render_template, request

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, paginate
from blueprints.mentorship import bp, current_actor
from core import clock
from models import Role
from models.mentorship import CREDIT_YEARS_AFTER
from services import policy
from services.mentorship import checkins, pairing, records, reports
from services.mentorship.settings import get_settings


@bp.route("/")
@roles_required()
def index():
    """Everyone: their own pairs; HR: the enterprise dashboard; admins: the union dashboard."""
    actor = current_actor()
    own = pairing.pairs_of(actor)
    figures = reports.enterprise_dashboard(actor) if policy.is_hr(actor) else None
    union = reports.union_dashboard(actor) if policy.is_admin(actor) else None
    return render_template("mentorship/index.html", own=own, figures=figures, union=union,
                           filters=reports.FILTERS, settings=get_settings(), today=clock.today(),
                           checkin_state=checkins.checkin_state)


def _list_filters(actor):
    """The pair list's filter name (reports.FILTERS) and, for admins only, the enterprise picker's
    resolution (blueprints.common.enterprise_filter; None for HR)."""
    filter_name = request.args.get("filter", "all")
    return filter_name, enterprise_filter(actor) if policy.is_admin(actor) else None


@bp.route("/pairs")
@roles_required(Role.HR, Role.ADMIN)
def pairs():
    actor = current_actor()
    filter_name, enterprise = _list_filters(actor)
    search = request.args.get("q", "").strip() or None
    stmt = reports.pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise and enterprise.ids,
                               search=search)
    return render_template(
        "mentorship/pairs.html", pagination=paginate(stmt), filter_name=filter_name, filters=reports.FILTERS,
        enterprise=enterprise, settings=get_settings(), today=clock.today(), checkin_state=checkins.checkin_state,
    )


@bp.route("/pairs/export.xlsx")
@roles_required(Role.HR, Role.ADMIN)
def export():
    actor = current_actor()
    filter_name, enterprise = _list_filters(actor)
    data = reports.export_workbook(actor, filter_name=filter_name, enterprise_id=enterprise and enterprise.ids)
    filename = f"mentor-pairs-{filter_name}-{clock.today().isoformat()}.xlsx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/people/<int:user_id>")
@roles_required()
def person(user_id: int):
    """A person's mentoring record: as mentor (current and past apprentices, credits), as apprentice."""
    record = records.person_record(current_actor(), user_id)
    return render_template("mentorship/person.html", **record, credit_years=CREDIT_YEARS_AFTER)
