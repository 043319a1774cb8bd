"""Views of the competitions area (HTTP only; every rule is in services.competitions*)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import public, roles_required
from blueprints.common import int_arg, page_number, run_action, submit
from blueprints.competitions import bp
from blueprints.competitions.forms import (
    CompetitionForm,
    EmployeeNoForm,
    JudgeForm,
    ObjectionForm,
    PromotionForm,
    ReasonForm,
    ResolveForm,
    SignOffForm,
    TeamForm,
    TheoryUploadForm,
    UploadForm,
)
from blueprints.forms import ButtonForm, trade_choices
from models import Role, User, db
from models.competitions import (
    CONFIRMED,
    FINAL,
    NOTICED,
    REGISTRATION_STATUSES,
    SCORING,
    SIGNED_OFF,
    STATUSES,
)
from models.skills import level
from models.vocabulary import COMPETITION_LEVELS, LEVEL_LABELS
from services import competitions as svc
from services import competitions_files as files
from services import competitions_scoring as scoring
from services import policy
from services.common import notices
from services.errors import DomainError, NotFound


@bp.context_processor
def competition_helpers():
    return {"skill_label": level}


def _actor():
    return current_user._get_current_object()


def _competition(competition_id: int):
    return svc.get_competition(_actor(), competition_id)


# --- lists ------------------------------------------------------------------------------------


@bp.route("/")
@roles_required()
def index():
    actor = _actor()
    filters = {"year": request.args.get("year", type=int), "level_code": request.args.get("level"),
               "trade_id": int_arg("trade"), "status": request.args.get("status")}
    pagination = db.paginate(svc.competitions_query(actor, **filters), page=page_number(), per_page=20,
                             error_out=False)
    open_rows = None
    if actor.has_role(Role.WORKER) and actor.enterprise_id:
        _pagination, open_rows = svc.open_for_worker(actor, 1, per_page=50)
    return render_template("competitions/index.html", pagination=pagination, open_rows=open_rows,
                           years=svc.competition_years(), statuses=STATUSES,
                           levels={code: LEVEL_LABELS[code] for code in COMPETITION_LEVELS},
                           trades=trade_choices(_("全部工种")), is_admin=policy.is_admin(actor))


@bp.route("/mine")
@roles_required(Role.WORKER)
def mine():
    registrations = svc.my_registrations(_actor())
    positions = {}
    for r in registrations:
        if r.status == "waitlisted":
            positions[r.id] = svc.waitlist_position(r)
    return render_template("competitions/mine.html", registrations=registrations, positions=positions)


# --- journey 1: setting up ----------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create():
    form = CompetitionForm()
    form.fill_choices()
    if form.validate_on_submit():
        ok, competition = submit(form, svc.create_competition, _actor(), form.to_data())
        if ok:
            flash(_("竞赛已创建（草稿）。核对无误后请发布报名。"), "success")
            return redirect(url_for("competitions.show", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=None)


@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(competition_id: int):
    competition = _competition(competition_id)
    form = CompetitionForm()
    form.fill_choices()
    if request.method == "GET":
        form.load(competition)
    if form.validate_on_submit():
        ok, _result = submit(form, svc.update_competition, _actor(), competition, form.to_data())
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("competitions.show", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=competition)


@bp.route("/<int:competition_id>/open", methods=["POST"])
@roles_required(Role.ADMIN)
def open_registration(competition_id: int):
    competition = _competition(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(svc.open_competition, _actor(), competition, success=_("已发布，职工可以在报名时间内报名。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/start-scoring", methods=["POST"])
@roles_required(Role.ADMIN)
def start_scoring(competition_id: int):
    competition = _competition(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(svc.start_scoring, _actor(), competition, success=_("报名已结束，开始评分。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


# --- journey 2: the competition page, registering and withdrawing --------------------------------


@bp.route("/<int:competition_id>")
@roles_required()
def show(competition_id: int):
    actor = _actor()
    competition = _competition(competition_id)
    own = problems = position = result_rank = certificate = None
    if actor.has_role(Role.WORKER) and actor.enterprise_id:
        own = scoring.own_result(actor, competition)
        if own is None:
            problems = svc.eligibility_problems(competition, actor)
        else:
            position = svc.waitlist_position(own)
            certificate = scoring.certificate_for(own, actor) if competition.status == FINAL else None
    if own is not None and own.result is not None and competition.status in (NOTICED, FINAL):
        result_rank = own.result
    notice = scoring.notice_of(competition)
    return render_template(
        "competitions/show.html", competition=competition, own=own, problems=problems, position=position,
        result=result_rank, certificate=certificate, notice=notice, is_admin=policy.is_admin(actor),
        is_hr=policy.is_hr(actor), registration_open=svc.is_registration_open(competition),
        button=ButtonForm(), objection_form=ObjectionForm(), resolve_form=ResolveForm(), reason_form=ReasonForm(),
        ranked=scoring.ranking(competition) if policy.is_admin(actor) and competition.status in (
            SIGNED_OFF, NOTICED, FINAL) else None,
        notices_running=notice is not None and notices.is_running(notice),
    )


@bp.route("/<int:competition_id>/register", methods=["POST"])
@roles_required(Role.WORKER)
def register(competition_id: int):
    competition = _competition(competition_id)
    if ButtonForm().validate_on_submit():
        actor = _actor()
        try:
            registration = svc.register(actor, competition, actor)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, NotFound):
                raise
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            if registration.status == CONFIRMED:
                flash(_("报名成功，您的参赛号是 %(no)s。", no=registration.number_label), "success")
            else:
                flash(_("名额已满，您已进入候补名单，第 %(n)d 位。", n=svc.waitlist_position(registration)), "warning")
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/registrations/<int:registration_id>/withdraw", methods=["POST"])
@roles_required(Role.WORKER, Role.HR)
def withdraw(registration_id: int):
    registration = svc.get_registration(_actor(), registration_id)
    competition_id = registration.competition_id
    if ButtonForm().validate_on_submit():
        run_action(svc.withdraw, _actor(), registration, success=_("已退赛。"))
    if registration.worker_id == current_user.id:
        return redirect(url_for("competitions.show", competition_id=competition_id))
    return redirect(url_for("competitions.registrations", competition_id=competition_id))


# --- journey 3: HR registers workers ------------------------------------------------------------


@bp.route("/<int:competition_id>/enrol", methods=["GET", "POST"])
@roles_required(Role.HR)
def enrol(competition_id: int):
    competition = _competition(competition_id)
    form = EmployeeNoForm()
    upload = UploadForm()
    if form.validate_on_submit():
        ok, registration = submit(form, svc.hr_register, _actor(), competition, form.employee_no.data)
        if ok:
            if registration.status == CONFIRMED:
                flash(_("%(name)s 报名成功，参赛号 %(no)s。", name=registration.worker.name,
                        no=registration.number_label), "success")
            else:
                flash(_("%(name)s 已进入候补名单，第 %(n)d 位。", name=registration.worker.name,
                        n=svc.waitlist_position(registration)), "warning")
            return redirect(url_for("competitions.enrol", competition_id=competition_id))
    return render_template("competitions/enrol.html", competition=competition, form=form, upload=upload,
                           team_form=TeamForm(formdata=None), outcomes=None,
                           registration_open=svc.is_registration_open(competition))


@bp.route("/<int:competition_id>/enrol/team", methods=["POST"])
@roles_required(Role.HR)
def enrol_team(competition_id: int):
    competition = _competition(competition_id)
    team_form = TeamForm()
    if team_form.validate_on_submit():
        ok, registration = submit(team_form, svc.register_team, _actor(), competition, team_form.team_name.data,
                                  team_form.employee_nos.data.split())
        if ok:
            if registration.status == CONFIRMED:
                flash(_("“%(team)s”队报名成功，参赛号 %(no)s。", team=registration.team_name,
                        no=registration.number_label), "success")
            else:
                flash(_("“%(team)s”队已进入候补名单，第 %(n)d 位。", team=registration.team_name,
                        n=svc.waitlist_position(registration)), "warning")
            return redirect(url_for("competitions.enrol", competition_id=competition_id))
    return render_template("competitions/enrol.html", competition=competition, form=EmployeeNoForm(formdata=None),
                           upload=UploadForm(formdata=None), team_form=team_form, outcomes=None,
                           registration_open=svc.is_registration_open(competition))


@bp.route("/<int:competition_id>/enrol/upload", methods=["POST"])
@roles_required(Role.HR)
def enrol_upload(competition_id: int):
    competition = _competition(competition_id)
    form = EmployeeNoForm(formdata=None)
    upload = UploadForm()
    outcomes = None
    if upload.validate_on_submit():
        def run(actor):
            rows = files.employee_numbers(files.read_rows(actor, upload.file.data))
            return svc.hr_register_many(actor, competition, rows)

        ok, outcomes = submit(upload, run, _actor())
    return render_template("competitions/enrol.html", competition=competition, form=form, upload=upload,
                           team_form=TeamForm(formdata=None), outcomes=outcomes,
                           registration_open=svc.is_registration_open(competition))


# --- journey 4: review, judges, print ------------------------------------------------------------


@bp.route("/<int:competition_id>/registrations")
@roles_required(Role.ADMIN, Role.HR)
def registrations(competition_id: int):
    actor = _actor()
    competition = _competition(competition_id)
    status = request.args.get("status")
    stmt = svc.registrations_query(actor, competition, status=status, enterprise_id=int_arg("enterprise"),
                                   search=request.args.get("q", "").strip() or None)
    pagination = db.paginate(stmt, page=page_number(), per_page=50, error_out=False)
    return render_template("competitions/registrations.html", competition=competition, pagination=pagination,
                           positions=svc.waitlist_positions(competition.id), statuses=REGISTRATION_STATUSES,
                           is_admin=policy.is_admin(actor), button=ButtonForm(), reason_form=ReasonForm(),
                           registration_open=svc.is_registration_open(competition),
                           enterprise_list=svc.enterprises_with_entries(competition)
                           if policy.is_admin(actor) else None)


@bp.route("/registrations/<int:registration_id>/approve", methods=["POST"])
@roles_required(Role.ADMIN)
def approve(registration_id: int):
    registration = svc.get_registration(_actor(), registration_id)
    if ButtonForm().validate_on_submit():
        run_action(svc.approve, _actor(), registration, success=_("已审核通过。"))
    return redirect(url_for("competitions.registrations", competition_id=registration.competition_id))


@bp.route("/registrations/<int:registration_id>/reject", methods=["POST"])
@roles_required(Role.ADMIN)
def reject(registration_id: int):
    registration = svc.get_registration(_actor(), registration_id)
    form = ReasonForm()
    if form.validate_on_submit():
        run_action(svc.reject, _actor(), registration, form.reason.data,
                   success=_("已取消该选手的参赛资格；如有候补，已自动递补。"))
    else:
        flash(_("请填写不通过的理由。"), "danger")
    return redirect(url_for("competitions.registrations", competition_id=registration.competition_id))


@bp.route("/<int:competition_id>/judges", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def judges(competition_id: int):
    competition = _competition(competition_id)
    form = JudgeForm()
    candidates = scoring.candidate_judges(competition)
    form.judge_id.choices = [("", _("— 请选择 —"))] + [
        (j.id, f"{j.name}（{j.enterprise.name if j.enterprise else _('无所属企业')}，{j.skill}）") for j in candidates]
    if form.validate_on_submit():
        judge = db.session.get(User, form.judge_id.data) if form.judge_id.data else None
        if judge is None:
            form.judge_id.errors = [_("请选择评委。")]
        else:
            ok, _result = submit(form, scoring.assign_judge, _actor(), competition, judge)
            if ok:
                flash(_("已加入评委组。"), "success")
                return redirect(url_for("competitions.judges", competition_id=competition_id))
    return render_template("competitions/judges.html", competition=competition, form=form,
                           panel=scoring.panel(competition), button=ButtonForm())


@bp.route("/<int:competition_id>/judges/<int:assignment_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def remove_judge(competition_id: int, assignment_id: int):
    competition = _competition(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(scoring.remove_judge, _actor(), competition, assignment_id, success=_("已移出评委组。"))
    return redirect(url_for("competitions.judges", competition_id=competition_id))


@bp.route("/<int:competition_id>/print/sign-in")
@roles_required(Role.ADMIN)
def print_sign_in(competition_id: int):
    competition = _competition(competition_id)
    rows = db.session.scalars(svc.registrations_query(_actor(), competition, status=CONFIRMED)).all()
    rows.sort(key=lambda r: r.competitor_no or 0)
    return render_template("competitions/print_sign_in.html", competition=competition, rows=rows)


@bp.route("/<int:competition_id>/print/score-sheets")
@roles_required(Role.ADMIN)
def print_score_sheets(competition_id: int):
    competition = _competition(competition_id)
    rows = db.session.scalars(svc.registrations_query(_actor(), competition, status=CONFIRMED)).all()
    rows.sort(key=lambda r: r.competitor_no or 0)
    return render_template("competitions/print_score_sheets.html", competition=competition, rows=rows,
                           panel=scoring.panel(competition))


# --- journey 5: marks ---------------------------------------------------------------------------


@bp.route("/judging")
@roles_required(Role.JUDGE)
def judging():
    return render_template("competitions/judging.html", competitions=scoring.judge_competitions(_actor()))


@bp.route("/<int:competition_id>/judge")
@roles_required(Role.JUDGE)
def judge_queue(competition_id: int):
    judge = _actor()
    competition = scoring.judge_competition(judge, competition_id)
    return render_template("competitions/judge_queue.html", competition=competition,
                           queue=scoring.judge_queue(judge, competition))


@bp.route("/<int:competition_id>/judge/<int:registration_id>", methods=["GET", "POST"])
@roles_required(Role.JUDGE)
def judge_marks(competition_id: int, registration_id: int):
    judge = _actor()
    competition = scoring.judge_competition(judge, competition_id)
    registration = scoring.registration_for_judge(judge, competition, registration_id)
    form = ButtonForm()
    values = {item.id: request.form.get(f"item_{item.id}", "") for item in competition.items}
    errors = {}
    if form.validate_on_submit():
        try:
            changed = scoring.enter_practical_marks(judge, registration, values)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, NotFound):
                raise
            errors[error.field or "form"] = str(error.message)
        else:
            db.session.commit()
            flash(_("已保存 %(n)d 项成绩。", n=changed), "success")
            return redirect(url_for("competitions.judge_queue", competition_id=competition_id))
    else:
        values = {k: ("" if v is None else v) for k, v in scoring.judge_marks(judge, registration).items()}
    return render_template("competitions/judge_marks.html", competition=competition, registration=registration,
                           form=form, values=values, errors=errors, editable=competition.status == SCORING)


@bp.route("/<int:competition_id>/scores", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def scores(competition_id: int):
    competition = _competition(competition_id)
    form = ButtonForm()
    if form.validate_on_submit():
        lines = {ln.registration.id: ln.registration for ln in scoring.score_lines(competition)}
        changed = 0
        try:
            for key, raw in request.form.items():
                if key.startswith("theory_") and raw.strip():
                    registration = lines.get(int(key[7:])) if key[7:].isdigit() else None
                    if registration is None:
                        raise NotFound("")
                    changed += scoring.enter_theory_mark(_actor(), registration, raw)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, NotFound):
                raise
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(_("已保存 %(n)d 个理论成绩。", n=changed), "success")
        return redirect(url_for("competitions.scores", competition_id=competition_id))
    return render_template("competitions/scores.html", competition=competition, form=form,
                           lines=scoring.score_lines(competition), panel=scoring.panel(competition),
                           upload=TheoryUploadForm(), sign_off_form=SignOffForm(),
                           history=scoring.mark_history(competition), outcomes=None,
                           spread_limit=scoring.DISAGREEMENT_SPREAD)


@bp.route("/<int:competition_id>/scores/import", methods=["POST"])
@roles_required(Role.ADMIN)
def import_theory(competition_id: int):
    competition = _competition(competition_id)
    upload = TheoryUploadForm()
    outcomes = None
    if upload.validate_on_submit():
        def run(actor):
            return scoring.import_theory_marks(actor, competition, files.theory_rows(files.read_rows(actor,
                                                                                                    upload.file.data)))

        ok, outcomes = submit(upload, run, _actor())
    return render_template("competitions/scores.html", competition=competition, form=ButtonForm(),
                           lines=scoring.score_lines(competition), panel=scoring.panel(competition),
                           upload=upload, sign_off_form=SignOffForm(), history=scoring.mark_history(competition),
                           outcomes=outcomes, spread_limit=scoring.DISAGREEMENT_SPREAD)


@bp.route("/<int:competition_id>/sign-off", methods=["POST"])
@roles_required(Role.ADMIN)
def sign_off(competition_id: int):
    competition = _competition(competition_id)
    form = SignOffForm()
    if form.validate_on_submit():
        try:
            scoring.sign_off(_actor(), competition, acknowledge_flags=form.acknowledge_flags.data)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
            return redirect(url_for("competitions.scores", competition_id=competition_id))
        db.session.commit()
        flash(_("成绩已确认并排出名次，不能再修改。"), "success")
    return redirect(url_for("competitions.show", competition_id=competition_id))


# --- journey 6: results ---------------------------------------------------------------------------


@bp.route("/<int:competition_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def publish(competition_id: int):
    competition = _competition(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(scoring.publish_results, _actor(), competition, success=_("成绩已公示。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/finalise", methods=["POST"])
@roles_required(Role.ADMIN)
def finalise(competition_id: int):
    competition = _competition(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(scoring.finalise_results, _actor(), competition,
                   success=_("结果已确认，证书已生成。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/objections", methods=["POST"])
@roles_required()
def object_to_results(competition_id: int):
    competition = _competition(competition_id)
    notice = scoring.notice_of(competition)
    if notice is None:
        raise NotFound("")
    form = ObjectionForm()
    if form.validate_on_submit():
        run_action(notices.file_objection, _actor(), notice, form.body.data,
                   success=_("异议已提交，总工会将核实处理。"))
    else:
        flash(_("请填写异议内容。"), "danger")
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/objections/<int:objection_id>/resolve", methods=["POST"])
@roles_required(Role.ADMIN)
def resolve_objection(competition_id: int, objection_id: int):
    competition = _competition(competition_id)
    objection = notices.get_objection(objection_id, scoring.NOTICE_SUBJECT, competition.id)
    form = ResolveForm()
    if form.validate_on_submit():
        run_action(notices.resolve_objection, _actor(), objection, form.upheld.data == "1", form.note.data,
                   success=_("异议已处理。"))
    else:
        flash(_("请填写处理意见。"), "danger")
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/reopen", methods=["POST"])
@roles_required(Role.ADMIN)
def reopen(competition_id: int):
    competition = _competition(competition_id)
    form = ReasonForm()
    if form.validate_on_submit():
        run_action(scoring.reopen_scoring, _actor(), competition, form.reason.data,
                   success=_("已撤回公示中的成绩，可以更正后重新确认和公示。"))
    else:
        flash(_("请填写重新评分的理由。"), "danger")
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/results")
@public
def public_list():
    return render_template("competitions/public_list.html", competitions=scoring.public_competitions())


@bp.route("/results/<int:competition_id>")
@public
def public_results(competition_id: int):
    competition, ranked = scoring.public_results(competition_id)
    return render_template("competitions/public_results.html", competition=competition, ranked=ranked,
                           notice=scoring.notice_of(competition))


@bp.route("/certificates/<int:certificate_id>.pdf")
@roles_required()
def certificate_pdf(certificate_id: int):
    certificate = scoring.get_certificate(_actor(), certificate_id)
    verify_url = url_for("competitions.verify", code=certificate.code, _external=True)
    pdf = files.certificate_pdf(certificate, verify_url)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename=certificate-{certificate.id}.pdf",
        "Cache-Control": "private, no-store"})


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke_certificate(certificate_id: int):
    certificate = scoring.get_certificate(_actor(), certificate_id)
    form = ReasonForm()
    if form.validate_on_submit():
        run_action(scoring.revoke_certificate, _actor(), certificate, form.reason.data, success=_("证书已撤销。"))
    else:
        flash(_("请填写撤销理由。"), "danger")
    return redirect(url_for("competitions.show", competition_id=certificate.registration.competition_id))


@bp.route("/verify")
@public
def verify():
    code = request.args.get("code", "").strip()
    certificate = scoring.verify_certificate(code) if code else None
    return render_template("competitions/verify.html", code=code, certificate=certificate)


# --- journey 7: promotion ---------------------------------------------------------------------------


@bp.route("/promotions")
@roles_required(Role.HR, Role.ADMIN)
def promotions():
    stmt = scoring.promotions_query(_actor(), status=request.args.get("status"))
    pagination = db.paginate(stmt, page=page_number(), per_page=20, error_out=False)
    return render_template("competitions/promotions.html", pagination=pagination)


@bp.route("/promotions/<int:promotion_id>", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def promotion(promotion_id: int):
    actor = _actor()
    item = scoring.get_promotion(actor, promotion_id)
    form = PromotionForm()
    if form.validate_on_submit():
        ok, _result = submit(form, scoring.record_promotion_certificate, actor, item, form.certificate_no.data,
                             form.issuing_body.data, form.effective_date.data)
        if ok:
            flash(_("已登记证书，职工的职业技能等级已更新。"), "success")
            return redirect(url_for("competitions.promotions"))
    return render_template("competitions/promotion.html", item=item, form=form, can_record=policy.is_hr(actor))


# --- journey 8: exports -----------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, name: str) -> Response:
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename={name}",
                                                  "Cache-Control": "private, no-store"})


@bp.route("/<int:competition_id>/export/registrations.xlsx")
@roles_required(Role.ADMIN, Role.HR)
def export_registrations(competition_id: int):
    competition = _competition(competition_id)
    rows = db.session.scalars(svc.registrations_query(_actor(), competition)).all()
    return _xlsx(files.registrations_workbook(rows, svc.waitlist_positions(competition.id)),
                 f"registrations-{competition.id}.xlsx")


@bp.route("/<int:competition_id>/export/results.xlsx")
@roles_required(Role.ADMIN)
def export_results(competition_id: int):
    competition = _competition(competition_id)
    if competition.status not in (SIGNED_OFF, NOTICED, FINAL):
        raise NotFound("")
    return _xlsx(files.results_workbook(scoring.ranking(competition)), f"results-{competition.id}.xlsx")

