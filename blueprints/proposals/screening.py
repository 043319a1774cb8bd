"""Screening by the enterprise's HR: valid, returned for revision, or rejected."""

from __future__ import annotations

from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import flash_form_errors, run_action
from blueprints.proposals import bp
from blueprints.proposals.forms import ScreenForm
from blueprints.proposals.shared import back_to_proposal, current_actor
from models import Role
from services.proposals import policy as proposals_policy
from services.proposals import screening


@bp.route("/<int:proposal_id>/screen", methods=["POST"])
@roles_required(Role.HR)
def screen(proposal_id: int):
    proposal = proposals_policy.get_screened_proposal(current_actor(), proposal_id)
    form = ScreenForm()
    if form.validate_on_submit():
        run_action(screening.screen_proposal, current_actor(), proposal, form.decision.data, form.reason.data or None,
                   form.note.data, success=_("审核结论已保存。"))
    else:
        flash_form_errors(form)
    return back_to_proposal(proposal)
