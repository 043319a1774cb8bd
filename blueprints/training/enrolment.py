"""A programme's classes and enrolment (HTTP only; rules in services/training/classes.py, enrolment.py and
enrol_bulk.py): the owner adds, edits and removes classes; a worker enrols and withdraws; HR enrols its
workers by employee number, by search or from a list (a long list becomes a background job)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import run_action, submit
from blueprints.forms import ButtonForm, OnceButtonForm, picked_person_id
from blueprints.training import bp
from blueprints.training.programme_forms import ClassForm, EnrolNumberForm, EnrolPersonForm, EnrolUploadForm
from blueprints.training.programmes import actor, run_programme_or_404
from models import Role
from models.jobs import Job
from models.training import CONFIRMED
from services.accounts.search import person_label
from services.training import classes, enrol_bulk, enrolment
from services.training import policy as training_policy

# --- classes (班次) ----------------------------------------------------------------------------------


@bp.route("/<int:programme_id>/classes/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def class_new(programme_id: int):
    programme = run_programme_or_404(programme_id)
    form = ClassForm()
    if form.validate_on_submit():
        ok, made = submit(form, lambda: classes.add_class(
            actor(), programme, form.to_data(picked_person_id(actor(), form.assistant_id, "class_assistant"))),
            once_form=form)
        if ok:
            _flash_class_saved(_("班次已添加。"), made)
            return redirect(url_for("training.show", programme_id=programme.id))
    return render_template("training/class_form.html", form=form, programme=programme, training_class=None)


def _flash_class_saved(message: str, training_class) -> None:
    """The class is saved: say so, naming the class assistant the picker's text resolved to (the text
    may have named one person without a suggestion being chosen: the owner sees whom it named)."""
    if training_class.assistant is not None:
        message += " " + _("班级助理：%(name)s。", name=person_label(training_class.assistant))
    flash(message, "success")


def _run_class_or_404(class_id: int):
    training_class = training_policy.get_class(actor(), class_id)
    training_policy.require_runner(actor(), training_class.programme)
    return training_class


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def class_edit(class_id: int):
    training_class = _run_class_or_404(class_id)
    form = ClassForm()
    if not form.is_submitted():
        form.load(classes.class_form_data(training_class))
        form.assistant_id.show(training_class.assistant,
                               person_label(training_class.assistant) if training_class.assistant else "")
    if form.validate_on_submit():
        ok, _result = submit(form, lambda: classes.update_class(
            actor(), training_class, form.to_data(picked_person_id(actor(), form.assistant_id, "class_assistant"))))
        if ok:
            _flash_class_saved(_("班次已保存。"), training_class)
            return redirect(url_for("training.show", programme_id=training_class.programme_id))
    return render_template("training/class_form.html", form=form, programme=training_class.programme,
                           training_class=training_class)


@bp.route("/classes/<int:class_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def class_remove(class_id: int):
    training_class = _run_class_or_404(class_id)
    programme_id = training_class.programme_id
    if ButtonForm().validate_on_submit():
        run_action(classes.remove_class, actor(), training_class, success=_("班次已删除。"))
    return redirect(url_for("training.show", programme_id=programme_id))


# --- enrolment ---------------------------------------------------------------------------------------


def _flash_enrolled(made, name: str | None = None) -> None:
    if made.status == CONFIRMED:
        flash(_("%(name)s 报名成功。", name=name) if name else _("报名成功。"), "success")
    else:
        n = enrolment.waitlist_position(made)
        flash(_("%(name)s 已进入候补名单，第 %(n)d 位。", name=name, n=n) if name
              else _("名额已满，您已进入候补名单，第 %(n)d 位。", n=n), "warning")


@bp.route("/<int:programme_id>/enrol", methods=["POST"])
@roles_required(Role.WORKER)
def enrol(programme_id: int):
    """A worker enrols themself."""
    user = actor()
    programme = training_policy.get_programme(user, programme_id)
    form = OnceButtonForm()
    if form.validate_on_submit():
        outcome = run_action(enrolment.enrol, user, programme, user, once_form=form)
        if outcome:
            _flash_enrolled(outcome.value)
    return redirect(url_for("training.show", programme_id=programme_id))


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@roles_required(Role.WORKER, Role.HR)
def withdraw(enrolment_id: int):
    user = actor()
    made = enrolment.get_enrolment(user, enrolment_id)
    if ButtonForm().validate_on_submit():
        run_action(enrolment.withdraw, user, made, success=_("已退出培训。"))
    return redirect(url_for("training.show", programme_id=made.programme_id))


def _enrol_page(programme, *, number=None, person=None, upload=None, outcomes=None):
    return render_template("training/enrol.html", programme=programme,
                           number=number or EnrolNumberForm(formdata=None),
                           person=person or EnrolPersonForm(formdata=None),
                           upload=upload or EnrolUploadForm(formdata=None), outcomes=outcomes,
                           labels=enrol_bulk.OUTCOME_LABELS, enrolment_open=enrolment.is_enrolment_open(programme))


@bp.route("/<int:programme_id>/enrol-workers", methods=["GET", "POST"])
@roles_required(Role.HR)
def enrol_workers(programme_id: int):
    """HR's page: by employee number (this POST), by search, from a list."""
    programme = training_policy.get_programme(actor(), programme_id)
    number = EnrolNumberForm()
    if number.validate_on_submit():
        ok, made = submit(number, enrol_bulk.hr_enrol_number, actor(), programme, number.employee_no.data,
                          once_form=number)
        if ok:
            _flash_enrolled(made, made.worker.name)
            return redirect(url_for("training.enrol_workers", programme_id=programme_id))
    return _enrol_page(programme, number=number)


@bp.route("/<int:programme_id>/enrol-workers/person", methods=["POST"])
@roles_required(Role.HR)
def enrol_person(programme_id: int):
    programme = training_policy.get_programme(actor(), programme_id)
    person = EnrolPersonForm()
    if person.validate_on_submit():
        ok, made = submit(person, lambda: enrol_bulk.hr_enrol_person(
            actor(), programme, picked_person_id(actor(), person.person, "workers")), once_form=person)
        if ok:
            _flash_enrolled(made, made.worker.name)
            return redirect(url_for("training.enrol_workers", programme_id=programme_id))
    return _enrol_page(programme, person=person)


@bp.route("/<int:programme_id>/enrol-workers/upload", methods=["POST"])
@roles_required(Role.HR)
def enrol_upload(programme_id: int):
    programme = training_policy.get_programme(actor(), programme_id)
    upload = EnrolUploadForm()
    outcomes = None
    if upload.validate_on_submit():
        ok, outcomes = submit(upload, enrol_bulk.hr_enrol_upload, actor(), programme, upload.file.data)
        if ok and isinstance(outcomes, Job):
            flash(_("名单较长，已在后台处理；完成后可在此下载逐行结果。"), "info")
            return redirect(url_for("jobs.show", job_id=outcomes.id))
    return _enrol_page(programme, upload=upload, outcomes=outcomes)
