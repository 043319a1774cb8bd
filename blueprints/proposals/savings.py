"""Adoption, implementation with the realised saving, the union's verification, and savings totals."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import hold_uploads, paginate, run_action, send_stored_file
from blueprints.forms import ButtonForm
from blueprints.proposals import bp
from blueprints.proposals.browse import render_proposal
from blueprints.proposals.forms import AdoptForm, ImplementForm
from blueprints.proposals.shared import back_to_proposal, current_actor
from models import Role
from services.common import uploads
from services.proposals import campaigns
from services.proposals import loaders as proposal_loaders
from services.proposals import savings as proposal_savings


@bp.route("/<int:proposal_id>/adopt", methods=["POST"])
@roles_required(Role.HR)
def adopt(proposal_id: int):
    proposal = proposal_loaders.get_screened_proposal(current_actor(), proposal_id)
    form = AdoptForm()
    if form.validate_on_submit():
        run_action(proposal_savings.adopt_proposal, current_actor(), proposal, form.note.data,
                   success=_("已标记为采纳。"))
    return back_to_proposal(proposal)


@bp.route("/<int:proposal_id>/implement", methods=["POST"])
@roles_required(Role.HR)
def implement(proposal_id: int):
    actor = current_actor()
    proposal = proposal_loaders.get_screened_proposal(actor, proposal_id)
    form = ImplementForm()
    valid = form.validate_on_submit()
    # Refused: the page again with the typed amount and note, the error beside its field, and the
    # finance file held (shown as 已上传, not chosen again).
    held = hold_uploads(form, "finance_file", allowed=proposal_savings.FINANCE_FILE_KINDS, uploader=actor)[-1:]
    if valid and not form.held_error:
        confirmation = next(iter(uploads.held_as_uploads(actor, held)), None)
        if run_action(proposal_savings.record_implementation, actor, proposal, form.amount.data, form.note.data,
                      confirmation, form=form, success=_("已登记实施情况，等待总工会核实。")):
            uploads.release_held(held)
            return back_to_proposal(proposal)
    form.held = held
    return render_proposal(proposal, implement_form=form), 422


@bp.route("/<int:proposal_id>/verify", methods=["POST"])
@roles_required(Role.ADMIN)
def verify(proposal_id: int):
    proposal = proposal_loaders.get_proposal(current_actor(), proposal_id)
    if ButtonForm().validate_on_submit():
        run_action(proposal_savings.verify_saving, current_actor(), proposal, success=_("节约额已核实。"))
    return back_to_proposal(proposal)


@bp.route("/<int:proposal_id>/finance-file")
@roles_required(Role.HR, Role.ADMIN)
def finance_file(proposal_id: int):
    return send_stored_file(proposal_savings.finance_file(current_actor(), proposal_id))


@bp.route("/campaigns/<int:campaign_id>/savings")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def savings(campaign_id: int):
    campaign = campaigns.get_campaign(current_actor(), campaign_id)
    pagination = paginate(proposal_savings.savings_totals(current_actor(), campaign))
    total_estimated, total_verified = proposal_savings.savings_sums(current_actor(), campaign)
    return render_template("proposals/savings.html", campaign=campaign, pagination=pagination,
                           total_estimated=total_estimated, total_verified=total_verified)
