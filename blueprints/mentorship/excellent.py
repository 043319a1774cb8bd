"""The yearly excellent-pair selection (优秀师徒评选): the list, HR's nominations shown to the admin,
selection, publication for public notice (公示), objections and their resolution, confirmation."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import flash_form_errors, run_action
from blueprints.forms import ButtonForm, ObjectionForm, ResolveForm
from blueprints.mentorship import bp, current_actor
from core import clock
from models import Role, db
from models.mentorship import EXCELLENT_NOTICE_SUBJECT, ExcellentRound
from services.common import notices
from services.mentorship import excellent
from services.mentorship.settings import get_settings


@bp.route("/excellent")
@roles_required()
def excellent_list():
    actor = current_actor()
    year = request.args.get("year", type=int) or clock.today().year
    selection = excellent.get_round(year)
    nominations = list(db.session.scalars(excellent.nominations_query(actor, year)).unique())
    notice = excellent.round_notice(selection)
    return render_template("mentorship/excellent.html", year=year, selection=selection, nominations=nominations,
                           rounds=excellent.rounds(), button=ButtonForm(), notice=notice,
                           running=notice is not None and notices.is_running(notice),
                           final=excellent.is_final(selection), objection_form=ObjectionForm(),
                           resolve_form=ResolveForm(),
                           quota=selection.quota if selection else get_settings().excellent_quota)


@bp.route("/excellent/<int:year>/objections", methods=["POST"])
@roles_required()
def excellent_object(year: int):
    notice = excellent.round_notice(excellent.get_round(year))
    if notice is None:
        abort(404)
    form = ObjectionForm()
    if form.validate_on_submit():
        run_action(notices.file_objection, current_actor(), notice, form.body.data,
                   success=_("您的异议已实名提交，管理员处理后会记录处理意见。"))
    else:
        flash_form_errors(form)
    return redirect(url_for("mentorship.excellent_list", year=year))


@bp.route("/excellent/objections/<int:objection_id>/resolve", methods=["POST"])
@roles_required(Role.ADMIN)
def excellent_resolve(objection_id: int):
    objection = notices.get_objection(objection_id, EXCELLENT_NOTICE_SUBJECT)
    selection = db.session.get(ExcellentRound, objection.notice.subject_id)
    form = ResolveForm()
    if form.validate_on_submit():
        run_action(notices.resolve_objection, current_actor(), objection, form.outcome.data == "upheld",
                   form.note.data, success=_("异议处理结果已保存。"))
    else:
        flash_form_errors(form)
    return redirect(url_for("mentorship.excellent_list", year=selection.year))


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
