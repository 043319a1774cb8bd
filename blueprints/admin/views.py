"""Union admin pages: enterprises, accounts (roles, password reset, deactivation), town union
officers, audit log."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.admin import bp
from blueprints.admin.forms import (
    AccountForm,
    ActiveForm,
    EnterpriseForm,
    NewAccountForm,
    ResetPasswordForm,
    RolesForm,
    TownOfficerForm,
)
from blueprints.common import (
    activation_url,
    enterprise_filter,
    int_arg,
    keyset_page,
    paginate,
    pdf_response,
    person_filter,
    run_action,
    submit,
)
from blueprints.forms import BUTTON, ButtonForm
from blueprints.page_parts import PageMemo
from models import AuditLog, Role, User
from models.accounts import INDUSTRIES, ROLE_LABELS
from services import policy
from services.accounts import enterprises, people, search, slips, towns
from services.common import audit


def _actor():
    return current_user._get_current_object()


def _status_arg():
    return {"active": True, "inactive": False}.get(request.args.get("status", ""))


def _switch_active(action, target, activated_message, deactivated_message) -> None:
    """The activate / deactivate button (ActiveForm: active=1 or 0) of an enterprise or an account."""
    form = ActiveForm()
    if form.validate_on_submit():
        active = form.active.data == "1"
        run_action(action, _actor(), target, active, success=activated_message if active else deactivated_message)


# --- enterprises ------------------------------------------------------------------------------


@bp.route("/enterprises")
@roles_required(Role.ADMIN, Role.TOWN)
def enterprise_list():
    """Admins: every enterprise, to edit; a town officer: their town's, read-only."""
    actor = _actor()
    stmt = enterprises.enterprises_query(
        search=request.args.get("q", "").strip() or None, town_id=int_arg("town"),
        industry=request.args.get("industry") or None, active=_status_arg(), actor=actor,
    )
    pagination = paginate(stmt)
    is_admin = policy.is_admin(actor)
    return render_template("admin/enterprises.html", pagination=pagination, is_admin=is_admin,
                           towns=enterprises.towns() if is_admin else [], industries=INDUSTRIES)


@bp.route("/enterprises/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def enterprise_create():
    form = EnterpriseForm()
    form.fill_choices(enterprises.towns())
    if form.validate_on_submit():
        ok, enterprise = submit(form, enterprises.create_enterprise, _actor(), form.to_data(), once_form=form)
        if ok:
            flash(_("已创建企业：%(name)s", name=enterprise.name), "success")
            return redirect(url_for("admin.enterprise_list"))
    return render_template("admin/enterprise_form.html", form=form, enterprise=None)


@bp.route("/enterprises/<int:enterprise_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def enterprise_edit(enterprise_id: int):
    enterprise = enterprises.get_enterprise(enterprise_id)
    form = EnterpriseForm(obj=enterprise)
    form.fill_choices(enterprises.towns())
    if form.validate_on_submit():
        ok, _result = submit(form, enterprises.update_enterprise, _actor(), enterprise, form.to_data())
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("admin.enterprise_list"))
    return render_template("admin/enterprise_form.html", form=form, enterprise=enterprise,
                           active_form=ActiveForm(), history=enterprises.town_history(enterprise.id))


@bp.route("/enterprises/<int:enterprise_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def enterprise_active(enterprise_id: int):
    enterprise = enterprises.get_enterprise(enterprise_id)
    _switch_active(enterprises.set_enterprise_active, enterprise,
                   _("企业已启用。"), _("企业已停用，其人员不能再登录。"))
    return redirect(url_for("admin.enterprise_edit", enterprise_id=enterprise.id))


# --- accounts ---------------------------------------------------------------------------------


@bp.route("/users")
@roles_required(Role.ADMIN)
def user_list():
    role = request.args.get("role") or None
    enterprise = enterprise_filter(_actor())
    stmt = people.account_rows_query(
        _actor(), search=request.args.get("q", "").strip() or None, enterprise_ids=enterprise.ids,
        role=role if role in set(Role) else None, active=_status_arg(),
    )
    return render_template("admin/users.html", page=keyset_page(stmt, User.id, rows=people.AccountRow),
                           role_labels=ROLE_LABELS, enterprise=enterprise, page_memo=PageMemo)


def _profile(form):
    """The account form's profile with its enterprise picker resolved (services.accounts.search:
    RuleViolation beside the field when the text names no enterprise or several)."""
    profile = form.to_profile()
    chosen = search.pick_enterprise(_actor(), form.enterprise_id.text, form.enterprise_id.data,
                                    field="enterprise_id", active_only=False)
    profile.enterprise_id = chosen.id if chosen else None
    return profile


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_create():
    form = NewAccountForm()
    form.fill_choices()
    if form.validate_on_submit():
        ok, user = submit(form, lambda: people.create_account(_actor(), _profile(form)),
                          once_form=form)
        if ok:
            flash(_("已创建账号：%(name)s。请打印开通通知单交给本人开通。", name=user.name), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_form.html", form=form, person=None)


@bp.route("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def user_detail(user_id: int):
    person = people.get_person(_actor(), user_id)
    roles_form = RolesForm(data={"roles": [str(r) for r in person.roles]})
    town_list = enterprises.towns()
    town_form = TownOfficerForm(data={"town_id": person.town_id})
    town_form.fill_choices(town_list)
    return render_template("admin/user_detail.html", person=person, roles_form=roles_form,
                           reset_form=ResetPasswordForm(), active_form=ActiveForm(), town_form=town_form,
                           town=next((t for t in town_list if t.id == person.town_id), None),
                           remove_form=BUTTON, picker_label=search.person_label(person))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_edit(user_id: int):
    person = people.get_person(_actor(), user_id)
    form = AccountForm(obj=person)
    form.fill_choices()
    form.enterprise_id.show(person.enterprise, person.enterprise.name if person.enterprise else "")
    if form.validate_on_submit():
        ok, _result = submit(form, lambda: people.update_account(_actor(), person, _profile(form)))
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("admin.user_detail", user_id=person.id))
    return render_template("admin/user_form.html", form=form, person=person)


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@roles_required(Role.ADMIN)
def user_roles(user_id: int):
    person = people.get_person(_actor(), user_id)
    form = RolesForm()
    if form.validate_on_submit():
        run_action(people.set_roles, _actor(), person, set(form.roles.data),
                   success=_("角色已更新。"))
    return redirect(url_for("admin.user_detail", user_id=person.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required(Role.ADMIN)
def user_password(user_id: int):
    """The reset: the password and sessions end and the answer is the person's new activation slip (PDF)."""
    person = people.get_person(_actor(), user_id)
    back = url_for("admin.user_detail", user_id=person.id)
    if not ResetPasswordForm().validate_on_submit():
        return redirect(back)
    return pdf_response(slips.reset_slip, _actor(), person, activation_url(), filename=_("开通通知单.pdf"), back=back)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def user_active(user_id: int):
    person = people.get_person(_actor(), user_id)
    _switch_active(people.set_active, person, _("账号已启用。"), _("账号已停用，其所有登录已失效。"))
    return redirect(url_for("admin.user_detail", user_id=person.id))


# --- town union officers ---------------------------------------------------------------------


@bp.route("/town-officers", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def town_officers():
    """The town officers (of one town: ?town=), and the form that assigns one (services.accounts.towns)."""
    town_list = enterprises.towns()
    form = TownOfficerForm()
    form.fill_choices(town_list)
    if form.validate_on_submit():
        ok, _row = submit(form, lambda: towns.assign_town_officer(
            _actor(), search.pick_person(_actor(), form.person.text, form.person.data,
                                         purpose="town_officers", field="person"), form.town_id.data))
        if ok:
            flash(_("已任命镇街工会干部。"), "success")
            return redirect(url_for("admin.town_officers"))
    page = keyset_page(towns.town_officers_query(int_arg("town")), User.id)
    return render_template("admin/town_officers.html", form=form, page=page, towns=town_list,
                           town_by_id={town.id: town for town in town_list},
                           remove_form=BUTTON)


@bp.route("/town-officers/<int:user_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def town_officer_remove(user_id: int):
    person = people.get_person(_actor(), user_id)
    if ButtonForm().validate_on_submit():
        run_action(towns.remove_town_officer, _actor(), person, success=_("已撤销镇街工会干部。"))
    return redirect(url_for("admin.town_officers"))


# --- audit ------------------------------------------------------------------------------------


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    actor = person_filter(_actor(), "actor")
    filters = audit.AuditFilter(
        actor_ids=actor.ids, action=request.args.get("action", "").strip() or None,
        object_type=request.args.get("object_type") or None, object_id=request.args.get("object_id", type=int),
        date_from=_date_arg("from"), date_to=_date_arg("to"),
    )
    return render_template("admin/audit.html", page=keyset_page(audit.entries_query(filters), AuditLog.id, long=True,
                                                                    rows=True),
                           actor=actor, object_types=audit.object_types())


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
