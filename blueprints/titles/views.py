"""Views of the titles area."""

from flask import render_template

from blueprints.titles import bp
from blueprints.access import roles_required


@bp.route("/")
@roles_required()
def index():
    return render_template("area_home.html", area="titles")
