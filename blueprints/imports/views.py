"""The import pages: a kind's page (template, upload, recent imports), a batch's preview and its apply."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import paginate, run_action, submit
from blueprints.forms import BUTTON, ButtonForm, blank_fields
from blueprints.imports import bp
from blueprints.imports.forms import ImportUploadForm
from models import Role
from models.imports import ENTERPRISES, OUTCOMES, ROSTER, ROW_OUTCOME_LABELS
from services.common.i18n import Deferred
from services.common.spreadsheets import XLSX_TYPE
from services.imports import batches, templates

# A changed attribute -> the column that shows it.
CHANGED_COLUMN = {"trade_id": "trade", "id_card_no": "id_card", "town_id": "town", "is_member": "member"}


def _actor():
    return current_user._get_current_object()


def _shown(value) -> str:
    """A stored cell value as the reader sees it: text, or a label stored as a deferred message."""
    if isinstance(value, dict):
        return str(Deferred.from_json(value))
    return "" if value is None else str(value)


def row_cells(row, fields) -> list[dict]:
    """The cells of one preview row: {label, text, problem, changed, was (the stored value: old -> new)} in
    the order of the kind's fields."""
    changed = {CHANGED_COLUMN.get(key, key) for key in row.changes}
    if "leave_date" in changed:
        changed.add("status")
    was = row.values.get("_was") or {}
    return [{"key": field.key, "label": field.header, "text": _shown(row.values.get(field.key)),
             "problem": _shown(row.problems.get(field.key)) if field.key in row.problems else "",
             "changed": field.key in changed, "has_was": field.key in was,
             "was": _shown(was.get(field.key)) or _("（空）")} for field in fields]


def _kind_page(kind: str):
    actor = _actor()
    batches.require_import_kind(actor, kind)
    form = ImportUploadForm()
    if form.validate_on_submit():
        ok, batch = submit(form, batches.upload, actor, kind, form.file.data, once_form=form)
        if ok:
            return redirect(url_for("imports.batch", batch_id=batch.id))
    return render_template("imports/kind.html", kind=kind, form=form, recent=batches.recent_batches(actor, kind),
                           fields=batches.kind_of(kind).fields, blank_fields=blank_fields)


@bp.route("/roster", methods=["GET", "POST"])
@roles_required(Role.HR)
def roster():
    return _kind_page(ROSTER)


@bp.route("/enterprises", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def enterprises():
    return _kind_page(ENTERPRISES)


def _template(kind: str):
    name, data = templates.template_file(_actor(), kind)
    return data, 200, {"Content-Type": XLSX_TYPE, "Content-Disposition": f"attachment; filename={name}",
                       "Cache-Control": "private, no-store"}


@bp.route("/roster/template")
@roles_required(Role.HR)
def roster_template():
    return _template(ROSTER)


@bp.route("/enterprises/template")
@roles_required(Role.ADMIN)
def enterprises_template():
    return _template(ENTERPRISES)


@bp.route("/batches/<int:batch_id>")
@roles_required(Role.HR, Role.ADMIN)
def batch(batch_id: int):
    actor = _actor()
    found = batches.get_batch(actor, batch_id)
    outcome = request.args.get("outcome")
    outcome = outcome if outcome in OUTCOMES else None
    job, state = batches.job_state(found)
    return render_template(
        "imports/batch.html", batch=found, job=job, state=state, outcome=outcome, outcomes=OUTCOMES,
        labels=ROW_OUTCOME_LABELS, page=paginate(batches.rows_query(found, outcome), long=True),
        fields=batches.kind_of(found.kind).fields, form=BUTTON, row_cells=row_cells,
        row_note=lambda row: _shown(row.note),
        changed=state == "applied" and batches.changed_since_preview(job),
        may_discard=batches.may_discard(actor, found))


@bp.route("/batches/<int:batch_id>/apply", methods=["POST"])
@roles_required(Role.HR, Role.ADMIN)
def apply(batch_id: int):
    return _batch_action(batch_id, batches.start_apply, _("已开始导入，完成后本页显示结果。"))


@bp.route("/batches/<int:batch_id>/discard", methods=["POST"])
@roles_required(Role.HR, Role.ADMIN)
def discard(batch_id: int):
    return _batch_action(batch_id, batches.discard, _("已放弃这次导入，没有写入任何数据。"))


def _batch_action(batch_id: int, action, success: str):
    """A button on a batch's page: `action(actor, batch)` through run_action, then back to the page."""
    actor = _actor()
    found = batches.get_batch(actor, batch_id)
    if ButtonForm().validate_on_submit():
        run_action(action, actor, found, success=success)
    return redirect(url_for("imports.batch", batch_id=batch_id))
