"""The proposals area's home, the list of proposals with its filters, and a proposal's page."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, int_arg, keyset_page, run_action
from blueprints.forms import BUTTON, ButtonForm, blank_fields
from blueprints.proposals import bp, list_rows
from blueprints.proposals.forms import (
    AdoptForm,
    AssignForm,
    AttachmentsForm,
    ImplementForm,
    RecommendForm,
    ScreenForm,
    SubmitProposalForm,
    WithdrawForm,
)
from blueprints.proposals.shared import current_actor
from blueprints.titles.forms import HigherRecommendForm
from core import clock
from core.l10n import lazy_gettext as _l
from models import Role, db
from models.proposals import (
    ADOPTED,
    AWARDED,
    KIND_LABELS,
    PROPOSAL_STATUS_LABELS,
    SCORED,
    SCREENING_REASON_LABELS,
    SUBMITTED,
    VALID_STATUSES,
    Proposal,
)
from models.vocabulary import LEVEL_LABELS, PRIZE_LABELS
from services import policy
from services.accounts import enterprises
from services.proposals import (
    achievements,
    assignment,
    campaigns,
    judging,
    lifecycle,
    listing,
    proposal_page,
    recommendation,
    reported,
    screening,
)
from services.proposals import export as proposal_export
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy


@bp.route("/")
@roles_required()
def index():
    actor = current_actor()
    # Judges of the city's pool and of any campaign's panel (who need not hold the judge role).
    queue = db.session.scalars(judging.queue_query(actor, pending_only=True).limit(5)).all()
    if not queue and not actor.has_role(Role.JUDGE):
        queue = None
    manager = campaigns.may_create(actor)  # admins, HR and town officers run (and see) campaigns
    return render_template("proposals/index.html", open_campaigns=campaigns.open_campaigns(actor),
                           published=campaigns.published_campaigns(actor), queue=queue,
                           campaigns=campaigns.all_campaigns(actor) if manager else None,
                           can_create=manager,
                           submission_open=lifecycle.submission_open)


def _filters(enterprise, campaign) -> listing.ProposalFilters:
    status = request.args.get("status") or None
    kind = request.args.get("kind") or None
    return listing.ProposalFilters(
        campaign_id=campaign.ids, kind=kind if kind in KIND_LABELS else None,
        status=status if status in PROPOSAL_STATUS_LABELS else None, enterprise_id=enterprise and enterprise.ids,
        town_id=int_arg("town"), search=(request.args.get("q") or "").strip()[:50] or None,
        mine=request.args.get("mine") == "1", year=int_arg("year"),
        stage=request.args.get("stage") if request.args.get("stage") in listing.STAGES else None,
        first=int_arg("first"), last=int_arg("last"), prize_level=request.args.get("level") or None,
        prize=request.args.get("prize") or None,
    )


@bp.route("/list")
@roles_required()
def proposal_list():
    actor = current_actor()
    enterprise = enterprise_filter(actor) if policy.oversees_enterprises(actor) else None
    campaign = listing.resolve_campaign(actor, request.args.get("campaign_q"), int_arg("campaign"))
    filters = _filters(enterprise, campaign)
    report_scope = listing.check_report_scope(actor, filters, int_arg("enterprise"))
    pagination = keyset_page(listing.proposals_query(actor, filters), Proposal.id, rows=listing.listed_rows())
    manager = policy.management_scope(actor).kind != policy.NOBODY and not filters.mine
    flags = screening.duplicate_flags(pagination.items) if manager else {}
    verified = (reported.verified_amounts([p.id for p in pagination.items])
                if filters.stage == "verified_savings" else None)
    rows = list_rows.proposal_rows(pagination.items, flags, manager=manager, enterprise=bool(enterprise),
                                   verified=verified) if pagination.items else None
    return render_template(
        "proposals/list.html", pagination=pagination, proposal_rows=rows, manager=manager, filters=filters,
        campaign=campaign, campaign_hints=listing.campaign_hints(actor), kinds=KIND_LABELS,
        statuses=PROPOSAL_STATUS_LABELS,
        enterprise=enterprise, towns=enterprises.town_rows() if policy.is_admin(actor) else None,
        stages=STAGE_LABELS, export_form=BUTTON if manager else None,
        summary=listing.report_summary(actor, filters), verified=verified, prize_levels=LEVEL_LABELS,
        prizes=PRIZE_LABELS, report_scope=report_scope,
    )


# The report's figures a list can stand behind (services.proposals.listing.STAGES), as the list names them.
STAGE_LABELS = {"collected": _l("征集提案"), "valid": _l("有效提案"), "adopted": _l("采纳提案"),
                "implemented": _l("实施提案"), "person_times": _l("参与人次：这些提案的作者"),
                "people": _l("参与人数：这些提案的作者"), "estimated_savings": _l("预计年节约：这些有效提案的预计金额"),
                "verified_savings": _l("核实年节约：有经财务核实的实际节约的提案"),
                "prize": _l("获奖提案（最佳成绩，结果公示期满）")}


@bp.route("/list/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_list():
    """Start the Excel export of the list with the filters in the address (services.proposals.export: a
    background job over every page) and show the job's page."""
    actor = current_actor()
    form = ButtonForm()
    if form.validate_on_submit():
        enterprise = enterprise_filter(actor) if policy.oversees_enterprises(actor) else None
        campaign = listing.resolve_campaign(actor, request.args.get("campaign_q"), int_arg("campaign"))
        filters = _filters(enterprise, campaign)
        listing.check_report_scope(actor, filters, int_arg("enterprise"))
        outcome = run_action(proposal_export.start_list_export, actor, filters,
                             str(get_locale()))
        if outcome:
            return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return redirect(url_for("proposals.proposal_list", **request.args))


@bp.route("/<int:proposal_id>")
@roles_required()
def show(proposal_id: int):
    return render_proposal(proposal_loaders.get_proposal(current_actor(), proposal_id, for_page=True))


def render_proposal(proposal, **forms):
    """A proposal's page. A form posted from it and refused is passed in `forms` (e.g.
    screen_form=form): the page shows it again as it was sent, with each error beside its field.

    Each form is built only where the page shows it (an act the reader may take, in a status where it
    applies; the template shows a form when it is given one); what only the page's buttons need, the
    CSRF token, comes from the template's csrf_token()."""
    actor = current_actor()
    screener = proposals_policy.is_screener(actor, proposal)
    published = lifecycle.is_published(proposal.campaign)
    manager = proposals_policy.manages(actor, proposal)
    sees_levels = proposals_policy.sees_levels(actor, proposal)
    can_edit = proposals_policy.can_edit(actor, proposal)
    can_add_judge = (proposals_policy.can_run_campaign(actor, proposal.campaign)
                     and proposal.status in assignment.ASSIGNABLE_BY_HAND
                     and not lifecycle.judging_frozen(proposal.campaign))
    shown = {  # form name: (shown on the page, its class)
        "submit_form": (proposals_policy.can_submit(actor, proposal), SubmitProposalForm),
        "withdraw_form": (proposals_policy.can_withdraw(actor, proposal), WithdrawForm),
        "attach_form": (can_edit, AttachmentsForm),
        "screen_form": (screener and proposal.status == SUBMITTED, ScreenForm),
        "adopt_form": (screener and published and proposal.status in (SCORED, AWARDED), AdoptForm),
        "implement_form": (screener and proposal.status == ADOPTED, ImplementForm),
        "assign_form": (can_add_judge, AssignForm),
    }
    # Beside a form posted back, the others start empty (not from the posted data).
    built = {name: (forms.get(name) or (form_class(formdata=None) if forms else form_class())) if show else None
             for name, (show, form_class) in shown.items()}
    recommend_form, recommend_refused = recommend_form_for(actor, proposal, forms.get("recommend_form"))
    # where the reader sees the levels, the entries of its levels with its top-ten designation and higher
    # records, its time line and (a manager, who sees the levels) its similar titles in one statement
    if sees_levels:
        parts = proposal_page.page_parts(proposal, with_flags=manager)
        levels, top_ten, higher_records, timeline, flags = (parts.levels, parts.honour, parts.records,
                                                            parts.timeline, parts.flags)
    else:
        levels, top_ten, higher_records = [], achievements.honour_of(proposal), []
        timeline, flags = listing.timeline(proposal), {}
    return render_template(
        "proposals/show.html", proposal=proposal, timeline=timeline,
        identity=proposals_policy.can_see_identity(actor, proposal), can_edit=can_edit,
        can_delete=proposals_policy.can_delete(actor, proposal), screener=screener, published=published,
        flags=flags, **built,
        reasons=SCREENING_REASON_LABELS,
        judge_purpose=assignment.judge_purpose(proposal.campaign) if can_add_judge else None, manager=manager,
        levels=levels, withdrawable={e.id for e in levels if e.recommended_from_id
                                     and recommendation.may_withdraw(actor, e)},
        recommend_form=recommend_form, recommend_refused=recommend_refused, top_ten=top_ten,
        higher_records=higher_records,
        higher_form=forms.get("higher_form") or (
            HigherRecommendForm(data={"recommended_on": clock.today()})
            if policy.is_admin(actor) and proposal.status in VALID_STATUSES else None),
        blank_fields=blank_fields,  # the higher form's fields rendered once per locale (and day), kept
    )


def recommend_form_for(actor, proposal, form=None):
    """The recommend-upward card of the owner of the proposal's campaign: (form, refused). The form offers
    only the campaigns the proposal can go to now (None when there is none, and then not built); `refused`
    lists the others with why they are not offered (already recommended there, quota full)."""
    options = recommendation.options_for(actor, proposal)
    offered = [o for o in options if o.reason is None]
    refused = [o for o in options if o.reason is not None]
    if form is None and not offered:
        return None, refused
    form = form or RecommendForm()
    form.target_id.choices = [
        (o.campaign.id, _("%(name)s（%(level)s，已推荐 %(used)d / %(quota)d 件）", name=o.campaign.name,
                          level=o.campaign.owner_level_label, used=o.used, quota=o.campaign.recommend_quota))
        for o in offered]
    shown = form if offered or form.errors else None  # a refused post stays on the page with its error
    return shown, refused
