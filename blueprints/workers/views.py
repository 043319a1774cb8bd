"""HR's list, creation and editing of their enterprise's workers (admins: all enterprises)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, int_arg, keyset_page, run_action, submit
from blueprints.forms import ButtonForm, skill_level_choices, trade_choices
from blueprints.workers import bp
from blueprints.workers.forms import NewWorkerForm, SkillCertificateForm, WorkerForm
from models import Role, User
from services import policy
from services.accounts import people, roster_export
from services.common import skills
from services.common.spreadsheets import XLSX_TYPE


@bp.route("/")
@roles_required(Role.HR, Role.ADMIN)
def index():
    actor = current_user._get_current_object()
    enterprise = enterprise_filter(actor) if policy.is_admin(actor) else None
    filters = {
        "search": request.args.get("q", "").strip() or None,
        "trade_id": int_arg("trade"),
        "skill_level": request.args.get("level", type=int),
        "role": Role.WORKER,
        "enterprise_ids": enterprise.ids if enterprise else None,
    }
    return render_template(
        "workers/index.html", page=keyset_page(people.people_query(actor, **filters), User.id),
        trades=trade_choices(_("全部工种")), levels=skill_level_choices(_("全部等级")), enterprise=enterprise,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.HR)
def create():
    form = NewWorkerForm()
    form.fill_choices()
    if form.validate_on_submit():
        ok, worker = submit(form, people.create_account, current_user._get_current_object(),
                            form.to_profile(), form.password.data, once_form=form)
        if ok:
            flash(_("已创建职工账号：%(name)s", name=worker.name), "success")
            return redirect(url_for("workers.show", user_id=worker.id))
    return render_template("workers/form.html", form=form, worker=None)


def _managed_worker(user_id: int):
    """A person the HR or admin may manage (services.accounts.policy.can_manage_worker), else 404."""
    return people.get_person(current_user._get_current_object(), user_id)


@bp.route("/<int:user_id>")
@roles_required(Role.HR, Role.ADMIN)
def show(user_id: int):
    person = _managed_worker(user_id)
    return render_template("workers/show.html", person=person, history=skills.history(person.id))


@bp.route("/<int:user_id>/skill-level", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def skill_level(user_id: int):
    worker = _managed_worker(user_id)
    form = SkillCertificateForm()
    form.fill_choices()
    if form.validate_on_submit():
        ok, _entry = submit(form, skills.record_certificate, current_user._get_current_object(), worker,
                            form.skill_level.data, form.certificate_no.data, form.issuing_body.data,
                            form.effective_date.data)
        if ok:
            flash(_("已登记新的职业技能等级证书。"), "success")
            return redirect(url_for("workers.show", user_id=worker.id))
    return render_template("workers/skill_level.html", form=form, worker=worker)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def edit(user_id: int):
    worker = _managed_worker(user_id)
    form = WorkerForm(obj=worker)
    form.fill_choices()
    if form.validate_on_submit():
        profile = form.to_profile()
        profile.enterprise_id = worker.enterprise_id
        ok, _result = submit(form, people.update_account, current_user._get_current_object(),
                             worker, profile)
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("workers.show", user_id=worker.id))
    return render_template("workers/form.html", form=form, worker=worker)


@bp.route("/export", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def export():
    """The worker list as Excel: up to roster_export.INLINE_ROWS rows straight away (GET), more as a
    background job started by the page's button (POST), whose page offers the file."""
    actor = current_user._get_current_object()
    count = roster_export.worker_count(actor)
    if count <= roster_export.INLINE_ROWS and request.method == "GET":
        data = roster_export.workers_file(actor)
        return data, 200, {"Content-Type": XLSX_TYPE, "Content-Disposition": "attachment; filename=workers.xlsx",
                           "Cache-Control": "private, no-store"}
    form = ButtonForm()
    if form.validate_on_submit():
        outcome = run_action(roster_export.start_export, actor, str(get_locale()))
        if outcome:
            return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return render_template("workers/export.html", form=form, count=count)
