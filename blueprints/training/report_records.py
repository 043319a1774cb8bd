"""The records behind a training figure of the yearly report (HTTP only; rules in
services/training/report_records.py): the paged list and its Excel export (in the request up to the usual
threshold, else a background job)."""

from __future__ import annotations

from functools import partial

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale

from blueprints.access import roles_required
from blueprints.common import int_arg, page_number, paginate, run_action
from blueprints.forms import ButtonForm
from blueprints.training import bp
from blueprints.training.programmes import actor
from blueprints.training.record_rows import attendance_rows
from core.templating import url_pattern
from models import Role
from models.training import ATTENDANCE_STATUSES
from services.common.rows import label_texts, translated
from services.common.spreadsheets import XLSX_TYPE
from services.training import report_export, report_records


def _requested():
    return report_records.requested(actor(), request.args.get("figure"), int_arg("year"), int_arg("first"),
                                    int_arg("last"), int_arg("town"), int_arg("enterprise"))


@bp.route("/report-records")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def report_records_list():
    """The records one figure of the report counts, for its years and scope (404 outside the reach)."""
    wanted = _requested()
    programme_url, rows = url_pattern("training.show", "programme_id"), None
    if wanted.kind == "upgrades":
        pagination = report_records.upgrades_page(wanted, page_number(), current_app.config["PAGE_SIZE"])
    elif wanted.kind == "attendances":  # the longest list: plain rows, one query, the rows built here
        pagination = report_records.attendance_page(wanted, page_number(), current_app.config["PAGE_SIZE"])
        # a class's start as the datetime filter writes it, once a page for each class (a page of
        # attendances shows a few classes again and again)
        rows = attendance_rows(pagination.items, translated(ATTENDANCE_STATUSES),
                               partial(label_texts(), current_app.jinja_env.filters["datetime"]),
                               programme_url) if pagination.items else None
    else:
        pagination = paginate(report_records.query(wanted), total=report_records.count(wanted))
    return render_template("training/report_records.html", wanted=wanted, pagination=pagination,
                           export_form=ButtonForm(), upgrade_kinds=report_export.UPGRADE_KINDS,
                           programme_url=programme_url, attendance_rows=rows,
                           summary=report_records.summary(wanted))


@bp.route("/report-records/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def report_records_export():
    """The list's Excel file: the file itself for a short list, else the job's page."""
    wanted = _requested()
    if ButtonForm().validate_on_submit():
        outcome = run_action(report_export.start_export, actor(), wanted.args, str(get_locale()))
        if outcome and isinstance(outcome.value, bytes):
            return Response(outcome.value, mimetype=XLSX_TYPE, headers={
                "Content-Disposition": f"attachment; filename={report_export.file_name(wanted.args)}",
                "Cache-Control": "private, no-store"})
        if outcome:
            return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return redirect(url_for("training.report_records_list", **wanted.args))
