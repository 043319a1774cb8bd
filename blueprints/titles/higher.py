"""Results from levels above the city (上级成绩): the city records its recommendations to the prefecture,
province, nation or international contests and enters their results with evidence; HR sees its own."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import int_arg, keyset_page, send_stored_file, submit
from blueprints.competitions.helpers import posted_export
from blueprints.forms import BUTTON, blank_fields, picked_person_id
from blueprints.titles import bp
from blueprints.titles.forms import HigherRecommendForm, HigherResultForm
from core import clock
from core.l10n import lazy_gettext as _l
from models import Role
from models.honours import HIGHER_LEVELS, HIGHER_PRIZE_LABELS, SUBJECT_COMPETITOR, SUBJECT_PROPOSAL, HigherResult
from models.vocabulary import LEVEL_LABELS
from services import policy
from services.honours import export as honours_export
from services.honours import results as higher
from services.report import scope as report_scope

SUBJECT_LABELS = {SUBJECT_PROPOSAL: _l("提案"), SUBJECT_COMPETITOR: _l("选手")}


def _actor():
    from flask_login import current_user

    return current_user._get_current_object()


def _filters() -> higher.RecordFilters:
    """The list's filters from the address (unknown codes are ignored)."""
    def code(name, known):
        value = request.args.get(name) or None
        return value if value in known else None

    return higher.RecordFilters(
        level=code("level", HIGHER_LEVELS), prize=code("prize", HIGHER_PRIZE_LABELS),
        subject=code("subject", SUBJECT_LABELS), year=int_arg("year"), first=int_arg("first"), last=int_arg("last"),
        town_id=int_arg("town"), enterprise_id=int_arg("enterprise"))


def _scope(actor, filters: higher.RecordFilters):
    """The report's scope a drilled list names (its "统计报告口径" line; NotFound outside the reader's
    reach, as the report), None for a list without the report's years."""
    if not (filters.year or filters.first):
        return None
    return report_scope.resolve(actor, town_id=filters.town_id, enterprise_id=filters.enterprise_id)


def _list(form=None, status=200):
    actor = _actor()
    filters = _filters()
    pagination = keyset_page(higher.record_rows_query(actor, filters), HigherResult.id, rows=higher.RecordRow)
    if form is None and policy.is_admin(actor):
        form = HigherRecommendForm(data={"recommended_on": clock.today()})
    return render_template("titles/higher.html", pagination=pagination, form=form, filters=filters,
                           total=honours_export.shown_count(actor, filters), report_scope=_scope(actor, filters),
                           levels={code: LEVEL_LABELS[code] for code in HIGHER_LEVELS}, prizes=HIGHER_PRIZE_LABELS,
                           subjects=SUBJECT_LABELS, export_form=BUTTON, blank_fields=blank_fields), status


@bp.route("/higher")
@roles_required(Role.ADMIN, Role.HR)
def higher_list():
    """The records the reader sees (admins all, HR their enterprise's), filtered (level, prize, subject, the
    year announced, and the report's scope: services.honours.results.RecordFilters)."""
    return _list()


@bp.route("/higher/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR)
def higher_export():
    """The list as filtered in the address as Excel (services.honours.export): the file when small, else a
    background job and its page."""
    actor, filters = _actor(), _filters()
    return posted_export(url_for("titles.higher_list", **request.args),
                         count=lambda: honours_export.row_count(actor, filters), inline_rows=honours_export.INLINE,
                         make_file=lambda: honours_export.list_file(actor, filters),
                         start_job=lambda locale: honours_export.start_list_export(actor, filters, locale),
                         file_name=honours_export.FILE_NAME)


@bp.route("/higher/new", methods=["POST"])
@roles_required(Role.ADMIN)
def higher_new():
    """The admin records a competitor's recommendation to a higher level."""
    actor = _actor()
    form = HigherRecommendForm()
    if form.validate_on_submit():
        ok, record = submit(form, lambda: higher.recommend_competitor(
            actor, picked_person_id(actor, form.person_id, "workers"), form.level.data, form.contest.data,
            form.recommended_on.data))
        if ok:
            flash(_("已记录推荐。成绩公布后请录入成绩。"), "success")
            return redirect(url_for("titles.higher_result", record_id=record.id))
    return _list(form, 400)


@bp.route("/higher/<int:record_id>/result", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def higher_result(record_id: int):
    record = higher.get_record(_actor(), record_id)
    form = HigherResultForm(data={"prize": record.prize, "result_on": record.result_on})
    if form.validate_on_submit():
        ok, _record = submit(form, higher.record_result, _actor(), record, form.prize.data, form.result_on.data,
                             form.evidence.data)
        if ok:
            flash(_("成绩已保存。"), "success")
            return redirect(url_for("titles.higher_list"))
    return render_template("titles/higher_result.html", record=record, form=form)


@bp.route("/higher/<int:record_id>/evidence")
@roles_required(Role.ADMIN, Role.HR)
def higher_evidence(record_id: int):
    return send_stored_file(higher.evidence_file(_actor(), record_id))
