"""The city's top ten innovation achievements (全市十大创新成果): a year's list (or, for the report's span
total, the span's years) for every officer, and the
union admin's designation (a candidate found by title or number, its year, position and citation) and
removal (撤销). Every rule is in services/proposals/achievements.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import int_arg, run_action, submit
from blueprints.forms import BUTTON, ButtonForm
from blueprints.proposals import bp
from blueprints.proposals.forms import TopTenForm
from blueprints.proposals.shared import current_actor
from core import clock
from models import Role
from services import policy
from services.proposals import achievements


def _page(span, form=None, status: int = 200):
    actor = current_actor()
    admin = policy.is_admin(actor)
    chosen = achievements.candidate(int_arg("proposal")) if admin else None
    if admin and form is None:
        form = TopTenForm(data={"proposal_id": chosen.id if chosen else None})
    if form is not None and chosen is None:
        chosen = achievements.candidate(form.proposal_id.data)
    text = request.args.get("q", "").strip() if admin else ""
    where, place = achievements.submitted_from(int_arg("town"), int_arg("enterprise"))
    return render_template(
        "proposals/top_ten.html", span=span, year=span.last, years=achievements.years(),
        rows=achievements.span_list(span, where), place=place, this_year=clock.today().year, form=form,
        chosen=chosen, text=text, candidates=achievements.candidates(text) if admin else [],
        remove_form=BUTTON if admin else None), status


@bp.route("/top-ten")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def top_ten():
    """A year's top ten innovation achievements (the current year unless `year` is given), or those of the
    years `first`..`last` (the report's span total; 404 for a wrong span); with `town` or `enterprise` (the
    report's drill-down), those submitted from there."""
    return _page(achievements.listed_years(int_arg("year"), int_arg("first"), int_arg("last")))


@bp.route("/top-ten/designate", methods=["POST"])
@roles_required(Role.ADMIN)
def top_ten_designate():
    form = TopTenForm()
    if form.validate_on_submit():
        ok, achievement = submit(form, achievements.designate, current_actor(),
                                 achievements.candidate(form.proposal_id.data), form.year.data, form.position.data,
                                 form.citation.data)
        if ok:
            flash(_("已评选入选%(year)s年全市十大创新成果。", year=achievement.year), "success")
            return redirect(url_for("proposals.top_ten", year=achievement.year))
    return _page(achievements.listed_years(form.year.data), form, 400)


@bp.route("/top-ten/<int:achievement_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def top_ten_remove(achievement_id: int):
    achievement = achievements.get_achievement(achievement_id)
    year = achievement.year
    if ButtonForm().validate_on_submit():
        run_action(achievements.remove, current_actor(), achievement, success=_("已撤销。"))
    return redirect(url_for("proposals.top_ten", year=year))
