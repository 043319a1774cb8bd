"""Five Small innovation proposals (五小): the HTTP side. Every rule is in services/proposals/.

View modules, by use case (endpoints are `proposals.<function>`):
- browse      -> index, proposal_list, show
- submission  -> create, edit, attach, detach, attachment, submit_proposal, withdraw
- screening   -> screen
- savings     -> adopt, implement, verify, finance_file, savings
- campaigns   -> campaign_list, campaign_create, campaign_edit, campaign_show, campaign_judges
- judging     -> appoint, dismiss, assign, auto_assign, unassign, lock, queue, review
- results     -> results, publish, finalise, export (objections: blueprints/notices)
- top_ten     -> top_ten, top_ten_designate, top_ten_remove (全市十大创新成果)
"""

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

from blueprints.proposals import (  # noqa: E402,F401
    browse,
    campaigns,
    judging,
    results,
    savings,
    screening,
    submission,
    top_ten,
)
