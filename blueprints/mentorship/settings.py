"""The union admin's mentoring settings page."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import submit
from blueprints.mentorship import bp, current_actor
from blueprints.mentorship.forms import SettingsForm
from models import Role
from services.mentorship.settings import get_settings, update_settings


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings():
    form = SettingsForm(obj=get_settings())
    if form.validate_on_submit():
        ok, _result = submit(form, update_settings, current_actor(), success=_("已保存带徒设置。"),
                             max_active_apprentices=form.max_active_apprentices.data,
                             grace_days=form.grace_days.data, dissolution_months=form.dissolution_months.data,
                             excellent_quota=form.excellent_quota.data, **form.training_data())
        if ok:
            return redirect(url_for("mentorship.settings"))
    return render_template("mentorship/settings.html", form=form)
