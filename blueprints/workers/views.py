"""HR's list, creation and editing of their enterprise's workers (admins: all enterprises), and their
activation slips (开通通知单: services.accounts.activation and slips)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import (
    activation_url,
    enterprise_filter,
    int_arg,
    keyset_page,
    paginate,
    pdf_response,
    run_action,
    submit,
)
from blueprints.forms import BUTTON, ButtonForm, skill_level_choices, trade_choices
from blueprints.workers import bp
from blueprints.workers.forms import NewWorkerForm, SkillCertificateForm, WorkerForm
from blueprints.workers.list_rows import worker_rows
from models import Role, Transfer, User
from models.skills import SKILL_LEVELS
from services import policy
from services.accounts import employment, people, roster_export, slips, transfers
from services.accounts import policy as accounts_policy
from services.common import skills
from services.common.spreadsheets import XLSX_TYPE


@bp.route("/")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def index():
    actor = current_user._get_current_object()
    enterprise = enterprise_filter(actor) if policy.oversees_enterprises(actor) else None
    filters = {
        "search": request.args.get("q", "").strip() or None,
        "trade_id": int_arg("trade"),
        "skill_level": request.args.get("level", type=int),
        "role": Role.WORKER,
        "enterprise_ids": enterprise.ids if enterprise else None,
        "activated": {"yes": True, "no": False}.get(request.args.get("activated", "")),
    }
    listed = people.worker_rows_page(actor, **filters)
    return render_template(
        "workers/index.html", page=keyset_page(listed.pop("stmt"), User.id, rows=people.WorkerRow, **listed),
        worker_rows=worker_rows,
        trades=trade_choices(_("全部工种")), levels=skill_level_choices(_("全部等级")), enterprise=enterprise,
        skill_texts={step.rank: str(step) for step in SKILL_LEVELS},  # translated once a page, not once a row
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.HR)
def create():
    form = NewWorkerForm()
    form.fill_choices()
    if form.validate_on_submit():
        ok, added = submit(form, transfers.add_person, current_user._get_current_object(),
                           form.to_profile(), once_form=form)
        if ok and isinstance(added, Transfer):
            # The phone is already this person's: a transfer (调入) waits for their consent.
            flash(_("该手机号已登记为 %(name)s，已发起调入申请，待本人确认。", name=added.person.name), "info")
            return render_template("workers/transfer_code.html", transfer=added, code=added.code)
        if ok:
            flash(_("已创建职工账号：%(name)s。请打印开通通知单交给本人开通。", name=added.name), "success")
            return redirect(url_for("workers.show", user_id=added.id))
    return render_template("workers/form.html", form=form, worker=None)


def _managed_worker(user_id: int):
    """A person the HR or admin may manage (services.accounts.policy.can_manage_worker), else 404."""
    return people.get_person(current_user._get_current_object(), user_id)


@bp.route("/<int:user_id>")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def show(user_id: int):
    actor = current_user._get_current_object()
    if policy.is_town_officer(actor) and not (policy.is_admin(actor) or policy.is_hr(actor)):
        person = people.get_worker(actor, user_id)  # a town officer looks, never edits
    else:
        person = _managed_worker(user_id)
    return render_template("workers/show.html", person=person, history=skills.history(person.id),
                           may_manage=accounts_policy.can_manage_worker(actor, person),
                           jobs=employment.history(person), may_leave=employment.can_record_leave(actor, person),
                           current_job=employment.current_employment(person), slip_form=BUTTON)


@bp.route("/<int:user_id>/skill-level", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def skill_level(user_id: int):
    worker = _managed_worker(user_id)
    form = SkillCertificateForm()
    form.fill_choices(current_user._get_current_object())
    if form.validate_on_submit():
        ok, _entry = submit(form, skills.record_certificate, current_user._get_current_object(), worker,
                            form.skill_level.data, form.certificate_no.data, form.issuing_body.data,
                            form.effective_date.data, programme_id=form.programme_id.data,
                            subsidy=form.subsidy.data)
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


# --- activation slips ---------------------------------------------------------------------------------


@bp.route("/activation", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def activation():
    """People not activated (all, or those a search finds), listed with their code state: issue codes for
    those without a valid one (or, as a second choice, reissue everyone's) and print the slips, in the
    request up to slips.INLINE_PEOPLE, else as a background job with progress."""
    actor = current_user._get_current_object()
    search = (request.values.get("q") or "").strip() or None
    reissue = request.form.get("reissue") == "1"
    count, everyone = slips.slip_counts(actor, search=search)
    form = ButtonForm()
    if form.validate_on_submit():
        back = url_for("workers.activation", q=search) if search else url_for("workers.activation")
        if (everyone if reissue else count) > slips.INLINE_PEOPLE:
            outcome = run_action(slips.start_slips_job, actor, search=search, url=activation_url(),
                                 locale=str(get_locale()), reissue=reissue)
            return redirect(url_for("jobs.show", job_id=outcome.value.id) if outcome else back)
        return pdf_response(lambda: slips.batch_slips(actor, search=search, url=activation_url(), reissue=reissue),
                            filename=_("开通通知单.pdf"), back=back)
    page = paginate(slips.slip_people_rows(actor, search=search), rows=True, total=everyone)
    return render_template("workers/activation.html", form=form, count=count, everyone=everyone, search=search,
                           inline_limit=slips.INLINE_PEOPLE, page=page, states=slips.code_states(page.items))


@bp.route("/<int:user_id>/activation-slip", methods=["POST"])
@roles_required(Role.HR, Role.ADMIN)
def activation_slip(user_id: int):
    """One person's slip: a new code for someone not activated, else a password reset with a new code."""
    person = _managed_worker(user_id)
    form = ButtonForm()
    back = url_for("workers.show", user_id=person.id)
    if not form.validate_on_submit():
        return redirect(back)
    actor = current_user._get_current_object()
    if person.is_activated:
        return pdf_response(slips.reset_slip, actor, person, activation_url(),
                            filename=_("开通通知单.pdf"), back=back)
    return pdf_response(slips.issue_slips, actor, [person], activation_url(),
                        filename=_("开通通知单.pdf"), back=back)


@bp.route("/export", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
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
