"""Views of the titles area."""

from flask import render_template

from blueprints.access import roles_required
from blueprints.titles import bp


@bp.route("/")
@roles_required()
def index():
    return render_template("area_home.html", area="titles")
