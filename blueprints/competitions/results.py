"""Results: publish the signed-off ranking for public notice (公示), reopening after an upheld
objection (objections go through the one objection flow, blueprints/notices), final results; the
public pages of prize winners; the export of the ranking."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.access import public, roles_required
from blueprints.common import run_action
from blueprints.competitions import bp
from blueprints.competitions.forms import ReasonForm
from blueprints.competitions.helpers import actor, competition_or_404, flash_form_errors, xlsx
from blueprints.forms import ButtonForm
from models import Role
from models.competitions import FINAL, NOTICED, SIGNED_OFF
from services.competitions import results, spreadsheets
from services.errors import NotFound


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
    competition, ranked = results.public_results(competition_id)
    return render_template("competitions/public_results.html", competition=competition, ranked=ranked,
                           notice=results.notice_of(competition))


@bp.route("/<int:competition_id>/export/results.xlsx")
@roles_required(Role.ADMIN)
def export_results(competition_id: int):
    competition = competition_or_404(competition_id)
    if competition.status not in (SIGNED_OFF, NOTICED, FINAL):
        raise NotFound("")
    return xlsx(spreadsheets.results_workbook(results.ranking(competition)), f"results-{competition.id}.xlsx")
