"""Views of the mentorship area (名师带徒): HTTP only; every rule is in services.mentorship*."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import int_arg, page_number, run_action, send_stored_file, submit
from blueprints.forms import ButtonForm, ObjectionForm, ResolveForm
from blueprints.mentorship import bp
from blueprints.mentorship.forms import (
    AssessmentForm,
    CheckInForm,
    ConfirmForm,
    EndEarlyForm,
    ExtendForm,
    NominateForm,
    PairForm,
    ReasonForm,
    RespondForm,
    SettingsForm,
)
from core import clock
from models import Role, db
from models.mentorship import GRADE_LABELS, ExcellentRound
from services import mentorship as service
from services import mentorship_excellent as excellent
from services import mentorship_reports as reports
from services import policy
from services.accounts import enterprises
from services.common import notices
from services.errors import NotFound


def _actor():
    return current_user._get_current_object()


@bp.route("/")
@roles_required()
def index():
    """Everyone: their own pairs; HR: the enterprise dashboard; admins: the union dashboard."""
    actor = _actor()
    own = service.pairs_of(actor)
    figures = reports.enterprise_dashboard(actor) if policy.is_hr(actor) else None
    union = reports.union_dashboard(actor) if policy.is_admin(actor) else None
    return render_template("mentorship/index.html", own=own, figures=figures, union=union,
                           filters=reports.FILTERS, settings=service.get_settings(), today=clock.today(),
                           checkin_state=service.checkin_state)


@bp.route("/pairs")
@roles_required(Role.HR, Role.ADMIN)
def pairs():
    actor = _actor()
    filter_name = request.args.get("filter", "all")
    enterprise_id = int_arg("enterprise") if policy.is_admin(actor) else None
    search = request.args.get("q", "").strip() or None
    stmt = reports.pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise_id, search=search)
    pagination = db.paginate(stmt, page=page_number(), per_page=20, error_out=False)
    return render_template(
        "mentorship/pairs.html", pagination=pagination, filter_name=filter_name, filters=reports.FILTERS,
        enterprise_list=enterprises.active_enterprises() if policy.is_admin(actor) else None,
        settings=service.get_settings(), today=clock.today(), checkin_state=service.checkin_state,
    )


@bp.route("/pairs/export.xlsx")
@roles_required(Role.HR, Role.ADMIN)
def export():
    actor = _actor()
    filter_name = request.args.get("filter", "all")
    enterprise_id = int_arg("enterprise") if policy.is_admin(actor) else None
    data = reports.export_workbook(actor, filter_name=filter_name, enterprise_id=enterprise_id)
    filename = f"mentor-pairs-{filter_name}-{clock.today().isoformat()}.xlsx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/pairs/new", methods=["GET", "POST"])
@roles_required(Role.HR)
def pair_create():
    actor = _actor()
    form = PairForm()
    form.fill_choices(service.colleagues_for_pairing(actor))
    if request.method == "GET" and form.start_date.data is None:
        form.start_date.data = clock.today()
    if form.validate_on_submit():
        ok, pair = submit(form, service.create_pair, actor, form.to_plan())
        if ok:
            flash(_("已建立师徒结对，等待师傅和徒弟在系统中确认带徒协议。"), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair.id))
    return render_template("mentorship/pair_form.html", form=form, settings=service.get_settings())


def respond_prefix(checkin_id: int) -> str:
    """Each check-in's answer form has its own field names and ids (several can be on one page)."""
    return f"checkin{checkin_id}"


def _render_pair(pair, status: int = 200, **forms):
    actor = _actor()
    settings = service.get_settings()
    defaults = {
        "confirm_form": ConfirmForm(formdata=None),
        "dissolve_form": ReasonForm(formdata=None),
        "respond_form": None,
        "end_form": EndEarlyForm(formdata=None, prefix="end"),
        "extend_form": ExtendForm(formdata=None, prefix="extend"),
        "nominate_form": NominateForm(formdata=None),
    }
    defaults.update(forms)
    answered = defaults.pop("respond_form")

    def respond_form_for(checkin):
        """The apprentice's confirm/dispute form of one check-in (the submitted one keeps its errors)."""
        if answered is not None and answered.checkin_id == checkin.id:
            return answered
        return RespondForm(formdata=None, prefix=respond_prefix(checkin.id))

    defaults["respond_form_for"] = respond_form_for
    return render_template(
        "mentorship/pair.html", pair=pair, checkins=service.checkins(pair), history=service.history(pair),
        settings=settings, state=service.checkin_state(pair, settings=settings),
        deadline=service.dissolution_deadline(pair, settings), party=pair.party(actor),
        can_manage=service.can_manage(actor, pair), can_confirm=service.can_confirm(actor, pair),
        can_dissolve=service.can_dissolve(actor, pair), can_checkin=service.can_record_checkin(actor, pair),
        can_assess=service.can_assess(actor, pair), can_nominate=excellent.can_nominate(actor, pair),
        nomination=excellent.nomination_for_pair(pair.id), today=clock.today(), **defaults,
    ), status


@bp.route("/pairs/<int:pair_id>")
@roles_required()
def pair_show(pair_id: int):
    return _render_pair(service.get_pair(_actor(), pair_id))


@bp.route("/pairs/<int:pair_id>/agreement")
@roles_required()
def pair_agreement(pair_id: int):
    """The agreement (带徒协议) as a print view."""
    pair = service.get_pair(_actor(), pair_id)
    return render_template("mentorship/agreement.html", pair=pair, printed_on=clock.today())


@bp.route("/pairs/<int:pair_id>/confirm", methods=["POST"])
@roles_required()
def pair_confirm(pair_id: int):
    pair = service.get_pair(_actor(), pair_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        run_action(service.confirm_agreement, _actor(), pair, success=_("已确认带徒协议。"))
    return redirect(url_for("mentorship.pair_show", pair_id=pair_id))


@bp.route("/pairs/<int:pair_id>/dissolve", methods=["POST"])
@roles_required()
def pair_dissolve(pair_id: int):
    actor = _actor()
    pair = service.get_pair(actor, pair_id)
    if pair.party(actor) is None and not service.is_enterprise_hr(actor, pair):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        ok, _result = submit(form, service.dissolve, _actor(), pair, form.reason.data)
        if ok:
            flash(_("结对已解除。"), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return _render_pair(service.get_pair(_actor(), pair_id), dissolve_form=form)


@bp.route("/pairs/<int:pair_id>/checkins/new", methods=["GET", "POST"])
@roles_required()
def checkin_create(pair_id: int):
    actor = _actor()
    pair = service.get_pair(actor, pair_id)
    if not service.can_record_checkin(actor, pair):
        if pair.party(actor) != "mentor":
            abort(403)
        flash(_("只有带徒中的结对可以填写带徒记录。"), "warning")
        return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    form = CheckInForm()
    if request.method == "GET":
        form.checkin_date.data = clock.today()
    if form.validate_on_submit():
        ok, _result = submit(form, service.record_checkin, actor, pair, checkin_date=form.checkin_date.data,
                             hours=form.hours.data, taught=form.taught.data, skill_points=form.skill_points.data,
                             photo=form.photo.data)
        if ok:
            flash(_("已提交带徒记录，等待徒弟确认。"), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return render_template("mentorship/checkin_form.html", form=form, pair=pair)


@bp.route("/checkins/<int:checkin_id>/respond", methods=["POST"])
@roles_required()
def checkin_respond(checkin_id: int):
    actor = _actor()
    checkin = service.get_checkin(actor, checkin_id)
    form = RespondForm(prefix=respond_prefix(checkin.id))
    if form.validate_on_submit():
        confirm = bool(form.confirm.data) and not form.dispute.data
        ok, _result = submit(form, service.respond_checkin, actor, checkin, confirm=confirm, note=form.note.data)
        if ok:
            flash(_("已确认带徒记录。") if confirm else _("已提出异议，企业人力资源会看到您的说明。"), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=checkin.pair_id))
    form.checkin_id = checkin.id
    return _render_pair(service.get_pair(actor, checkin.pair_id), respond_form=form)


@bp.route("/checkins/<int:checkin_id>/photo")
@roles_required()
def checkin_photo(checkin_id: int):
    checkin = service.get_checkin(_actor(), checkin_id)
    if checkin.photo is None:
        raise NotFound(_("这条记录没有照片。"))
    return send_stored_file(checkin.photo)


@bp.route("/pairs/<int:pair_id>/assess", methods=["GET", "POST"])
@roles_required(Role.HR)
def pair_assess(pair_id: int):
    actor = _actor()
    pair = service.get_pair(actor, pair_id)
    if not service.can_manage(actor, pair):
        raise NotFound("")
    form = AssessmentForm()
    form.fill_choices()
    if request.method == "GET":
        form.assessed_on.data = clock.today()
    if form.validate_on_submit():
        ok, assessment = submit(form, service.assess, actor, pair, form.to_data())
        if ok:
            flash(_("已录入出师考核：%(grade)s。", grade=GRADE_LABELS[assessment.grade]), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return render_template("mentorship/assess_form.html", form=form, pair=pair)


@bp.route("/pairs/<int:pair_id>/end", methods=["POST"])
@roles_required(Role.HR)
def pair_end(pair_id: int):
    actor = _actor()
    pair = service.get_pair(actor, pair_id)
    form = EndEarlyForm(prefix="end")
    if form.validate_on_submit():
        ok, _result = submit(form, service.end_early, actor, pair, form.reason.data or "", form.note.data)
        if ok:
            flash(_("结对已提前结束。"), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return _render_pair(service.get_pair(actor, pair_id), end_form=form)


@bp.route("/pairs/<int:pair_id>/extend", methods=["POST"])
@roles_required(Role.HR)
def pair_extend(pair_id: int):
    actor = _actor()
    pair = service.get_pair(actor, pair_id)
    form = ExtendForm(prefix="extend")
    if form.validate_on_submit():
        ok, _result = submit(form, service.extend, actor, pair, form.new_end.data, form.reason.data)
        if ok:
            flash(_("结对已延期。"), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return _render_pair(service.get_pair(actor, pair_id), extend_form=form)


@bp.route("/pairs/<int:pair_id>/nominate", methods=["POST"])
@roles_required(Role.HR)
def pair_nominate(pair_id: int):
    actor = _actor()
    pair = service.get_pair(actor, pair_id)
    form = NominateForm()
    if form.validate_on_submit():
        ok, _result = submit(form, excellent.nominate, actor, pair, form.citation.data)
        if ok:
            flash(_("已推荐为优秀师徒候选。"), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return _render_pair(service.get_pair(actor, pair_id), nominate_form=form)


@bp.route("/excellent")
@roles_required()
def excellent_list():
    actor = _actor()
    year = request.args.get("year", type=int) or clock.today().year
    selection = excellent.get_round(year)
    nominations = list(db.session.scalars(excellent.nominations_query(actor, year)).unique())
    notice = excellent.round_notice(selection)
    return render_template("mentorship/excellent.html", year=year, selection=selection, nominations=nominations,
                           rounds=excellent.rounds(), button=ButtonForm(), notice=notice,
                           running=notice is not None and notices.is_running(notice),
                           final=excellent.is_final(selection), objection_form=ObjectionForm(),
                           resolve_form=ResolveForm(),
                           quota=selection.quota if selection else service.get_settings().excellent_quota)


@bp.route("/excellent/<int:year>/objections", methods=["POST"])
@roles_required()
def excellent_object(year: int):
    notice = excellent.round_notice(excellent.get_round(year))
    if notice is None:
        abort(404)
    form = ObjectionForm()
    if form.validate_on_submit():
        run_action(notices.file_objection, _actor(), notice, form.body.data,
                   success=_("您的异议已实名提交，管理员处理后会记录处理意见。"))
    else:
        flash(_("请填写异议内容。"), "danger")
    return redirect(url_for("mentorship.excellent_list", year=year))


@bp.route("/excellent/objections/<int:objection_id>/resolve", methods=["POST"])
@roles_required(Role.ADMIN)
def excellent_resolve(objection_id: int):
    objection = notices.get_objection(objection_id, excellent.NOTICE_SUBJECT)
    selection = db.session.get(ExcellentRound, objection.notice.subject_id)
    form = ResolveForm()
    if form.validate_on_submit():
        run_action(notices.resolve_objection, _actor(), objection, form.outcome.data == "upheld", form.note.data,
                   success=_("异议处理结果已保存。"))
    else:
        flash(_("请选择处理结果并填写处理意见。"), "danger")
    return redirect(url_for("mentorship.excellent_list", year=selection.year))


@bp.route("/excellent/<int:year>/finalise", methods=["POST"])
@roles_required(Role.ADMIN)
def excellent_finalise(year: int):
    if ButtonForm().validate_on_submit():
        run_action(excellent.finalise, _actor(), year, success=_("公示结束，优秀师徒评选结果已确认。"))
    return redirect(url_for("mentorship.excellent_list", year=year))


@bp.route("/nominations/<int:nomination_id>/select", methods=["POST"])
@roles_required(Role.ADMIN)
def nomination_select(nomination_id: int):
    actor = _actor()
    nomination = excellent.get_nomination(actor, nomination_id)
    if ButtonForm().validate_on_submit():
        run_action(excellent.select, actor, nomination, success=_("已入选。"))
    return redirect(url_for("mentorship.excellent_list", year=nomination.round.year))


@bp.route("/nominations/<int:nomination_id>/deselect", methods=["POST"])
@roles_required(Role.ADMIN)
def nomination_deselect(nomination_id: int):
    actor = _actor()
    nomination = excellent.get_nomination(actor, nomination_id)
    if ButtonForm().validate_on_submit():
        run_action(excellent.deselect, actor, nomination, success=_("已取消入选。"))
    return redirect(url_for("mentorship.excellent_list", year=nomination.round.year))


@bp.route("/excellent/<int:year>/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def excellent_publish(year: int):
    if ButtonForm().validate_on_submit():
        run_action(excellent.publish, _actor(), year, success=_("%(year)d 年优秀师徒拟表彰名单已公示。", year=year))
    return redirect(url_for("mentorship.excellent_list", year=year))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings():
    current = service.get_settings()
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        ok, _result = submit(form, service.update_settings, _actor(),
                             max_active_apprentices=form.max_active_apprentices.data,
                             grace_days=form.grace_days.data, dissolution_months=form.dissolution_months.data,
                             excellent_quota=form.excellent_quota.data)
        if ok:
            flash(_("已保存带徒设置。"), "success")
            return redirect(url_for("mentorship.settings"))
    return render_template("mentorship/settings.html", form=form)


@bp.route("/people/<int:user_id>")
@roles_required()
def person(user_id: int):
    """A person's mentoring record: as mentor (current and past apprentices, credits), as apprentice."""
    record = reports.person_record(_actor(), user_id)
    return render_template("mentorship/person.html", **record, credit_years=3)
