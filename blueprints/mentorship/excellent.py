"""The yearly excellent-pair selection (优秀师徒评选): the list, HR's nominations shown to the admin,
selection, publication for public notice (公示), confirmation and revocation of a final honour.
Objections go through the one objection flow (blueprints/notices)."""

from __future__ import annotations

from functools import partial

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import paginate, pdf_response, run_action
from blueprints.forms import ButtonForm, ObjectionForm, ResolveForm
from blueprints.mentorship import bp, current_actor
from blueprints.mentorship.forms import RevokeExcellentForm
from core import clock
from models import Role
from models.mentorship import GRADE_LABELS, PASSING_GRADES
from models.vocabulary import TRADE_LABELS, reference_label
from services import policy
from services.common import notices
from services.common.urls import external_url
from services.common.verification import grouped
from services.mentorship import excellent, excellent_certificates
from services.mentorship.settings import get_settings


@bp.route("/excellent")
@roles_required()
def excellent_list():
    actor = current_actor()
    year = request.args.get("year", type=int) or clock.today().year
    rounds = excellent.rounds()
    selection = next((r for r in rounds if r.year == year), None)  # the year's round, among every round
    nominations = paginate(excellent.nominations_query(actor, year, rows=True), long=True, rows=True)
    notice = excellent.round_notice(selection)
    running = notice is not None and notices.is_running(notice)
    final = excellent.is_final(selection, notice)
    is_admin = policy.is_admin(actor)
    # the forms are built only where the page shows them (the buttons' CSRF token comes from csrf_field)
    return render_template("mentorship/excellent.html", year=year, selection=selection, nominations=nominations,
                           rounds=rounds, notice=notice, running=running, final=final,
                           objection_form=ObjectionForm() if running else None,
                           resolve_form=ResolveForm() if is_admin and notice is not None else None,
                           revoke_form=RevokeExcellentForm() if is_admin and final else None,
                           objections=notices.objections_of(notice) if is_admin else [],
                           trade_label=partial(reference_label, TRADE_LABELS), grades=GRADE_LABELS,
                           passing=PASSING_GRADES,
                           quota=selection.quota if selection else get_settings().excellent_quota)


@bp.route("/excellent/<int:year>/finalise", methods=["POST"])
@roles_required(Role.ADMIN)
def excellent_finalise(year: int):
    if ButtonForm().validate_on_submit():
        run_action(excellent.finalise, current_actor(), year, success=_("公示结束，优秀师徒评选结果已确认。"))
    return redirect(url_for("mentorship.excellent_list", year=year))


def _decide(nomination_id: int, action, success: str):
    """An admin's button on one nomination (select or deselect), then back to its year's list."""
    actor = current_actor()
    nomination = excellent.get_nomination(actor, nomination_id)
    if ButtonForm().validate_on_submit():
        run_action(action, actor, nomination, success=success)
    return redirect(url_for("mentorship.excellent_list", year=nomination.round.year))


@bp.route("/nominations/<int:nomination_id>/certificate.pdf")
@roles_required()
def excellent_certificate(nomination_id: int):
    """The excellent-pair certificate (final selections only) to the two people, their HR and admins."""
    nomination = excellent_certificates.certificate_nomination(current_actor(), nomination_id)
    verify_url = external_url("verify.check", code=grouped(nomination.certificate_code))
    return pdf_response(excellent_certificates.certificate_pdf, nomination, verify_url,
                        filename=f"{nomination.round.year}-优秀师徒-{nomination.pair.mentor.name}"
                                 f"-{nomination.pair.apprentice.name}.pdf",
                        back=url_for("mentorship.pair_show", pair_id=nomination.pair_id))


@bp.route("/nominations/<int:nomination_id>/select", methods=["POST"])
@roles_required(Role.ADMIN)
def nomination_select(nomination_id: int):
    return _decide(nomination_id, excellent.select, _("已入选。"))


@bp.route("/nominations/<int:nomination_id>/deselect", methods=["POST"])
@roles_required(Role.ADMIN)
def nomination_deselect(nomination_id: int):
    return _decide(nomination_id, excellent.deselect, _("已取消入选。"))


@bp.route("/excellent/<int:year>/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def excellent_publish(year: int):
    if ButtonForm().validate_on_submit():
        run_action(excellent.publish, current_actor(), year,
                   success=_("%(year)d 年优秀师徒拟表彰名单已公示。", year=year))
    return redirect(url_for("mentorship.excellent_list", year=year))


@bp.route("/nominations/<int:nomination_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def nomination_revoke(nomination_id: int):
    """Revoke a final excellent-pair honour with a reason (the list's row form); the reason's error is
    flashed back on the list."""
    actor = current_actor()
    nomination = excellent.get_nomination(actor, nomination_id)
    form = RevokeExcellentForm()
    if form.validate_on_submit():
        run_action(excellent.revoke, actor, nomination, form.reason.data, success=_("已撤销这项优秀师徒表彰。"))
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "danger")
    return redirect(url_for("mentorship.excellent_list", year=nomination.round.year))
