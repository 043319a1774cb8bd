"""Server-made PDFs of a competition (services.competitions.documents): the sign-in sheet and the score
sheets for the admin (as the print views), and the competitor's own result notice. Served inline."""

from __future__ import annotations

from flask import url_for

from blueprints.access import roles_required
from blueprints.common import pdf_response
from blueprints.competitions import bp
from blueprints.competitions.helpers import actor, competition_or_404, run_competition_or_404
from models import Role
from services.competitions import documents


@bp.route("/<int:competition_id>/sign-in.pdf")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def sign_in_pdf(competition_id: int):
    competition = run_competition_or_404(competition_id)
    return pdf_response(documents.sign_in_sheet_pdf, actor(), competition, filename=f"{competition.name}-签到表.pdf",
                        back=url_for("competitions.show", competition_id=competition.id))


@bp.route("/<int:competition_id>/score-sheets.pdf")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def score_sheets_pdf(competition_id: int):
    competition = run_competition_or_404(competition_id)
    return pdf_response(documents.score_sheets_pdf, actor(), competition, filename=f"{competition.name}-评分表.pdf",
                        back=url_for("competitions.show", competition_id=competition.id))


@bp.route("/<int:competition_id>/result-notice.pdf")
@roles_required(Role.WORKER)
def result_notice_pdf(competition_id: int):
    user = actor()
    competition = competition_or_404(competition_id)
    documents.own_entry_with_result(user, competition)  # NotFound (404) before anything is built
    return pdf_response(documents.result_notice_pdf, user, competition,
                        filename=f"{competition.name}-{user.name}-成绩通知单.pdf",
                        back=url_for("competitions.show", competition_id=competition.id))
