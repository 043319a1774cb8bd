"""Training programmes (HTTP only; rules in services/training/programmes.py): the list everyone sees
(培训), a worker's own enrolments (我的培训), the owner's management list, the programme page (classes,
seats, the actor's enrolment, and to the owner and HR the enrolment list), create, edit, publish,
cancel and finish."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import keyset_page, page_number, paginate, run_action, submit
from blueprints.forms import ButtonForm, OnceButtonForm
from blueprints.training import bp, list_rows, programme_rows
from blueprints.training.programme_forms import CancelForm, ProgrammeForm
from core import clock
from core.l10n import lazy_gettext as _l
from models import Role
from models.owners import OWNER_CITY, OWNER_ENTERPRISE, OWNER_TOWN
from models.training import (
    DRAFT,
    ENROLMENT_STATUSES,
    PROGRAMME_KINDS,
    PROGRAMME_STATUSES,
    PUBLISHED,
    TrainingEnrolment,
)
from services import policy
from services.common import owners
from services.common.rows import translated
from services.training import enrolment, outcomes, programme_page, programmes, signin
from services.training import policy as training_policy
from services.training.completion import not_completed_reason


def actor():
    """The logged-in user (the object, not the proxy)."""
    return current_user._get_current_object()


def run_programme_or_404(programme_id: int):
    """The programme of the URL for one of its owner's pages: NotFound when it does not exist for the
    actor, NotAllowed unless the actor runs it."""
    programme = training_policy.get_programme(actor(), programme_id)
    training_policy.require_runner(actor(), programme)
    return programme


def _level_labels():
    return {OWNER_CITY: _l("市级"), OWNER_TOWN: _l("镇街级"), OWNER_ENTERPRISE: _l("企业级")}


def _list_page(template: str, *, own: bool):
    user = actor()
    filters = {"kind": request.args.get("kind"), "status": request.args.get("status"),
               "level": request.args.get("level")}
    pagination = programmes.programme_lines(user, page_number(), current_app.config["PAGE_SIZE"], own=own, **filters)
    statuses = {**PROGRAMME_STATUSES, programmes.TO_FINISH: programmes.TO_FINISH_LABEL} if own else PROGRAMME_STATUSES
    return render_template(template, pagination=pagination, owner_names=programmes.owner_names(pagination.items),
                           # the labels translated once per page, not once per row
                           kinds=translated(PROGRAMME_KINDS), levels=translated(_level_labels()),
                           statuses=translated(statuses),
                           may_create=owners.owner_for(user) is not None, is_worker=user.has_role(Role.WORKER),
                           programme_rows=list_rows.programme_rows)


@bp.route("/")
@roles_required()
def index():
    """培训: the programmes that exist for the actor, filtered and paged."""
    return _list_page("training/index.html", own=False)


@bp.route("/manage")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def manage():
    """The owner's own programmes, every state."""
    return _list_page("training/manage.html", own=True)


@bp.route("/mine")
@roles_required(Role.WORKER)
def mine():
    """我的培训: the worker's enrolments, with their waitlist places or their outcome (services.training.outcomes)."""
    pagination = paginate(enrolment.my_enrolments_query(actor()))
    return render_template("training/mine.html", pagination=pagination,
                           positions=enrolment.page_waitlist_positions(pagination.items),
                           outcomes=outcomes.outcomes_of(pagination.items), outcome_labels=outcomes.OUTCOME_LABELS,
                           reason_of=not_completed_reason)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def create():
    programmes.require_owner(actor())
    form = ProgrammeForm()
    form.fill_choices()
    if form.validate_on_submit():
        ok, programme = submit(form, programmes.create_programme, actor(), form.to_data(), once_form=form)
        if ok:
            flash(_("培训项目已创建（草稿）。请添加班次，核对无误后发布。"), "success")
            return redirect(url_for("training.show", programme_id=programme.id))
    return render_template("training/form.html", form=form, programme=None)


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def edit(programme_id: int):
    programme = run_programme_or_404(programme_id)
    form = ProgrammeForm()
    form.fill_choices()
    if request.method == "GET":
        form.load(programme)
    if form.validate_on_submit():
        ok, _result = submit(form, programmes.update_programme, actor(), programme, form.to_data())
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("training.show", programme_id=programme.id))
    return render_template("training/form.html", form=form, programme=programme)


def _may_list_enrolments(user, oversees: bool) -> bool:
    return oversees or policy.management_scope(user).kind != policy.NOBODY


@bp.route("/<int:programme_id>")
@roles_required()
def show(programme_id: int):
    user = actor()
    programme = training_policy.get_programme(user, programme_id)
    own = problems = position = None
    if user.has_role(Role.WORKER) and user.enterprise_id:
        own = enrolment.entry_of(user, programme)
        if own is None:
            problems = enrolment.enrolment_problems(programme, user)
        else:
            position = enrolment.waitlist_position(own)
    page = positions = None
    # the owner and overseer rules checked once a page
    is_owner, oversees, is_hr = (training_policy.can_run(user, programme),
                                 training_policy.can_oversee(user, programme), policy.is_hr(user))
    listed = _may_list_enrolments(user, oversees)
    if listed:
        status, search = request.args.get("status"), request.args.get("q", "").strip() or None
        if search is None:  # the list as it opens: a kept statement
            kept, build, params = enrolment.kept_enrolments_query(user, programme, status=status)
            page = keyset_page(build, TrainingEnrolment.id, descending=False, rows=True, kept=kept, params=params)
        else:
            stmt = enrolment.enrolments_query(user, programme, status=status, search=search)
            page = keyset_page(stmt, TrainingEnrolment.id, descending=False, rows=True)
        positions = enrolment.page_waitlist_positions(page.items)
    # the classes as plain rows, the owner's name, the target trades and the enrolment counts in one statement;
    # the classes whose sign-in and attendance the user runs (owner: all; a class assistant: their own); the
    # page shows every class, so their total hours are summed here
    parts = programme_page.page_parts(programme, with_counts=listed and oversees)
    class_rows = parts.classes
    signin_ids = training_policy.signin_class_ids(user, programme, class_rows, runs=is_owner)
    # 签到 is offered only for a class whose sign-in window is now; the class under way is marked
    now = clock.now()
    signin_now = {c.id for c in class_rows if c.id in signin_ids and signin.in_signin_window(c, now)}
    under_way = {c.id for c in class_rows if c.starts_at <= now <= c.ends_at}
    # the forms are built only where the page shows them (the buttons' CSRF token comes from csrf_field)
    offers_enrol = problems is not None and not problems and programme.self_enrol and programme.status == PUBLISHED
    statuses = translated(ENROLMENT_STATUSES)  # translated once per page
    before_start = programme.status == PUBLISHED and clock.today() < programme.starts_on
    rows = programme_rows.class_rows(class_rows, under_way=under_way, signin_ids=signin_ids, signin_now=signin_now,
                                     own=own, is_owner=is_owner, status=programme.status) if class_rows else None
    enrolments = programme_rows.enrolment_rows(
        page.items, positions, statuses, may_withdraw=is_hr and before_start,
        my_enterprise=user.enterprise_id) if page is not None and page.items else None
    return render_template(
        "training/show.html", programme=programme, own=own, problems=problems, position=position,
        signin_ids=signin_ids, class_rows=rows, enrolment_rows=enrolments,
        oversees=oversees, is_owner=is_owner, is_hr=is_hr,
        enrolment_open=enrolment.is_enrolment_open(programme),
        total_hours=sum((c.hours for c in class_rows), Decimal(0)),
        owner_name=parts.owner_name, trade_labels=parts.trade_labels, level_labels=_level_labels(),
        page=page, counts=parts.counts, statuses=statuses, before_start=before_start,
        enrol_form=OnceButtonForm() if offers_enrol else None,
        cancel_form=CancelForm(formdata=None) if is_owner and programme.status in (DRAFT, PUBLISHED) else None)


@bp.route("/<int:programme_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def publish(programme_id: int):
    programme = run_programme_or_404(programme_id)
    if ButtonForm().validate_on_submit():
        run_action(programmes.publish_programme, actor(), programme, success=_("已发布，职工可以在报名时间内报名。"))
    return redirect(url_for("training.show", programme_id=programme_id))


@bp.route("/<int:programme_id>/cancel", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def cancel(programme_id: int):
    programme = run_programme_or_404(programme_id)
    form = CancelForm()
    if form.validate_on_submit():
        outcome = run_action(programmes.cancel_programme, actor(), programme, form.reason.data)
        if outcome:
            flash(_("培训已取消，已通知 %(n)d 名报名职工。", n=outcome.value), "success")
    return redirect(url_for("training.show", programme_id=programme_id))
