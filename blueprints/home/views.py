"""Home page per role; /healthz for load balancers."""

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from blueprints.access import public
from blueprints.home import bp
from models import Role, db
from models.skills import SKILL_LEVELS
from services.accounts import dashboard
from services.messages import todos
from services.report import keys


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    admin = dashboard.admin_summary() if current_user.has_role(Role.ADMIN) else None
    enterprise = None
    if current_user.has_role(Role.HR) and current_user.enterprise_id:
        enterprise = dashboard.enterprise_summary(current_user.enterprise_id)
    town = dashboard.town_summary(current_user.town_id) if current_user.town_id else None
    return render_template("home/index.html", admin=admin, enterprise=enterprise, town=town,
                           town_name=current_user.town_label, todos=todos.todos_for(current_user),
                           key_figures=keys.key_figures(current_user._get_current_object()),
                           skill_levels=SKILL_LEVELS, Role=Role)


@bp.route("/healthz")
@public
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
