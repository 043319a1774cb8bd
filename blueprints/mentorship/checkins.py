"""Check-ins (带徒记录): the mentor's form, the apprentice's answer, the photo."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import hold_uploads, run_action, send_stored_file, submit
from blueprints.mentorship import bp, current_actor
from blueprints.mentorship.forms import CheckInForm, RespondForm
from blueprints.mentorship.pairs import render_pair, respond_prefix
from core import clock
from services.common import uploads
from services.mentorship import checkins, pair_page, pairing


@bp.route("/pairs/<int:pair_id>/checkins/new", methods=["GET", "POST"])
@roles_required()
def checkin_create(pair_id: int):
    actor = current_actor()
    pair = pairing.get_pair(actor, pair_id)
    allowed = run_action(checkins.refuse_unless_recordable, actor, pair, flash_error=False)
    if not allowed:  # the mentor of a pair no longer active (anyone else: 403)
        flash(str(allowed.error.message), "warning")
        return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    form = CheckInForm()
    if request.method == "GET":
        form.checkin_date.data = clock.today()
    if form.is_submitted():
        valid = form.validate_on_submit()
        # The photo is held across a refusal for another field (shown as 已上传, not chosen again).
        held = hold_uploads(form, "photo", allowed=checkins.PHOTO_KINDS, uploader=actor)[-1:]
        if valid and not form.held_error:
            photo = next(iter(uploads.held_as_uploads(actor, held)), None)
            ok, _result = submit(form, checkins.record_checkin, actor, pair, checkin_date=form.checkin_date.data,
                                 hours=form.hours.data, taught=form.taught.data,
                                 skill_points=form.skill_points.data, photo=photo,
                                 success=_("已提交带徒记录，等待徒弟确认。"))
            if ok:
                uploads.release_held(held)
                return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
        form.held = held
    return render_template("mentorship/checkin_form.html", form=form, pair=pair)


@bp.route("/checkins/<int:checkin_id>/respond", methods=["POST"])
@roles_required()
def checkin_respond(checkin_id: int):
    actor = current_actor()
    checkin = checkins.get_checkin(actor, checkin_id)
    form = RespondForm(prefix=respond_prefix(checkin.id))
    if form.validate_on_submit():
        confirm = bool(form.confirm.data) and not form.dispute.data
        answered = _("已确认带徒记录。") if confirm else _("已提出异议，企业人力资源会看到您的说明。")
        ok, _result = submit(form, checkins.respond_checkin, actor, checkin, confirm=confirm, note=form.note.data,
                             success=answered)
        if ok:
            return redirect(url_for("mentorship.pair_show", pair_id=checkin.pair_id))
    form.checkin_id = checkin.id
    return render_pair(*pair_page.pair_and_nomination(actor, checkin.pair_id), respond_form=form)


@bp.route("/checkins/<int:checkin_id>/photo")
@roles_required()
def checkin_photo(checkin_id: int):
    return send_stored_file(checkins.get_photo(current_actor(), checkin_id))
