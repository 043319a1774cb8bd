"""Views of the proposals area."""

from flask import render_template

from blueprints.proposals import bp
from blueprints.access import roles_required


@bp.route("/")
@roles_required()
def index():
    return render_template("area_home.html", area="proposals")
