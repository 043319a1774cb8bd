"""Results of a campaign: the ranking, publishing with public notice, finalising, export (objections go
through the one objection flow, blueprints/notices)."""

from __future__ import annotations

from flask import current_app, flash, get_template_attribute, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from blueprints.access import roles_required
from blueprints.common import page_number, run_action, submit
from blueprints.forms import BUTTON, ButtonForm, ObjectionForm, ResolveForm
from blueprints.proposals import bp
from blueprints.proposals.browse import render_proposal
from blueprints.proposals.forms import CampaignPublishForm, RecommendForm
from blueprints.proposals.shared import back_to_campaign, back_to_results, current_actor
from blueprints.titles.forms import HigherRecommendForm
from core import clock
from core.templating import text_escape, url_pattern
from models import Role
from services.common import notices
from services.errors import NotFound
from services.honours import results as higher
from services.proposals import campaigns, closing, ranking, recommendation
from services.proposals import export as proposal_export
from services.proposals import loaders as proposal_loaders
from services.proposals import policy as proposals_policy
from services.proposals import results as proposal_results


def _visible_results_campaign(campaign_id: int):
    campaign = campaigns.get_campaign(current_actor(), campaign_id, rubric=False)  # the ranking shows no rubric
    if not proposals_policy.can_view_results(current_actor(), campaign):
        raise NotFound("")
    return campaign


@bp.route("/campaigns/<int:campaign_id>/results")
@roles_required()
def results(campaign_id: int):
    actor = current_actor()
    campaign = _visible_results_campaign(campaign_id)
    page, per_page = page_number(), current_app.config["LONG_PAGE_SIZE"]
    admin = proposals_policy.can_oversee_campaign(actor, campaign)  # owner or a level above: the judges' totals
    pagination = ranking.ranking_page(campaign.id, None, page, per_page, version=campaign.ranking_version,
                                      with_totals=admin)
    if not pagination.fresh:  # a score changed since the ranking was stored: recompute it now, and commit
        ranked = run_action(ranking.refresh_ranking, campaign).value
        pagination = ranking.ranking_page(campaign.id, ranked, page, per_page, with_totals=admin)
    totals = _totals_lines(pagination.totals) if admin else {}
    notice = proposal_results.campaign_notice(campaign)
    notice_over = notice is not None and clock.now() >= notice.ends_at
    return render_template(
        "proposals/results.html", campaign=campaign, pagination=pagination, totals=totals,
        notice=notice, notice_over=notice_over, objections=notices.objections_of(notice),
        ranking_rows=_ranking_rows(campaign, pagination.items, totals, admin=admin),
        # each form built only where the page shows it (the objections under a notice, finalising after it)
        objection_form=ObjectionForm() if notice is not None else None,
        resolve_form=ResolveForm() if notice is not None else None,
        action_form=BUTTON if admin and campaign.status == "published" and notice_over else None,
        is_running=notices.is_running, admin=admin,
    )


def _totals_lines(totals: dict) -> dict[int, str]:
    """Proposal id -> its judges' totals as the ranking shows them ("name total；name total", — for a total
    not submitted), one text a row instead of a loop of cells in the template."""
    sep = _("；")
    return {proposal_id: sep.join(f"{name} {'—' if total is None else total}" for name, total in rows)
            for proposal_id, rows in totals.items()}


def _ranking_rows(campaign, rows, totals: dict, *, admin: bool) -> Markup:
    """The ranking's <tr>s of a page of RankedProposals, as results.html wrote them cell by cell: place,
    title with its link and kind, enterprise, score, for the owner the judges' totals and the spread
    (flagged above SPREAD_FLAG), and the prize with its reward. Built here rather than per cell in the
    template (50 rows of 7 cells); labels translated once, a prize's badge and reward once per prize,
    values escaped as the template's `{{ }}` (core.templating.text_escape)."""
    esc = text_escape
    l_place, l_proposal, l_enterprise, l_score, l_totals, l_spread, l_prize = (
        _("名次"), _("提案"), _("企业"), _("综合得分"), _("各评委总分"), _("分差"), _("奖项"))
    flag, too_far = proposal_results.SPREAD_FLAG, _("分差过大")
    show_url = url_pattern("proposals.show", "proposal_id")
    prize_reward = get_template_attribute("_macros/rewards.html", "prize_reward")
    prize_cells: dict = {}
    out = []
    for p in rows:
        prize_cell = prize_cells.get((p.prize, p.prize_label))
        if prize_cell is None:
            badge = f'<span class="badge text-bg-warning">{esc(p.prize_label)}</span>' if p.prize_label else ""
            prize_cell = prize_cells[p.prize, p.prize_label] = (
                f"{badge}\n{prize_reward(campaign, p.prize) if p.prize else ''}")
        owner_cells = ""
        if admin:
            spread = p.score_spread
            shown = "—" if spread is None else f"{esc(spread)}"
            if spread is not None and spread > flag:
                shown = f'{shown} <span class="badge text-bg-danger" data-testid="spread-flag">{too_far}</span>'
            owner_cells = (f'\n    <td data-label="{l_totals}" class="small">{esc(totals.get(p.id, ""))}</td>\n'
                           f'    <td data-label="{l_spread}">{shown}</td>\n    ')
        out.append(
            f'\n  <tr data-testid="rank-row">\n'
            f'    <td data-label="{l_place}" class="cell-primary" data-testid="place">{esc(p.place)}</td>\n'
            f'    <td data-label="{l_proposal}"><a href="{show_url % p.id}">{esc(p.title)}</a><br>'
            f'<span class="small text-muted">{esc(p.kind_label)}</span></td>\n'
            f'    <td data-label="{l_enterprise}" class="small">{esc(p.enterprise_name)}</td>\n'
            f'    <td data-label="{l_score}" class="text-end fw-bold">{esc(p.score)}</td>\n'
            f'    {owner_cells}\n'
            f'    <td data-label="{l_prize}" class="cell-primary">\n{prize_cell}</td>\n  </tr>\n  ')
    return Markup("".join(out))


@bp.route("/campaigns/<int:campaign_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def publish(campaign_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    form = CampaignPublishForm()
    if form.validate_on_submit():
        if form.confirmed.data is None and closing.left_out(campaign).any:
            return redirect(url_for("proposals.close_confirm", campaign_id=campaign_id, action="publish",
                                    working_days=form.working_days.data))
        if run_action(proposal_results.publish_results, current_actor(), campaign, form.working_days.data,
                      form.confirmed.data, success=_("结果已发布，进入公示期。")):
            return back_to_results(campaign)
    else:
        flash(_("公示期应为 1 到 30 个工作日。"), "danger")
    return back_to_campaign(campaign)


@bp.route("/campaigns/<int:campaign_id>/finalise", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def finalise(campaign_id: int):
    campaign = campaigns.get_owned_campaign(current_actor(), campaign_id)
    if ButtonForm().validate_on_submit():
        run_action(proposal_results.finalise_results, current_actor(), campaign, success=_("结果已确定。"))
    return back_to_results(campaign)


@bp.route("/campaigns/<int:campaign_id>/export.xlsx", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def export(campaign_id: int):
    """GET: what the export holds, with the button; POST: start the export job and show its page."""
    campaign = proposals_policy.get_overseen_campaign(current_actor(), campaign_id)
    form = ButtonForm()
    if form.validate_on_submit():
        outcome = run_action(proposal_export.start_export, current_actor(), campaign, str(get_locale()))
        if outcome:
            return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return render_template("proposals/export.html", campaign=campaign, form=form,
                           count=proposal_export.proposal_count(campaign))


@bp.route("/<int:proposal_id>/recommend", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def recommend(proposal_id: int):
    """The owner of the proposal's campaign recommends it into a higher campaign (推荐上报)."""
    actor = current_actor()
    proposal = proposal_loaders.get_proposal(actor, proposal_id)
    proposals_policy.require_runner(actor, proposal.campaign)
    form = RecommendForm()
    if form.validate_on_submit():
        target = campaigns.get_campaign(actor, form.target_id.data)
        outcome = run_action(recommendation.recommend, actor, proposal, target, form=form,
                             success=_("已推荐上报到“%(name)s”。", name=target.name))
        if outcome:
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return render_proposal(proposal, recommend_form=form), 400


@bp.route("/<int:proposal_id>/withdraw-recommendation", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def withdraw_recommendation(proposal_id: int):
    """The recommending owner withdraws the proposal's entry (`proposal_id`) from the higher campaign it was
    recommended into (撤回推荐); back to the entry it came from."""
    actor = current_actor()
    entry = proposal_loaders.get_proposal(actor, proposal_id)
    if ButtonForm().validate_on_submit():
        outcome = run_action(recommendation.withdraw, actor, entry,
                             success=_("已撤回推荐：“%(name)s”不再评审这件提案。", name=entry.campaign.name))
        if outcome:
            return redirect(url_for("proposals.show", proposal_id=outcome.value.id))
    return redirect(url_for("proposals.show", proposal_id=entry.id))


@bp.route("/<int:proposal_id>/higher", methods=["POST"])
@roles_required(Role.ADMIN)
def recommend_higher(proposal_id: int):
    """The city records that it recommended the proposal to a contest above the city (上级推荐)."""
    actor = current_actor()
    proposal = proposal_loaders.get_proposal(actor, proposal_id)
    form = HigherRecommendForm()
    if form.validate_on_submit():
        ok, record = submit(form, higher.recommend_proposal, actor, proposal, form.level.data, form.contest.data,
                            form.recommended_on.data)
        if ok:
            flash(_("已记录推荐。成绩公布后请录入成绩。"), "success")
            return redirect(url_for("titles.higher_result", record_id=record.id))
    return render_proposal(proposal, higher_form=form), 400
