"""Server-made PDFs of a competition (services.competitions.documents): the sign-in sheet and the score
sheets for the admin (as the print views), and the competitor's own result notice. Served inline, in the
reader's UI language."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import pdf_response
from blueprints.competitions import bp
from blueprints.competitions.helpers import actor, competition_or_404, run_competition_or_404
from models import Role
from services.common.pdf.language import reader_locale
from services.competitions import documents


@bp.route("/<int:competition_id>/sign-in.pdf")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def sign_in_pdf(competition_id: int):
    competition = run_competition_or_404(competition_id)
    return pdf_response(documents.sign_in_sheet_pdf, actor(), competition, locale=reader_locale(),
                        filename=_("%(name)s-签到表.pdf", name=competition.name),
                        back=url_for("competitions.show", competition_id=competition.id))


@bp.route("/<int:competition_id>/score-sheets.pdf")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def score_sheets_pdf(competition_id: int):
    competition = run_competition_or_404(competition_id)
    return pdf_response(documents.score_sheets_pdf, actor(), competition, locale=reader_locale(),
                        filename=_("%(name)s-评分表.pdf", name=competition.name),
                        back=url_for("competitions.show", competition_id=competition.id))


@bp.route("/<int:competition_id>/result-notice.pdf")
@roles_required(Role.WORKER)
def result_notice_pdf(competition_id: int):
    user = actor()
    competition = competition_or_404(competition_id)
    documents.own_entry_with_result(user, competition)  # NotFound (404) before anything is built
    return pdf_response(documents.result_notice_pdf, user, competition, locale=reader_locale(),
                        filename=_("%(name)s-%(person)s-成绩通知单.pdf", name=competition.name, person=user.name),
                        back=url_for("competitions.show", competition_id=competition.id))
