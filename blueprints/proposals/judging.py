"""Judging: the campaign's owner (admins, an enterprise's HR, a town's officers) appoints its panel, assigns
judges and locks marking; a judge's queue and marking form."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import flash_form_errors, int_arg, page_number, run_action, submit
from blueprints.forms import BUTTON, ButtonForm, blank_fields, picked_person_id
from blueprints.page_parts import PageMemo
from blueprints.proposals import bp
from blueprints.proposals.forms import AssignForm, LockForm, PanelForm, mark_form_class
from blueprints.proposals.shared import SelfCountedRows, back_to_campaign, back_to_judges, current_actor
from models import Role, db
from models.proposals import CAMPAIGN_ACTIVE
from services.proposals import assignment, campaigns, closing, judging, scoring_page
from services.proposals import policy as proposals_policy

# --- the admin ------------------------------------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/assign", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def assign(campaign_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    form = AssignForm()
    if form.validate_on_submit():
        actor = current_actor()
        purpose = assignment.judge_purpose(campaign)
        run_action(lambda: assignment.assign_judge(actor, campaign, form.proposal_id.data,
                                                   picked_person_id(actor, form.judge_id, purpose)),
                   success=_("已分配评委。"))
    else:
        flash_form_errors(form)
    return back_to_campaign(campaign, page=request.args.get("page"), after=request.args.get("after"),
                            before=request.args.get("before"))


@bp.route("/campaigns/<int:campaign_id>/auto-assign", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def auto_assign(campaign_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    if ButtonForm().validate_on_submit():
        outcome = run_action(assignment.auto_assign, current_actor(), campaign)
        if outcome:
            made, short = outcome.value
            flash(_("已自动分配 %(n)d 人次评委。", n=made), "success")
            if short:
                flash(_("有 %(n)d 件提案没有足够的无利益冲突评委，请增加评委。", n=short), "warning")
    return back_to_campaign(campaign)


@bp.route("/campaigns/<int:campaign_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def unassign(campaign_id: int, assignment_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    if ButtonForm().validate_on_submit():
        run_action(assignment.remove_assignment, current_actor(), campaign, assignment_id, success=_("已取消分配。"))
    return back_to_campaign(campaign)


@bp.route("/campaigns/<int:campaign_id>/lock", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def lock(campaign_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    form = LockForm()
    if form.validate_on_submit():
        locked = form.locked.data == "1"
        if locked and form.confirmed.data is None and closing.left_out(campaign).any:
            return redirect(url_for("proposals.close_confirm", campaign_id=campaign_id, action="lock"))
        run_action(judging.lock_campaign, current_actor(), campaign, locked, form.confirmed.data,
                   success=_("评审已锁定，分数已冻结。") if locked else _("评审已解除锁定。"))
    return back_to_campaign(campaign)


@bp.route("/campaigns/<int:campaign_id>/confirm/<any(lock, publish):action>")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def close_confirm(campaign_id: int, action: str):
    """The page that lists exactly what locking or publishing leaves out, with the confirming form."""
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    return render_template("proposals/close_confirm.html", campaign=campaign, action=action,
                           gaps=closing.left_out(campaign), form=BUTTON,
                           working_days=request.args.get("working_days", type=int) or 5)


@bp.route("/campaigns/<int:campaign_id>/panel", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def appoint(campaign_id: int):
    """The owner appoints a person to the campaign's panel (a picker of the people it may appoint: a town's
    officers also the city's judges)."""
    actor = current_actor()
    campaign = campaigns.get_owned_campaign(actor, campaign_id)
    form = PanelForm()
    if form.validate_on_submit():
        purpose = assignment.panel_purpose(campaign)
        run_action(lambda: assignment.appoint_judge(actor, campaign, picked_person_id(actor, form.user_id, purpose)),
                   success=_("已加入本活动的评委库。"))
    else:
        flash_form_errors(form)
    return back_to_judges(campaign)


@bp.route("/campaigns/<int:campaign_id>/panel/<int:panel_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def dismiss(campaign_id: int, panel_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    if ButtonForm().validate_on_submit():
        run_action(assignment.dismiss_judge, current_actor(), campaign, panel_id, success=_("已移出评委库。"))
    return back_to_judges(campaign)


# --- judges ---------------------------------------------------------------------------------


@bp.route("/review")
@roles_required(Role.JUDGE, Role.WORKER, Role.HR)
def queue():
    """The judge's assignments a page at a time, counted with the page (services.proposals.judging.queue_page)."""
    judge = current_actor()
    chosen = {"campaign_id": int_arg("campaign"), "pending_only": request.args.get("pending") == "1"}
    pagination = SelfCountedRows(page_rows=lambda limit, offset: judging.queue_page(judge, limit, offset, **chosen),
                                 select=judging.queue_rows(judge, **chosen), session=db.session(), page=page_number(),
                                 per_page=current_app.config["PAGE_SIZE"], error_out=False)
    pagination.items = judging.queue_page_rows(pagination.items)
    return render_template("proposals/queue.html", pagination=pagination, page_memo=PageMemo)


@bp.route("/review/<int:proposal_id>", methods=["GET", "POST"])
@roles_required(Role.JUDGE, Role.WORKER, Role.HR)
def review(proposal_id: int):
    actor = current_actor()
    identity = None
    if request.method == "GET":  # the page read as plain rows; marking goes through the ORM
        task, identity = scoring_page.scoring_page(actor, proposal_id)
        current = scoring_page.shown_marks(task)
    else:
        task = judging.get_assignment(actor, proposal_id)
        current = judging.marks_of(task)
    proposal = task.proposal
    campaign = proposal.campaign
    frozen = judging.marks_frozen(task)
    form_class = mark_form_class(campaign.criteria, frozen)
    form = form_class(data={f"c{cid}": mark for cid, mark in current.items()}) if request.method == "GET" \
        else form_class()
    if form.validate_on_submit():
        marks = {c.id: getattr(form, f"c{c.id}").data for c in campaign.criteria}
        ok, _result = submit(form, judging.save_marks, actor, proposal.id, marks, final=bool(form.final.data))
        if ok:
            flash(_("评分已提交。") if form.final.data else _("评分已保存，可继续修改，确认后请提交。"), "success")
            return redirect(url_for("proposals.review", proposal_id=proposal.id))
    return render_template(
        "proposals/review.html", assignment=task, proposal=proposal, campaign=campaign, form=form,
        following=judging.next_pending(actor, proposal.id) if task.submitted_at or frozen else None,
        frozen=frozen, total=judging.judge_total(campaign.criteria, current),
        identity=proposals_policy.can_see_identity(actor, proposal) if identity is None else identity,
        active=campaign.status == CAMPAIGN_ACTIVE, blank_fields=blank_fields,
    )
