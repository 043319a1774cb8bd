"""Views of the Five Small proposals area: HTTP only; every rule is in services/proposals*.py."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import int_arg, page_number, run_action, send_stored_file, show_error_on_form, submit
from blueprints.forms import ButtonForm
from blueprints.proposals import bp
from blueprints.proposals.forms import (
    AdoptForm,
    AssignForm,
    AttachmentsForm,
    CampaignForm,
    ImplementForm,
    LockForm,
    ObjectionForm,
    ProposalForm,
    PublishForm,
    ResolveForm,
    ScreenForm,
    SubmitProposalForm,
    WithdrawForm,
    campaign_form_data,
    mark_form_class,
    proposal_form_data,
)
from core import clock
from models import Role, db
from models.proposals import (
    CAMPAIGN_ACTIVE,
    KINDS,
    SCREENING_REASONS,
    STATUS_LABELS,
    SUBMITTED,
)
from services import policy, proposals, proposals_export
from services import proposals_judging as judging
from services.accounts import enterprises
from services.errors import DomainError, NotFound


def _actor():
    return current_user._get_current_object()


def _uploads(name: str = "files"):
    return [f for f in request.files.getlist(name) if f and f.filename]


# --- area home and lists --------------------------------------------------------------------


@bp.route("/")
@roles_required()
def index():
    actor = _actor()
    queue = None
    if actor.has_role(Role.JUDGE):
        queue = db.session.scalars(judging.queue_query(actor, pending_only=True).limit(5)).all()
    return render_template("proposals/index.html", open_campaigns=proposals.open_campaigns(),
                           published=proposals.published_campaigns(), queue=queue,
                           campaigns=proposals.all_campaigns() if policy.is_admin(actor) else None,
                           submission_open=proposals.submission_open)


def _filters(actor) -> proposals.ProposalFilters:
    status = request.args.get("status") or None
    kind = request.args.get("kind") or None
    return proposals.ProposalFilters(
        campaign_id=int_arg("campaign"), kind=kind if kind in KINDS else None,
        status=status if status in STATUS_LABELS else None, enterprise_id=int_arg("enterprise"),
        town_id=int_arg("town"), search=(request.args.get("q") or "").strip()[:50] or None,
        mine=request.args.get("mine") == "1",
    )


@bp.route("/list")
@roles_required()
def proposal_list():
    actor = _actor()
    filters = _filters(actor)
    pagination = db.paginate(proposals.proposals_query(actor, filters), page=page_number(), per_page=20,
                             error_out=False)
    manager = (policy.is_admin(actor) or policy.is_hr(actor)) and not filters.mine
    flags = proposals.duplicate_flags(pagination.items) if manager else {}
    return render_template(
        "proposals/list.html", pagination=pagination, flags=flags, manager=manager, filters=filters,
        campaigns=proposals.all_campaigns(), kinds=KINDS, statuses=STATUS_LABELS,
        enterprise_list=enterprises.active_enterprises() if policy.is_admin(actor) else None,
        towns=enterprises.towns() if policy.is_admin(actor) else None,
    )


# --- writing --------------------------------------------------------------------------------


def _render_form(form, proposal=None, campaign=None):
    campaign = campaign or proposal.campaign
    return render_template("proposals/form.html", form=form, proposal=proposal, campaign=campaign,
                           calculated=getattr(form, "calculated", None))


def _calculate_into(form) -> None:
    """The "calculate" button: fill the estimate from the calculator (works without JavaScript)."""
    data = form.to_data([])
    try:
        values = [proposals._as_decimal(getattr(data, name), name) for name in proposals.CALC_FIELDS]
        if any(v is None for v in values):
            raise DomainError(_("使用测算时请填写全部五项：改进前后用量、单价、年产量和实施成本。"),
                              field="calc_quantity_before")
        form.estimated_savings.data = str(proposals.calculate_savings(*values))
        form.calculated = form.estimated_savings.data
    except DomainError as error:
        show_error_on_form(form, error)


@bp.route("/new/<int:campaign_id>", methods=["GET", "POST"])
@roles_required(Role.WORKER)
def create(campaign_id: int):
    actor = _actor()
    campaign = proposals.get_campaign(campaign_id)
    if not proposals.drafts_allowed(campaign):
        raise NotFound("")
    form = ProposalForm()
    form.fill_choices(proposals.enterprise_workers(actor))
    if form.calculate.data and form.is_submitted():
        _calculate_into(form)
    elif form.validate_on_submit():
        ok, proposal = submit(form, proposals.create_proposal, actor, campaign, form.to_data(_uploads()))
        if ok:
            flash(_("草稿已保存。确认无误后请提交。"), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return _render_form(form, campaign=campaign)


def _own_proposal(proposal_id: int):
    actor = _actor()
    proposal = proposals.get_proposal(actor, proposal_id)
    if not proposals.is_proposer(actor, proposal):
        raise NotFound("")
    return proposal


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@roles_required(Role.WORKER)
def edit(proposal_id: int):
    actor = _actor()
    proposal = _own_proposal(proposal_id)
    form = ProposalForm(data=proposal_form_data(proposal)) if request.method == "GET" else ProposalForm()
    form.fill_choices(proposals.enterprise_workers(actor))
    if form.calculate.data and form.is_submitted():
        _calculate_into(form)
    elif form.validate_on_submit():
        ok, _result = submit(form, proposals.update_proposal, actor, proposal, form.to_data(_uploads()))
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return _render_form(form, proposal=proposal)


@bp.route("/<int:proposal_id>")
@roles_required()
def show(proposal_id: int):
    actor = _actor()
    proposal = proposals.get_proposal(actor, proposal_id)
    screener = proposals.is_screener(actor, proposal)
    return render_template(
        "proposals/show.html", proposal=proposal, timeline=proposals.timeline(proposal),
        identity=proposals.can_see_identity(actor, proposal),
        can_edit=proposals.can_edit(actor, proposal), can_withdraw=proposals.can_withdraw(actor, proposal),
        can_submit=proposals.is_proposer(actor, proposal) and proposal.status in ("draft", "returned"),
        screener=screener, published=proposals.is_published(proposal.campaign),
        flags=proposals.duplicate_flags([proposal]) if screener or policy.is_admin(actor) else {},
        submit_form=SubmitProposalForm(), withdraw_form=WithdrawForm(), attach_form=AttachmentsForm(),
        screen_form=ScreenForm(), adopt_form=AdoptForm(), implement_form=ImplementForm(), action_form=ButtonForm(),
        reasons=SCREENING_REASONS, submitted=SUBMITTED,
    )


@bp.route("/<int:proposal_id>/attachments", methods=["POST"])
@roles_required(Role.WORKER)
def attach(proposal_id: int):
    proposal = _own_proposal(proposal_id)
    form = AttachmentsForm()
    if form.validate_on_submit():
        run_action(proposals.add_attachments, _actor(), proposal, _uploads(), success=_("附件已上传。"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@roles_required(Role.WORKER)
def detach(proposal_id: int, attachment_id: int):
    proposal = _own_proposal(proposal_id)
    if ButtonForm().validate_on_submit():
        run_action(proposals.remove_attachment, _actor(), proposal, attachment_id, success=_("附件已删除。"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/attachments/<int:attachment_id>")
@roles_required()
def attachment(proposal_id: int, attachment_id: int):
    actor = _actor()
    stored = proposals.get_attachment(actor, proposal_id, attachment_id)
    proposal = proposals.get_proposal(actor, proposal_id)
    # A blind judge gets a neutral file name: the uploaded name could reveal the author.
    hidden_name = None if proposals.can_see_identity(actor, proposal) else f"attachment-{attachment_id}"
    if hidden_name and "." in stored.original_name:
        hidden_name += "." + stored.original_name.rsplit(".", 1)[1][:8]
    return send_stored_file(stored, download_name=hidden_name)


@bp.route("/<int:proposal_id>/submit", methods=["POST"])
@roles_required(Role.WORKER)
def submit_proposal(proposal_id: int):
    proposal = _own_proposal(proposal_id)
    form = SubmitProposalForm()
    if form.validate_on_submit():
        run_action(proposals.submit_proposal, _actor(), proposal, bool(form.pledge.data),
                   success=_("提案已提交，等待企业审核。"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/withdraw", methods=["POST"])
@roles_required(Role.WORKER)
def withdraw(proposal_id: int):
    proposal = _own_proposal(proposal_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        run_action(proposals.withdraw_proposal, _actor(), proposal, form.note.data, success=_("提案已撤回。"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


# --- enterprise HR --------------------------------------------------------------------------


def _screened_proposal(proposal_id: int):
    actor = _actor()
    proposal = proposals.get_proposal(actor, proposal_id)
    if not proposals.is_screener(actor, proposal):
        raise NotFound("")
    return proposal


@bp.route("/<int:proposal_id>/screen", methods=["POST"])
@roles_required(Role.HR)
def screen(proposal_id: int):
    proposal = _screened_proposal(proposal_id)
    form = ScreenForm()
    if form.validate_on_submit():
        run_action(proposals.screen_proposal, _actor(), proposal, form.decision.data, form.reason.data or None,
                   form.note.data, success=_("审核结论已保存。"))
    else:
        flash(_("请选择审核结论。"), "danger")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/adopt", methods=["POST"])
@roles_required(Role.HR)
def adopt(proposal_id: int):
    proposal = _screened_proposal(proposal_id)
    form = AdoptForm()
    if form.validate_on_submit():
        run_action(proposals.adopt_proposal, _actor(), proposal, form.note.data, success=_("已标记为采纳。"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/implement", methods=["POST"])
@roles_required(Role.HR)
def implement(proposal_id: int):
    proposal = _screened_proposal(proposal_id)
    form = ImplementForm()
    if form.validate_on_submit():
        run_action(proposals.record_implementation, _actor(), proposal, form.amount.data, form.note.data,
                   request.files.get("finance_file"), success=_("已登记实施情况，等待总工会核实。"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/verify", methods=["POST"])
@roles_required(Role.ADMIN)
def verify(proposal_id: int):
    proposal = proposals.get_proposal(_actor(), proposal_id)
    if ButtonForm().validate_on_submit():
        run_action(proposals.verify_saving, _actor(), proposal, success=_("节约额已核实。"))
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/finance-file")
@roles_required(Role.HR, Role.ADMIN)
def finance_file(proposal_id: int):
    return send_stored_file(proposals.finance_file(_actor(), proposal_id))


# --- campaigns (union admin) ----------------------------------------------------------------


@bp.route("/campaigns")
@roles_required()
def campaign_list():
    actor = _actor()
    stmt = proposals.campaigns_query(None if policy.is_admin(actor) else request.args.get("status") or None)
    pagination = db.paginate(stmt, page=page_number(), per_page=20, error_out=False)
    return render_template("proposals/campaigns.html", pagination=pagination,
                           submission_open=proposals.submission_open, judging_open=proposals.judging_open)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def campaign_create():
    form = CampaignForm(data=campaign_form_data()) if request.method == "GET" else CampaignForm()
    if form.validate_on_submit():
        ok, campaign = submit(form, proposals.create_campaign, _actor(), form.to_data())
        if ok:
            flash(_("已创建活动：%(name)s", name=campaign.name), "success")
            return redirect(url_for("proposals.campaign_show", campaign_id=campaign.id))
    return render_template("proposals/campaign_form.html", form=form, campaign=None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def campaign_edit(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    form = CampaignForm(data=campaign_form_data(campaign)) if request.method == "GET" else CampaignForm()
    if form.validate_on_submit():
        ok, _result = submit(form, proposals.update_campaign, _actor(), campaign, form.to_data())
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("proposals.campaign_show", campaign_id=campaign.id))
    return render_template("proposals/campaign_form.html", form=form, campaign=campaign)


@bp.route("/campaigns/<int:campaign_id>")
@roles_required(Role.ADMIN)
def campaign_show(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    pagination, assigned = judging.assignment_overview(campaign, page_number())
    return render_template(
        "proposals/campaign.html", campaign=campaign, pagination=pagination, assigned=assigned,
        judges=judging.judges_with_load(campaign), summary=judging.results_summary(campaign),
        frozen=proposals.judging_frozen(campaign), assign_form=AssignForm(), action_form=ButtonForm(),
        publish_form=PublishForm(), pending=proposals.pending_verifications(campaign), statuses=STATUS_LABELS,
        notice=judging.campaign_notice(campaign),
    )


def _back_to_campaign(campaign):
    return redirect(url_for("proposals.campaign_show", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/assign", methods=["POST"])
@roles_required(Role.ADMIN)
def assign(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    form = AssignForm()
    if form.validate_on_submit():
        run_action(judging.assign_judge, _actor(), campaign, form.proposal_id.data, form.judge_id.data,
                   success=_("已分配评委。"))
    else:
        flash(_("请选择提案和评委。"), "danger")
    return redirect(url_for("proposals.campaign_show", campaign_id=campaign.id, page=request.args.get("page")))


@bp.route("/campaigns/<int:campaign_id>/auto-assign", methods=["POST"])
@roles_required(Role.ADMIN)
def auto_assign(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    if ButtonForm().validate_on_submit():
        try:
            made, short = judging.auto_assign(_actor(), campaign)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(_("已自动分配 %(n)d 人次评委。", n=made), "success")
            if short:
                flash(_("有 %(n)d 件提案没有足够的无利益冲突评委，请增加评委。", n=short), "warning")
    return _back_to_campaign(campaign)


@bp.route("/campaigns/<int:campaign_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def unassign(campaign_id: int, assignment_id: int):
    campaign = proposals.get_campaign(campaign_id)
    if ButtonForm().validate_on_submit():
        run_action(judging.remove_assignment, _actor(), campaign, assignment_id, success=_("已取消分配。"))
    return _back_to_campaign(campaign)


@bp.route("/campaigns/<int:campaign_id>/lock", methods=["POST"])
@roles_required(Role.ADMIN)
def lock(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    form = LockForm()
    if form.validate_on_submit():
        locked = form.locked.data == "1"
        run_action(judging.lock_campaign, _actor(), campaign, locked,
                   success=_("评审已锁定，分数已冻结。") if locked else _("评审已解除锁定。"))
    return _back_to_campaign(campaign)


# --- results and public notice --------------------------------------------------------------


def _visible_results_campaign(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    if not judging.can_view_results(_actor(), campaign):
        raise NotFound("")
    return campaign


@bp.route("/campaigns/<int:campaign_id>/results")
@roles_required()
def results(campaign_id: int):
    actor = _actor()
    campaign = _visible_results_campaign(campaign_id)
    pagination = judging.paginate_rows(judging.ranking_query(campaign), page_number(), per_page=50)
    totals = judging.judges_totals([row[0].id for row in pagination.items]) if policy.is_admin(actor) else {}
    notice = judging.campaign_notice(campaign)
    return render_template(
        "proposals/results.html", campaign=campaign, pagination=pagination, totals=totals,
        notice=notice, notice_over=notice is not None and clock.now() >= notice.ends_at,
        objections=judging.objections(campaign),
        spread_flag=judging.SPREAD_FLAG, objection_form=ObjectionForm(), resolve_form=ResolveForm(),
        action_form=ButtonForm(), publish_form=PublishForm(), is_running=judging.notices.is_running,
        admin=policy.is_admin(actor),
    )


@bp.route("/campaigns/<int:campaign_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def publish(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    form = PublishForm()
    if form.validate_on_submit():
        if run_action(judging.publish_results, _actor(), campaign, form.working_days.data,
                      success=_("结果已发布，进入公示期。")):
            return redirect(url_for("proposals.results", campaign_id=campaign.id))
    else:
        flash(_("公示期应为 1 到 30 个工作日。"), "danger")
    return _back_to_campaign(campaign)


@bp.route("/campaigns/<int:campaign_id>/objections", methods=["POST"])
@roles_required()
def object_to_results(campaign_id: int):
    campaign = _visible_results_campaign(campaign_id)
    form = ObjectionForm()
    if form.validate_on_submit():
        run_action(judging.file_objection, _actor(), campaign, form.body.data,
                   success=_("异议已提交，总工会将处理并答复。"))
    else:
        flash(_("请填写异议内容。"), "danger")
    return redirect(url_for("proposals.results", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/objections/<int:objection_id>/resolve", methods=["POST"])
@roles_required(Role.ADMIN)
def resolve_objection(campaign_id: int, objection_id: int):
    campaign = proposals.get_campaign(campaign_id)
    form = ResolveForm()
    if form.validate_on_submit():
        run_action(judging.resolve_objection, _actor(), campaign, objection_id, form.decision.data == "upheld",
                   form.note.data, success=_("异议已处理。"))
    else:
        flash(_("请选择处理结论。"), "danger")
    return redirect(url_for("proposals.results", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/finalise", methods=["POST"])
@roles_required(Role.ADMIN)
def finalise(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    if ButtonForm().validate_on_submit():
        run_action(judging.finalise_results, _actor(), campaign, success=_("结果已确定。"))
    return redirect(url_for("proposals.results", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/export.xlsx")
@roles_required(Role.ADMIN)
def export(campaign_id: int):
    campaign = proposals.get_campaign(campaign_id)
    body = proposals_export.stream_export(_actor(), campaign)
    response = Response(body,
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f"attachment; filename=proposals-{campaign.id}.xlsx"
    return response


@bp.route("/campaigns/<int:campaign_id>/savings")
@roles_required(Role.HR, Role.ADMIN)
def savings(campaign_id: int):
    actor = _actor()
    campaign = proposals.get_campaign(campaign_id)
    rows = proposals.savings_totals(actor, campaign)
    return render_template("proposals/savings.html", campaign=campaign, rows=rows,
                           total_estimated=sum((r.estimated for r in rows), 0),
                           total_verified=sum((r.verified for r in rows), 0))


# --- judges ---------------------------------------------------------------------------------


@bp.route("/review")
@roles_required(Role.JUDGE)
def queue():
    actor = _actor()
    stmt = judging.queue_query(actor, campaign_id=int_arg("campaign"),
                               pending_only=request.args.get("pending") == "1")
    pagination = db.paginate(stmt, page=page_number(), per_page=20, error_out=False)
    return render_template("proposals/queue.html", pagination=pagination, frozen=proposals.judging_frozen)


@bp.route("/review/<int:proposal_id>", methods=["GET", "POST"])
@roles_required(Role.JUDGE)
def review(proposal_id: int):
    actor = _actor()
    assignment = judging.get_assignment(actor, proposal_id)
    proposal = assignment.proposal
    campaign = proposal.campaign
    frozen = proposals.judging_frozen(campaign) or assignment.submitted_at is not None
    form_class = mark_form_class(campaign.criteria, frozen)
    current = judging.marks_of(assignment)
    form = form_class(data={f"c{cid}": mark for cid, mark in current.items()}) if request.method == "GET" \
        else form_class()
    if form.validate_on_submit():
        marks = {c.id: getattr(form, f"c{c.id}").data for c in campaign.criteria}
        ok, _result = submit(form, judging.save_marks, actor, proposal.id, marks, final=bool(form.final.data))
        if ok:
            flash(_("评分已提交。") if form.final.data else _("评分已保存，可继续修改，确认后请提交。"), "success")
            return redirect(url_for("proposals.review", proposal_id=proposal.id))
    return render_template(
        "proposals/review.html", assignment=assignment, proposal=proposal, campaign=campaign, form=form,
        frozen=frozen, total=judging.judge_total(campaign.criteria, current),
        identity=proposals.can_see_identity(actor, proposal), active=campaign.status == CAMPAIGN_ACTIVE,
    )
