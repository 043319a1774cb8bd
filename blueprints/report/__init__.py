"""The union's yearly report (年度统计报告): HTTP only, every figure is in services/report/."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, int_arg, run_action
from blueprints.forms import ButtonForm
from models import Role, Town, db
from services import policy
from services import report as reports
from services.report import charts, export, pdf

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
    span, span_error = reports.periods.requested_span(int_arg("first"), int_arg("last"))
    report = reports.build(actor, town_id=int_arg("town"), enterprise_id=enterprise_id, first=span.first,
                           last=span.last)
    towns = db.session.scalars(db.select(Town).order_by(Town.name)).all() if node.kind == policy.CITY else []
    return render_template("report/show.html", report=report, towns=towns, picker=picker, span_error=span_error,
                           charts=charts, export_form=ButtonForm(), drill_down=drill_down)


# Figures that link to the list behind them (docs/domain.md, "The yearly report"): (part, figure key) -> a
# Drill: the list's endpoint, its fixed arguments, and whether the list takes a span of years (`first` and
# `last`, for the span's total) besides one `year`. A breakdown's row is a figure too (its key, e.g.
# "prize.city.first"). Every list applies the report's definition of the figure and its scope attribution.
@dataclass(frozen=True)
class Drill:
    endpoint: str
    args: dict = field(default_factory=dict)
    spans: bool = False


DRILL_DOWN: dict[tuple[str, str], Drill] = {
    ("five_small", key): Drill("proposals.proposal_list", {"stage": key})
    for key in ("collected", "valid", "adopted", "implemented")}
DRILL_DOWN[("five_small", "top_ten")] = Drill("proposals.top_ten")


def drill_down(report, section_key: str, figure_key: str, year: int | None = None) -> str | None:
    """The address of the list behind a figure of `report` in `year` (None: over the report's span, for
    the total column), with the report's scope as its filter (a town, an enterprise; the reader's own
    scope needs none), or None when the figure has no list (or its list takes no span)."""
    drill = DRILL_DOWN.get((section_key, figure_key))
    if drill is None:
        return None
    span = report.span
    if year is None and span.first == span.last:
        year = span.first
    if year is None and not drill.spans:
        return None
    when = {"year": year} if year is not None else {"first": span.first, "last": span.last}
    scope = report.scope
    where = {scope.kind: scope.id} if scope.kind in ("town", "enterprise") else {}
    return url_for(drill.endpoint, **drill.args, **when, **where)


@bp.route("/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_xlsx():
    """Start the Excel export of the report the form names (services.report.export: a background job)
    and show the job's page with its progress."""
    return _start(export.start_export)


@bp.route("/pdf", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_pdf():
    """Start the PDF of the report the form names (services.report.pdf: a background job) and show the
    job's page with its progress."""
    return _start(pdf.start_pdf)


def _start(service):
    form = ButtonForm()
    if not form.validate_on_submit():
        return redirect(url_for("report.show"))

    def field(name):
        value = request.form.get(name, type=int)
        return value if value and value > 0 else None

    outcome = run_action(service, current_user._get_current_object(), field("town"), field("enterprise"),
                         field("first"), field("last"), str(get_locale()))
    if outcome:
        return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return redirect(url_for("report.show"))
