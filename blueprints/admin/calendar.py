"""The holiday schedule for public-notice working days: a year's entered days, adding and removing a
day, confirming a year the built-in calendar does not know yet."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.admin import bp
from blueprints.admin.forms import CalendarDayForm
from blueprints.common import flash_form_errors, run_action
from blueprints.forms import BUTTON, ButtonForm
from core import clock
from models import Role
from services.common import workdays


def _year() -> int:
    year = request.args.get("year", type=int) or request.form.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.today().year + (1 if clock.today().month >= 11 else 0)


@bp.route("/calendar")
@roles_required(Role.ADMIN)
def calendar():
    year = _year()
    return render_template("admin/calendar.html", year=year, state=workdays.year_state(year),
                           days=workdays.overrides_of(year), form=CalendarDayForm(), button=BUTTON,
                           provisional_years=workdays.provisional_years(), builtin_until=workdays.last_known_year())


@bp.route("/calendar/days", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_add():
    form = CalendarDayForm()
    if form.validate_on_submit():
        run_action(workdays.set_override, current_user, form.day.data, form.kind.data == "workday", form.note.data,
                   success=_("已保存，正在公示的截止日期已重新计算。"))
    else:
        flash_form_errors(form)
    return redirect(url_for("admin.calendar", year=form.day.data.year if form.day.data else _year()))


@bp.route("/calendar/days/<day>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_remove(day: str):
    from datetime import date

    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        return redirect(url_for("admin.calendar"))
    if ButtonForm().validate_on_submit():
        run_action(workdays.remove_override, current_user, chosen, success=_("已删除。"))
    return redirect(url_for("admin.calendar", year=chosen.year))


@bp.route("/calendar/<int:year>/confirm", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_confirm(year: int):
    if ButtonForm().validate_on_submit():
        run_action(workdays.confirm_year, current_user, year,
                   success=_("%(year)d 年的节假日安排已确认，暂定的公示截止日期已重新计算。", year=year))
    return redirect(url_for("admin.calendar", year=year))
