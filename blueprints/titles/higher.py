"""Results from levels above the city (上级成绩): the city records its recommendations to the prefecture,
province, nation or international contests and enters their results with evidence; HR sees its own."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import keyset_page, send_stored_file, submit
from blueprints.forms import picked_person_id
from blueprints.titles import bp
from blueprints.titles.forms import HigherRecommendForm, HigherResultForm
from core import clock
from models import Role
from models.honours import HigherResult
from services import policy
from services.honours import results as higher


def _actor():
    from flask_login import current_user

    return current_user._get_current_object()


def _list(form=None, status=200):
    actor = _actor()
    pagination = keyset_page(higher.records_query(actor), HigherResult.id)
    if form is None and policy.is_admin(actor):
        form = HigherRecommendForm(data={"recommended_on": clock.today()})
    return render_template("titles/higher.html", pagination=pagination, form=form), status


@bp.route("/higher")
@roles_required(Role.ADMIN, Role.HR)
def higher_list():
    return _list()


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
