"""Screening by the enterprise's HR: valid, returned for revision, or rejected."""

from __future__ import annotations

from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import run_action
from blueprints.proposals import bp
from blueprints.proposals.browse import render_proposal
from blueprints.proposals.forms import ScreenForm
from blueprints.proposals.shared import back_to_proposal, current_actor
from models import Role
from services.proposals import loaders as proposal_loaders
from services.proposals import screening


@bp.route("/<int:proposal_id>/screen", methods=["POST"])
@roles_required(Role.HR)
def screen(proposal_id: int):
    proposal = proposal_loaders.get_screened_proposal(current_actor(), proposal_id)
    form = ScreenForm()
    if form.validate_on_submit() and run_action(screening.screen_proposal, current_actor(), proposal,
                                                form.decision.data, form.reason.data or None, form.note.data,
                                                form=form, success=_("审核结论已保存。")):
        return back_to_proposal(proposal)
    # Refused: the page again with the chosen decision, the reason and the typed note, the error beside it.
    return render_proposal(proposal, screen_form=form), 422
