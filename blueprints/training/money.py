"""Education upgrades, a programme's spending and the owner's training figures (HTTP only: the rules are
in services/training/upgrades.py, spending.py and figures.py)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import (
    enterprise_filter,
    hold_uploads,
    keyset_page,
    paginate,
    run_action,
    send_stored_file,
    submit,
)
from blueprints.forms import BUTTON, ButtonForm, blank_fields
from blueprints.training import bp
from blueprints.training.money_forms import CostForm, EducationUpgradeForm
from models import Role
from models.training import COST_CATEGORIES, FUNDING_SOURCES, EducationUpgrade
from models.vocabulary import education_label
from services import policy
from services.accounts import enterprises, people
from services.common import uploads
from services.common.spreadsheets import XLSX_TYPE
from services.training import figures as training_figures
from services.training import policy as training_policy
from services.training import spending, upgrades


def _actor():
    return current_user._get_current_object()


# --- education upgrades (学历提升) ------------------------------------------------------------------------


@bp.route("/workers/<int:user_id>/education", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def education_new(user_id: int):
    """HR records a worker's new education level with its evidence (kept across a refusal)."""
    actor = _actor()
    worker = people.get_person(actor, user_id)
    form = EducationUpgradeForm()
    form.fill_choices(actor)
    if request.method == "POST":
        valid = form.validate_on_submit()
        held = hold_uploads(form, "evidence", allowed=upgrades.EVIDENCE_KINDS, uploader=actor)[-1:]
        if valid and not form.held_error:
            evidence = next(iter(uploads.held_as_uploads(actor, held)), None)
            ok, _upgrade = submit(form, upgrades.record_education_upgrade, actor, worker, form.to_data(), evidence)
            if ok:
                uploads.release_held(held)
                flash(_("已登记学历提升：%(name)s", name=worker.name), "success")
                return redirect(url_for("training.education_list"))
        form.held = held
        return render_template("training/education_form.html", form=form, worker=worker,
                               current_education=education_label(worker.education)), 422
    return render_template("training/education_form.html", form=form, worker=worker,
                               current_education=education_label(worker.education))


@bp.route("/upgrades")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def education_list():
    """Education upgrades recorded in the actor's part of the tree, newest first."""
    search = (request.args.get("q") or "").strip() or None
    page = keyset_page(upgrades.upgrades_query(_actor(), search), EducationUpgrade.id)
    return render_template("training/education_list.html", page=page, q=search or "")


@bp.route("/upgrades/<int:upgrade_id>/evidence")
@roles_required()
def education_evidence(upgrade_id: int):
    return send_stored_file(upgrades.evidence_file(_actor(), upgrade_id))


# --- spending (实际支出) ------------------------------------------------------------------------------


def _overseen_programme(programme_id: int):
    """A programme the actor oversees (owner or a level above); NotFound for everyone else."""
    actor = _actor()
    programme = training_policy.get_programme(actor, programme_id)
    if not training_policy.can_oversee(actor, programme):
        training_policy.programme_not_found()
    return programme


def _render_spending(programme, form=None, status=200):
    actor = _actor()
    owner = training_policy.can_run(actor, programme)
    return render_template(
        "training/spending.html", programme=programme, summary=spending.spending_summary(programme),
        pagination=paginate(spending.costs_query(programme)), owner=owner,
        changeable=owner and spending.may_change_costs(programme),
        form=form or (CostForm() if owner else None), blank_fields=blank_fields,  # the form only where shown
        action_form=BUTTON, categories=COST_CATEGORIES, funding_sources=FUNDING_SOURCES), status


@bp.route("/programmes/<int:programme_id>/spending")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def spending_show(programme_id: int):
    """Budget vs actual by category and the costs; the owner records, edits and deletes them."""
    return _render_spending(_overseen_programme(programme_id))


@bp.route("/programmes/<int:programme_id>/costs", methods=["POST"])
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def cost_new(programme_id: int):
    actor = _actor()
    programme = _overseen_programme(programme_id)
    training_policy.require_runner(actor, programme)
    form = CostForm()
    valid = form.validate_on_submit()
    held = hold_uploads(form, "confirmation", allowed=spending.CONFIRMATION_KINDS, uploader=actor)[-1:]
    if valid and not form.held_error:
        confirmation = next(iter(uploads.held_as_uploads(actor, held)), None)
        if run_action(spending.record_cost, actor, programme, form.to_data(), confirmation, form=form,
                      success=_("已登记支出。")):
            uploads.release_held(held)
            return redirect(url_for("training.spending_show", programme_id=programme.id))
    form.held = held
    return _render_spending(programme, form, 422)


@bp.route("/programmes/<int:programme_id>/costs/<int:cost_id>/edit", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def cost_edit(programme_id: int, cost_id: int):
    actor = _actor()
    programme = _overseen_programme(programme_id)
    training_policy.require_runner(actor, programme)
    cost = spending.get_cost(actor, programme, cost_id)
    if request.method == "GET":
        form = CostForm(obj=cost)
        return render_template("training/cost_form.html", form=form, programme=programme, cost=cost,
                               changeable=spending.may_change_costs(programme))
    form = CostForm()
    valid = form.validate_on_submit()
    held = hold_uploads(form, "confirmation", allowed=spending.CONFIRMATION_KINDS, uploader=actor)[-1:]
    if valid and not form.held_error:
        confirmation = next(iter(uploads.held_as_uploads(actor, held)), None)
        if run_action(spending.update_cost, actor, cost, form.to_data(), confirmation, form=form,
                      success=_("已保存。")):
            uploads.release_held(held)
            return redirect(url_for("training.spending_show", programme_id=programme.id))
    form.held = held
    return render_template("training/cost_form.html", form=form, programme=programme, cost=cost,
                           changeable=spending.may_change_costs(programme)), 422


@bp.route("/programmes/<int:programme_id>/costs/<int:cost_id>/delete", methods=["POST"])
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def cost_delete(programme_id: int, cost_id: int):
    actor = _actor()
    programme = _overseen_programme(programme_id)
    training_policy.require_runner(actor, programme)
    cost = spending.get_cost(actor, programme, cost_id)
    if ButtonForm().validate_on_submit():
        run_action(spending.delete_cost, actor, cost, success=_("已删除这笔支出。"))
    return redirect(url_for("training.spending_show", programme_id=programme.id))


@bp.route("/programmes/<int:programme_id>/costs/<int:cost_id>/file")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def cost_file(programme_id: int, cost_id: int):
    programme = _overseen_programme(programme_id)
    return send_stored_file(spending.confirmation_file(_actor(), programme, cost_id))


# --- figures (培训统计) -----------------------------------------------------------------------------------


def _figures_request():
    """(scope, year, enterprise picker) from the query: the year (this year by default, within the offered
    years), for union admins the town, and for the levels above enterprises an enterprise
    (services.training.figures.figures_scope)."""
    actor = _actor()
    offered = training_figures.years()
    year = request.args.get("year", type=int)
    if year not in offered:
        year = offered[0]
    enterprise = enterprise_filter(actor) if policy.oversees_enterprises(actor) else None
    chosen = enterprise.chosen if enterprise is not None else None
    scope = training_figures.figures_scope(actor, request.args.get("town", type=int),
                                           enterprise_id=chosen.id if chosen is not None else None)
    return scope, year, enterprise


@bp.route("/figures")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def figures():
    """The training figures of the actor's node of the tree (or of a node below it), rolled up, for one year."""
    scope, year, enterprise = _figures_request()
    result = training_figures.figures(scope, year)
    towns = enterprises.towns() if policy.management_scope(_actor()).kind == policy.CITY else []
    return render_template("training/figures.html", scope=scope, result=result, year=year,
                           years=training_figures.years(), rows=training_figures.FIGURE_ROWS, towns=towns,
                           town_id=request.args.get("town", type=int), funding_sources=FUNDING_SOURCES,
                           enterprise=enterprise)


@bp.route("/figures.xlsx")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def figures_export():
    scope, year, _enterprise = _figures_request()
    data = training_figures.figures_workbook(scope, training_figures.figures(scope, year))
    response = Response(data, mimetype=XLSX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="training-figures-{year}.xlsx"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
