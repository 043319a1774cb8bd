"""Campaigns: the list, creating and editing (by their owner: union admins, an enterprise's HR or a town's
officers), the campaign's management page (the owner acts, the levels above read) and the figures."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import keyset_page, page_number, paginate, submit
from blueprints.forms import PublishForm
from blueprints.proposals import bp
from blueprints.proposals.forms import CampaignForm, PanelForm, campaign_form_data
from blueprints.proposals.shared import current_actor
from models import Role
from models.proposals import CAMPAIGN_ACTIVE, OWNER_LEVEL_LABELS, PROPOSAL_STATUS_LABELS, Proposal
from models.vocabulary import LEVEL_LABELS, PRIZE_LABELS
from services import policy
from services.common.rows import translated
from services.competitions import figures as competition_figures
from services.proposals import assignment, campaigns, judge_pool, lifecycle
from services.proposals import figures as proposal_figures
from services.proposals import policy as proposals_policy
from services.proposals import savings as proposal_savings


@bp.route("/campaigns")
@roles_required()
def campaign_list():
    actor = current_actor()
    level = request.args.get("level")
    stmt = campaigns.campaigns_query(actor, None if policy.is_admin(actor) else request.args.get("status") or None,
                                     level=level if level in OWNER_LEVEL_LABELS else None)
    return render_template("proposals/campaigns.html", pagination=paginate(stmt), levels=OWNER_LEVEL_LABELS,
                           level=level, can_create=campaigns.may_create(actor),
                           oversees=lambda c: proposals_policy.can_oversee_campaign(actor, c),
                           submission_open=lifecycle.submission_open, judging_open=lifecycle.judging_open)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def campaign_create():
    owner = campaigns.owner_of(current_actor())
    form = CampaignForm(data=campaign_form_data(level=owner[0])) if request.method == "GET" else CampaignForm()
    if form.validate_on_submit():
        ok, campaign = submit(form, campaigns.create_campaign, current_actor(), form.to_data())
        if ok:
            flash(_("已创建活动：%(name)s", name=campaign.name), "success")
            return redirect(url_for("proposals.campaign_show", campaign_id=campaign.id))
    return render_template("proposals/campaign_form.html", form=form, campaign=None, owner_level=owner[0])


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def campaign_edit(campaign_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    form = CampaignForm(data=campaign_form_data(campaign)) if request.method == "GET" else CampaignForm()
    if form.validate_on_submit():
        ok, _result = submit(form, campaigns.update_campaign, current_actor(), campaign, form.to_data())
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("proposals.campaign_show", campaign_id=campaign.id))
    return render_template("proposals/campaign_form.html", form=form, campaign=campaign,
                           owner_level=campaign.owner_level)


@bp.route("/campaigns/<int:campaign_id>")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def campaign_show(campaign_id: int):
    """The campaign's management page: its owner acts on it (assigns judges, locks, publishes), the levels
    above see it read-only. Its judges (the panel, appointing, each judge's load) have their own page,
    campaign_judges. Its lists are plain rows (services.proposals.assignment); a form is built only where
    the page shows it (the owner's, while the campaign is active), the buttons' CSRF token comes from the
    template. Savings wait for verification only once results are published (services.proposals.savings:
    adoption needs them), so an active campaign does not look for any."""
    actor = current_actor()
    campaign = proposals_policy.get_overseen_campaign(actor, campaign_id)
    pagination = keyset_page(assignment.assignable_query, Proposal.id, descending=False, rows=True,
                             kept=("proposals.assignable",), params={"campaign_id": campaign.id})
    assigned, summary = assignment.assignments_with_summary(campaign, [p.id for p in pagination.items])
    owner = proposals_policy.can_run_campaign(actor, campaign)
    acting = owner and campaign.status == CAMPAIGN_ACTIVE
    frozen = lifecycle.judging_frozen(campaign)
    return render_template(
        "proposals/campaign.html", campaign=campaign, pagination=pagination, assigned=assigned,
        progress=_progress_texts(pagination.items, assigned, campaign.min_judges),
        summary=summary, frozen=frozen,
        publish_form=PublishForm() if acting and frozen else None,
        pending=proposal_savings.pending_verifications(campaign) if lifecycle.is_published(campaign) else (),
        statuses=translated(PROPOSAL_STATUS_LABELS), owner=owner, acting=acting,
        judge_purpose=assignment.judge_purpose(campaign) if owner and not frozen else None,
    )


@bp.route("/campaigns/<int:campaign_id>/judges")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def campaign_judges(campaign_id: int):
    """The campaign's judges, for whoever may see its management page: the panel (its owner appoints and
    dismisses while the campaign is active), the rules of who may judge at its level, and the pool's
    judges a page at a time by name with each one's load (services.proposals.judge_pool)."""
    actor = current_actor()
    campaign = proposals_policy.get_overseen_campaign(actor, campaign_id)
    panel = assignment.panel_of(campaign)
    acting = proposals_policy.can_run_campaign(actor, campaign) and campaign.status == CAMPAIGN_ACTIVE
    return render_template(
        "proposals/campaign_judges.html", campaign=campaign, panel=panel, acting=acting,
        judge_page=judge_pool.judges_page(campaign, page_number(), current_app.config["PAGE_SIZE"], panel),
        panel_form=PanelForm() if acting else None,
        panel_purpose=assignment.panel_purpose(campaign) if acting else None,
    )


def _progress_texts(proposals, assigned: dict, required: int) -> dict[int, str]:
    """Proposal id -> its judges' progress as the assignment table shows it (the text of _macros/ui.html
    judge_progress: "已分配 a/r · 已提交 s"), its two texts translated once a page instead of twice a row."""
    assigned_text, submitted_text = _("已分配 %(a)d/%(r)d"), _("已提交 %(s)d")
    texts = {}
    for p in proposals:
        rows = assigned[p.id]
        submitted = sum(1 for a in rows if a.submitted_at)
        texts[p.id] = f"{assigned_text % {'a': len(rows), 'r': required}} · {submitted_text % {'s': submitted}}"
    return texts


@bp.route("/figures")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def figures():
    """The Five Small figures of the actor's node of the tree: its own campaigns and, for a level with
    levels below it, the roll-up (services.proposals.figures)."""
    actor = current_actor()
    year = request.args.get("year", type=int)
    year = year if year and 2000 <= year <= 2100 else None
    own = proposal_figures.figures(actor, year, own_only=True)
    below = policy.management_scope(actor).kind != policy.ENTERPRISE
    rolled_up = proposal_figures.figures(actor, year) if below else None
    contests = competition_figures.figures(actor, year, own_only=True)
    contests_rolled_up = competition_figures.figures(actor, year) if below else None
    return render_template("proposals/figures.html", own=own, rolled_up=rolled_up, year=year, contests=contests,
                           contests_rolled_up=contests_rolled_up,
                           levels=LEVEL_LABELS, prizes=PRIZE_LABELS)
