"""Results: publish the signed-off ranking for public notice (公示), reopening after an upheld
objection (objections go through the one objection flow, blueprints/notices), final results; the
public pages of prize winners; the export of the ranking."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.access import public, roles_required
from blueprints.common import page_number, run_action
from blueprints.competitions import bp
from blueprints.competitions.forms import ReasonForm
from blueprints.competitions.helpers import (
    actor,
    export_or_job,
    flash_form_errors,
    run_competition_or_404,
)
from blueprints.forms import ButtonForm
from models import Role
from services.competitions import export, ranking_pages, results


@bp.route("/<int:competition_id>/publish", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def publish(competition_id: int):
    competition = run_competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(results.publish_results, actor(), competition, success=_("成绩已公示。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/finalise", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def finalise(competition_id: int):
    competition = run_competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(results.finalise_results, actor(), competition, success=_("结果已确认，证书已生成。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/reopen", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def reopen(competition_id: int):
    competition = run_competition_or_404(competition_id)
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
    winners = ranking_pages.ranking_page(competition, page_number(), current_app.config["LONG_PAGE_SIZE"], winners=True)
    return render_template("competitions/public_results.html", competition=competition, winners=winners,
                           notice=results.notice_of(competition))


@bp.route("/<int:competition_id>/export/results.xlsx", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def export_results(competition_id: int):
    """The signed-off ranking: the file, or a background job when big (export_or_job)."""
    user = actor()
    competition = run_competition_or_404(competition_id)
    export.require_results(user, competition)
    return export_or_job(competition, count=ranking_pages.result_count(competition.id),
                         make_file=lambda: export.results_file(user, competition),
                         start_job=lambda locale: export.start_results_export(user, competition, locale),
                         file_name=f"results-{competition.id}.xlsx", what=_("成绩"))
