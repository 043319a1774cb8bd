"""Completion pages of a training programme (结业): the owner's assessment and completion page (the levels
above read it), finishing the programme, the completion certificate (PDF, revocation) and the worker's own
results. Every rule is in services/training/completion.py and certificates.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import paginate, pdf_response, run_action, submit
from blueprints.forms import ButtonForm
from blueprints.training import bp
from blueprints.training.completion_forms import AssessmentForm, RevokeTrainingCertificateForm
from blueprints.training.completion_rows import completion_rows
from models.training import FINISHED
from services.common import verification
from services.common.urls import external_url
from services.training import certificates, policy
from services.training import completion as rules


def _actor():
    return current_user._get_current_object()


def _completion_page(programme_id: int, page=None):
    return url_for("training.completion", programme_id=programme_id, page=page)


@bp.route("/programmes/<int:programme_id>/completion")
@roles_required()
def completion(programme_id: int):
    """The programme's enrolments with their hours, assessment and outcome (paged); the owner records
    assessments and finishes the programme here."""
    actor = _actor()
    programme = policy.get_programme(actor, programme_id)
    # a programme's confirmed enrolments are at most its capacity: counted in the page's statement
    pagination = paginate(rules.enrolments_query(actor, programme), rows=True, short=True)
    runs = policy.can_run(actor, programme)
    finishing = runs and programme.status != FINISHED  # the finish card is shown
    # the page's progress, the programme's total hours and the last class's end in one query
    progress, total_hours, refusal = rules.completion_page(programme, pagination.items, finishing=finishing)
    rows = completion_rows(
        pagination.items, progress,
        # Progress.assessment_label's texts translated once a page, not once a row
        {state: str(label) for state, label in rules.ASSESSMENT_STATES.items()},
        page=pagination.page, runs=runs, finished=programme.status == FINISHED,
        reason_of=rules.not_completed_reason,
        assess_open=runs and programme.assessment_required and programme.status == "published",
    ) if pagination.items else None
    return render_template(
        "training/completion.html", programme=programme, pagination=pagination, runs=runs,
        total_hours=total_hours, finish_refusal=refusal, completion_rows=rows)


@bp.route("/enrolments/<int:enrolment_id>/assessment", methods=["POST"])
@roles_required()
def record_assessment(enrolment_id: int):
    actor = _actor()
    enrolment = rules.get_enrolment(actor, enrolment_id)
    policy.require_runner(actor, enrolment.programme)
    form = AssessmentForm()
    if form.validate_on_submit():
        passed = {"1": True, "0": False}.get(form.passed.data)
        run_action(rules.record_assessment, actor, enrolment, passed, form.score.data,
                   success=_("已保存 %(name)s 的考核结果。", name=enrolment.worker.name))
    else:
        for errors in form.errors.values():
            flash(errors[0], "danger")
    return redirect(_completion_page(enrolment.programme_id, request.form.get("page", type=int)))


@bp.route("/programmes/<int:programme_id>/finish", methods=["POST"])
@roles_required()
def finish(programme_id: int):
    actor = _actor()
    programme = policy.get_programme(actor, programme_id)
    policy.require_runner(actor, programme)
    if ButtonForm().validate_on_submit():
        outcome = run_action(rules.finish_programme, actor, programme)
        if outcome:
            done, not_done = outcome.value
            flash(_("培训项目已结业：%(done)d 人结业并获得证书，%(not_done)d 人未结业。", done=done,
                    not_done=not_done), "success")
    return redirect(_completion_page(programme_id))


@bp.route("/certificates/<int:enrolment_id>.pdf")
@roles_required()
def certificate_pdf(enrolment_id: int):
    enrolment = certificates.get_certificate(_actor(), enrolment_id)
    verify_url = external_url("verify.check", code=verification.grouped(enrolment.certificate_code))
    return pdf_response(certificates.certificate_pdf, enrolment, verify_url,
                        filename=f"{enrolment.programme.name}-{enrolment.worker.name}-结业证书.pdf",
                        back=url_for("training.my_certificates"))


@bp.route("/certificates/<int:enrolment_id>/revoke", methods=["GET", "POST"])
@roles_required()
def revoke_certificate(enrolment_id: int):
    actor = _actor()
    enrolment = certificates.get_certificate(actor, enrolment_id)
    policy.require_runner(actor, enrolment.programme)
    form = RevokeTrainingCertificateForm()
    if form.validate_on_submit():
        ok, _value = submit(form, certificates.revoke_certificate, actor, enrolment, form.reason.data)
        if ok:
            flash(_("证书已撤销。"), "success")
            return redirect(_completion_page(enrolment.programme_id))
    return render_template("training/revoke_certificate.html", enrolment=enrolment, form=form)


@bp.route("/my-certificates")
@roles_required()
def my_certificates():
    """The worker's results of finished programmes: the certificates to download, or why not completed."""
    actor = _actor()
    pagination = paginate(certificates.my_results_query(actor))
    hours = certificates.hours_of(actor, [e.programme_id for e in pagination.items])
    return render_template("training/my_certificates.html", pagination=pagination, hours=hours,
                           reason_of=rules.not_completed_reason)
