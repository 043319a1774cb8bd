"""Home page per role; /healthz for load balancers."""

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from blueprints.access import public
from blueprints.home import bp
from blueprints.home.rows import skill_rows, todo_items
from models import Role, db
from services.accounts import dashboard
from services.report import keys


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    person = current_user._get_current_object()
    page = dashboard.home(person)  # first: it reads the data version the key figures are memoised under
    return render_template("home/index.html", **page, key_figures=keys.key_figures(person, town=page["town"]),
                           skill_rows=skill_rows, todo_items=todo_items, Role=Role)


@bp.route("/healthz")
@public
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
