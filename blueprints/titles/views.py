"""Craftsman titles: title types and rounds (admin), nominations (HR), review and awards (admin),
public notice (everyone logged in; objections go through the one objection flow, blueprints/notices),
the public honour roll and verification, the worker's growth record."""

from __future__ import annotations

from datetime import UTC
from functools import partial

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import public, roles_required
from blueprints.common import (
    flash_form_errors,
    hold_uploads,
    int_arg,
    page_number,
    pdf_response,
    run_action,
    send_stored_file,
    submit,
)
from blueprints.forms import BUTTON, ButtonForm, ObjectionForm, PublishForm
from blueprints.titles import bp
from blueprints.titles.forms import (
    NominationForm,
    ReviewForm,
    RevokeForm,
    RoundForm,
    TitleTypeForm,
)
from core import clock
from models import Role
from models.titles import (
    AWARD_REVOKED,
)
from models.vocabulary import TRADE_LABELS, reference_label
from services import policy
from services.accounts import people, search
from services.common import notices, uploads
from services.common.pdf.language import reader_locale
from services.common.rows import label_texts
from services.common.urls import external_url
from services.common.verification import grouped
from services.growth import policy as growth_policy
from services.growth import record_pdf, timeline
from services.titles import awards, certificates, eligibility, evidence, honours, nominations, rounds, types
from services.titles import policy as titles_policy


def _actor():
    return current_user._get_current_object()


@bp.route("/")
@roles_required()
def index():
    actor = _actor()
    context = {"open_rounds": rounds.rounds(open_only=True), "my_awards": awards.awards_of(actor.id)}
    if policy.is_admin(actor):
        context.update(title_types=types.title_types(),
                       all_rounds=rounds.round_lines(page_number(), current_app.config["LONG_PAGE_SIZE"]))
    if policy.is_hr(actor) or policy.is_town_officer(actor):  # a town officer: the town's, read-only
        context["nominations"] = nominations.nomination_lines(actor, page_number(), current_app.config["PAGE_SIZE"])
    return render_template("titles/index.html", **context)


# --- title types (admin) ----------------------------------------------------------------------------


@bp.route("/types/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def type_create():
    return _type_form(None)


@bp.route("/types/<int:type_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def type_edit(type_id: int):
    return _type_form(types.get_title_type(type_id))


def _type_form(title_type):
    form = TitleTypeForm(obj=title_type)
    form.fill_choices(types.title_types(), title_type)
    if form.validate_on_submit():
        ok, saved = submit(form, types.save_title_type, _actor(), title_type, form.to_data())
        if ok:
            flash(_("已保存称号：%(name)s", name=saved.name), "success")
            return redirect(url_for("titles.index"))
    return render_template("titles/type_form.html", form=form, title_type=title_type)


# --- rounds -----------------------------------------------------------------------------------------


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def round_create():
    form = RoundForm()
    form.title_type_id.choices = [(t.id, t.label) for t in types.title_types(active_only=True)]
    if request.method == "GET":
        form.year.data = clock.today().year
        form.title_type_id.data = request.args.get("type", type=int)
    if form.validate_on_submit():
        deadline = form.deadline.data.replace(tzinfo=clock.SHANGHAI).astimezone(UTC)
        title_type = types.find_title_type(form.title_type_id.data)
        if title_type is None:
            form.title_type_id.errors = [_("请选择称号。")]
        else:
            ok, title_round = submit(form, rounds.open_round, _actor(), title_type, form.year.data, deadline,
                                     form.quota.data)
            if ok:
                flash(_("已发起评选。"), "success")
                return redirect(url_for("titles.round_detail", round_id=title_round.id))
    return render_template("titles/round_form.html", form=form)


@bp.route("/rounds/<int:round_id>/nominate", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def nominate(round_id: int):
    actor = _actor()
    title_round = rounds.get_round(round_id)
    worker_id, worker_text = request.values.get("worker", type=int), request.values.get("worker_q")
    # The picker's text (services.accounts.search, purpose "workers"); an id alone is checked as before.
    picked = search.resolve_person(actor, worker_text, worker_id, purpose="workers") if worker_text else None
    if picked is not None:
        worker_id = picked.chosen.id if picked.chosen else None
    worker = nominations.worker_for_nomination(actor, worker_id) if worker_id else None
    form = NominationForm()
    results = worker_evidence = None
    if worker is not None:
        worker_evidence = evidence.evidence_for(worker.id, rounds.cut_off_date(title_round))
        results = eligibility.evaluate(title_round.title_type, worker_evidence)
    if worker is not None and form.is_submitted():
        valid = form.validate_on_submit()
        # Attachments are held across a refusal for another field (shown as 已上传, not chosen again).
        held = hold_uploads(form, "attachments", allowed=nominations.ATTACHMENT_KINDS, uploader=actor)
        if valid and not form.held_error:
            ok, _nomination = submit(form, nominations.submit_nomination, actor, title_round, worker,
                                     form.citation.data, uploads.held_as_uploads(actor, held), once_form=form)
            if ok:
                uploads.release_held(held)
                flash(_("已推荐 %(name)s。", name=worker.name), "success")
                return redirect(url_for("titles.round_detail", round_id=title_round.id))
    return render_template("titles/nominate.html", title_round=title_round, worker=worker, form=form,
                           results=results, evidence=worker_evidence,
                           picked=picked or search.Resolution(worker_text or "", chosen=worker),
                           accepts=rounds.accepts_nominations(title_round))


@bp.route("/rounds/<int:round_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def round_publish(round_id: int):
    title_round = rounds.get_round(round_id)
    form = PublishForm()
    if form.validate_on_submit():
        run_action(awards.publish_awards, _actor(), title_round, form.working_days.data,
                   success=_("拟授予名单已公示。"))
    return redirect(url_for("titles.round_detail", round_id=round_id))


@bp.route("/rounds/<int:round_id>/finalise", methods=["POST"])
@roles_required(Role.ADMIN)
def round_finalise(round_id: int):
    title_round = rounds.get_round(round_id)
    if ButtonForm().validate_on_submit():
        run_action(awards.finalise_round, _actor(), title_round, success=_("公示结束，称号授予已确认。"))
    return redirect(url_for("titles.round_detail", round_id=round_id))


# --- nominations ---------------------------------------------------------------------------------------


@bp.route("/nominations/<int:nomination_id>")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def nomination_detail(nomination_id: int):
    nomination = nominations.get_nomination(_actor(), nomination_id)
    accepts = rounds.accepts_nominations(nomination.round) and titles_policy.can_nominate(_actor())
    return render_template("titles/nomination.html", nomination=nomination, review_form=ReviewForm(),
                           action_form=BUTTON, accepts=accepts)


@bp.route("/nominations/<int:nomination_id>/files/<int:file_id>")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def nomination_file(nomination_id: int, file_id: int):
    nomination = nominations.get_nomination(_actor(), nomination_id)
    stored = next((f for f in nomination.attachments if f.id == file_id), None)
    if stored is None:
        abort(404)
    return send_stored_file(stored)


@bp.route("/nominations/<int:nomination_id>/review", methods=["POST"])
@roles_required(Role.ADMIN)
def nomination_review(nomination_id: int):
    nomination = nominations.get_nomination(_actor(), nomination_id)
    form = ReviewForm()
    if form.validate_on_submit():
        run_action(nominations.review_nomination, _actor(), nomination, form.decision.data == "approve",
                   form.note.data, success=_("评审意见已保存。"))
    else:
        flash_form_errors(form)
    return redirect(request.form.get("back") or url_for("titles.round_detail", round_id=nomination.round_id))


@bp.route("/nominations/<int:nomination_id>/award", methods=["POST"])
@roles_required(Role.ADMIN)
def nomination_award(nomination_id: int):
    nomination = nominations.get_nomination(_actor(), nomination_id)
    if ButtonForm().validate_on_submit():
        run_action(awards.award, _actor(), nomination, success=_("已授予称号（公示后生效）。"))
    return redirect(url_for("titles.round_detail", round_id=nomination.round_id))


@bp.route("/nominations/<int:nomination_id>/withdraw", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR)
def nomination_withdraw(nomination_id: int):
    nomination = nominations.get_nomination(_actor(), nomination_id)
    if ButtonForm().validate_on_submit():
        run_action(nominations.withdraw_nomination, _actor(), nomination, success=_("推荐已撤回。"))
    return redirect(url_for("titles.round_detail", round_id=nomination.round_id))


# --- public notice and objections ------------------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/notice")
@roles_required()
def round_notice(round_id: int):
    """The round's public notice for everybody logged in; objections go to blueprints/notices."""
    title_round = rounds.get_round(round_id)
    notice = awards.round_notice(title_round)
    if notice is None:
        abort(404)
    standing = [a for a in awards.round_awards(title_round) if a.status != AWARD_REVOKED]
    mine = notices.objections_of(notice, objector=_actor())
    return render_template("titles/notice.html", title_round=title_round, notice=notice, awards=standing,
                           form=ObjectionForm(), running=notices.is_running(notice), my_objections=mine)


# --- awards -------------------------------------------------------------------------------------------------


@bp.route("/awards/<int:award_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def award_revoke(award_id: int):
    granted = awards.get_award(award_id)
    form = RevokeForm()
    if form.validate_on_submit():
        run_action(awards.revoke_award, _actor(), granted, form.reason.data, success=_("称号已撤销。"))
    else:
        flash_form_errors(form)
    return redirect(url_for("titles.round_detail", round_id=granted.round_id) if granted.round_id
                    else url_for("titles.index"))


@bp.route("/awards/<int:award_id>/certificate.pdf")
@roles_required()
def award_certificate(award_id: int):
    granted = awards.get_award(award_id)
    if not titles_policy.can_see_award_certificate(_actor(), granted):
        abort(404)
    verify_url = external_url("verify.check", code=grouped(granted.verification_code))
    return pdf_response(certificates.certificate_pdf, granted, verify_url,
                        filename=f"{granted.title_type.name}-{granted.certificate_no}.pdf",
                        back=url_for("titles.my_growth"))


# --- public: honour roll and verification --------------------------------------------------------------------


@bp.route("/honours")
@public
def honour_roll():
    pagination = honours.honour_roll_page(int_arg("title"), int_arg("year"), page_number(),
                                          current_app.config["PAGE_SIZE"])
    texts = label_texts()  # each title's and trade's label translated once a page
    return render_template("titles/honours.html", pagination=pagination, title_types=types.title_types(),
                           years=honours.award_years(pagination.items), title_label=partial(texts, honours.title_label),
                           trade_label=partial(texts, partial(reference_label, TRADE_LABELS)))


@bp.route("/verify")
@public
def verify():
    """Links printed before the one verification page (blueprints/verify) keep working."""
    return redirect(url_for("verify.check", code=request.args.get("code", "").strip() or None))


@bp.route("/verify/<code>")
@public
def verify_code(code: str):
    """QR codes printed on title certificates before the one verification page keep working."""
    return redirect(url_for("verify.check", code=code))


# --- growth record -------------------------------------------------------------------------------------------


@bp.route("/growth")
@roles_required()
def my_growth():
    return redirect(url_for("titles.growth_record", user_id=current_user.id))


@bp.route("/growth/<int:user_id>")
@roles_required()
def growth_record(user_id: int):
    worker = people.get_worker(_actor(), user_id, may_see=growth_policy.can_view)
    growth = timeline.record(worker, _actor())  # the header's trade, the badges and the time line
    return render_template("titles/growth.html", worker=worker, trade=growth.trade, awards=growth.titles,
                           events=growth.events)


@bp.route("/growth/<int:user_id>.pdf")
@roles_required()
def growth_record_pdf(user_id: int):
    """The growth record as a server-made PDF, to whoever may see the page."""
    worker = people.get_worker(_actor(), user_id, may_see=growth_policy.can_view)
    return pdf_response(record_pdf.growth_record_pdf, worker, awards.awards_of(worker.id), _actor(),
                        locale=reader_locale(), filename=_("%(name)s-成长档案.pdf", name=worker.name),
                        back=url_for("titles.growth_record", user_id=worker.id))
