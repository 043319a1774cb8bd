"""Results: publish the signed-off ranking for public notice (公示), reopening after an upheld
objection (objections go through the one objection flow, blueprints/notices), final results; the
public pages of prize winners; the export of the ranking."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from blueprints.access import public, roles_required
from blueprints.common import page_number, run_action
from blueprints.competitions import bp
from blueprints.competitions.forms import ReasonForm
from blueprints.competitions.helpers import actor, competition_or_404, flash_form_errors, xlsx
from blueprints.forms import ButtonForm
from models import Role
from services.competitions import export, results, standings


@bp.route("/<int:competition_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN)
def publish(competition_id: int):
    competition = competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(results.publish_results, actor(), competition, success=_("成绩已公示。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/finalise", methods=["POST"])
@roles_required(Role.ADMIN)
def finalise(competition_id: int):
    competition = competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(results.finalise_results, actor(), competition, success=_("结果已确认，证书已生成。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/reopen", methods=["POST"])
@roles_required(Role.ADMIN)
def reopen(competition_id: int):
    competition = competition_or_404(competition_id)
    form = ReasonForm()
    if form.validate_on_submit():
        run_action(results.reopen_scoring, actor(), competition, form.reason.data,
                   success=_("已撤回公示中的成绩，可以更正后重新确认和公示。"))
    else:
        flash_form_errors(form)
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/results")
@public
def public_list():
    return render_template("competitions/public_list.html", competitions=results.public_competitions())


@bp.route("/results/<int:competition_id>")
@public
def public_results(competition_id: int):
    competition = results.public_competition(competition_id)
    winners = standings.ranking_page(competition, page_number(), current_app.config["LONG_PAGE_SIZE"], winners=True)
    return render_template("competitions/public_results.html", competition=competition, winners=winners,
                           notice=results.notice_of(competition))


@bp.route("/<int:competition_id>/export/results.xlsx", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def export_results(competition_id: int):
    """Up to export.INLINE_ROWS results: the file. More: GET shows what the export holds with the
    button, POST starts the job and shows its page."""
    user = actor()
    competition = competition_or_404(competition_id)
    export.require_results(user, competition)
    count = standings.result_count(competition.id)
    if count <= export.INLINE_ROWS and request.method == "GET":
        return xlsx(export.results_file(user, competition), f"results-{competition.id}.xlsx")
    form = ButtonForm()
    if form.validate_on_submit():
        outcome = run_action(export.start_results_export, user, competition, str(get_locale()))
        if outcome:
            return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return render_template("competitions/export.html", competition=competition, form=form, count=count,
                           what=_("成绩"), endpoint="competitions.export_results")
