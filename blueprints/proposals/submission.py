"""Writing a proposal: the form (with the savings calculator), attachments, submitting, withdrawing,
deleting a draft."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import hold_uploads, run_action, send_stored_file, submit
from blueprints.forms import ButtonForm
from blueprints.proposals import bp
from blueprints.proposals.browse import render_proposal
from blueprints.proposals.forms import (
    AttachmentsForm,
    NewProposalForm,
    ProposalForm,
    SubmitProposalForm,
    WithdrawForm,
    proposal_form_data,
    show_coauthors,
)
from blueprints.proposals.shared import back_to_proposal, current_actor, uploaded_files
from models import Role
from services.common import uploads
from services.proposals import campaigns, lifecycle, savings, submission
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy


def _render_form(form, proposal=None, campaign=None):
    campaign = campaign or proposal.campaign
    return render_template("proposals/form.html", form=form, proposal=proposal, campaign=campaign,
                           calculated=getattr(form, "calculated", None))


def _calculate_into(form) -> None:
    """The "calculate" button: fill the estimate from the calculator (works without JavaScript)."""
    outcome = run_action(savings.estimate_from_calculator, form.to_data([]), form=form)
    if outcome:
        form.estimated_savings.show_value(outcome.value)
        form.calculated = str(outcome.value)


def _proposal_form(form, save, *args, saved: str, campaign=None, proposal=None):
    """The proposal form of `create` and `edit`: the calculate button, or `save(actor, *args, data)`
    and back to the proposal with the `saved` message; else the form again with the errors. Chosen
    attachments are held across every refusal and calculation (blueprints.common.hold_uploads): the
    form shows them as 已上传 and nobody chooses them again."""
    actor = current_actor()
    if form.calculate.data and form.is_submitted():
        _calculate_into(form)
        hold_uploads(form, "files", allowed=submission.ATTACHMENT_KINDS, uploader=actor)
    elif form.is_submitted():
        valid = form.validate_on_submit()
        held = hold_uploads(form, "files", allowed=submission.ATTACHMENT_KINDS, uploader=actor)
        if valid and not form.held_error:
            ok, result = submit(form, lambda: save(actor, *args, form.to_data(uploads.held_as_uploads(actor, held),
                                                                              actor)),
                                once_form=form if proposal is None else None)
            if ok:
                uploads.release_held(held)
                flash(saved, "success")
                return back_to_proposal(result)
    return _render_form(form, proposal=proposal, campaign=campaign)


@bp.route("/new/<int:campaign_id>", methods=["GET", "POST"])
@roles_required(Role.WORKER)
def create(campaign_id: int):
    campaign = campaigns.get_campaign(current_actor(), campaign_id)
    if not lifecycle.drafts_allowed(campaign):  # a page that says so, not a bare 404 (410 Gone)
        return render_template("proposals/closed.html", campaign=campaign), 410
    return _proposal_form(NewProposalForm(), submission.create_proposal, campaign,
                          saved=_("草稿已保存。确认无误后请提交。"), campaign=campaign)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@roles_required(Role.WORKER)
def edit(proposal_id: int):
    proposal = proposal_loaders.get_own_proposal(current_actor(), proposal_id)
    form = ProposalForm(data=proposal_form_data(proposal)) if request.method == "GET" else ProposalForm()
    if request.method == "GET":
        show_coauthors(form, proposal)
    return _proposal_form(form, submission.update_proposal, proposal, saved=_("已保存。"), proposal=proposal)


@bp.route("/<int:proposal_id>/attachments", methods=["POST"])
@roles_required(Role.WORKER)
def attach(proposal_id: int):
    proposal = proposal_loaders.get_own_proposal(current_actor(), proposal_id)
    if AttachmentsForm().validate_on_submit():
        run_action(submission.add_attachments, current_actor(), proposal, uploaded_files(),
                   success=_("附件已上传。"))
    return back_to_proposal(proposal)


@bp.route("/<int:proposal_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@roles_required(Role.WORKER)
def detach(proposal_id: int, attachment_id: int):
    proposal = proposal_loaders.get_own_proposal(current_actor(), proposal_id)
    if ButtonForm().validate_on_submit():
        run_action(submission.remove_attachment, current_actor(), proposal, attachment_id, success=_("附件已删除。"))
    return back_to_proposal(proposal)


@bp.route("/<int:proposal_id>/attachments/<int:attachment_id>")
@roles_required()
def attachment(proposal_id: int, attachment_id: int):
    actor = current_actor()
    stored = submission.get_attachment(actor, proposal_id, attachment_id)
    proposal = proposal_loaders.get_proposal(actor, proposal_id)
    # A blind judge gets a neutral file name: the uploaded name could reveal the author.
    hidden_name = None if proposals_policy.can_see_identity(actor, proposal) else f"attachment-{attachment_id}"
    if hidden_name and "." in stored.original_name:
        hidden_name += "." + stored.original_name.rsplit(".", 1)[1][:8]
    return send_stored_file(stored, download_name=hidden_name)


@bp.route("/<int:proposal_id>/submit", methods=["POST"])
@roles_required(Role.WORKER)
def submit_proposal(proposal_id: int):
    proposal = proposal_loaders.get_own_proposal(current_actor(), proposal_id)
    form = SubmitProposalForm()
    if form.validate_on_submit() and run_action(submission.submit_proposal, current_actor(), proposal,
                                                bool(form.pledge.data), form=form,
                                                success=_("提案已提交，等待企业审核。")):
        return back_to_proposal(proposal)
    # Refused (e.g. the pledge not ticked): the page again, the error beside the pledge's checkbox.
    return render_proposal(proposal, submit_form=form), 422


@bp.route("/<int:proposal_id>/withdraw", methods=["POST"])
@roles_required(Role.WORKER)
def withdraw(proposal_id: int):
    proposal = proposal_loaders.get_own_proposal(current_actor(), proposal_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        run_action(submission.withdraw_proposal, current_actor(), proposal, form.note.data,
                   success=_("提案已撤回。"))
    return back_to_proposal(proposal)


@bp.route("/<int:proposal_id>/delete", methods=["POST"])
@roles_required(Role.WORKER)
def delete_draft(proposal_id: int):
    proposal = proposal_loaders.get_own_proposal(current_actor(), proposal_id)
    if ButtonForm().validate_on_submit() and run_action(submission.delete_draft, current_actor(), proposal,
                                                        success=_("草稿已删除。")):
        return redirect(url_for("proposals.index"))
    return back_to_proposal(proposal)
