"""Skills competitions (技能竞赛): setting up, registration and waitlist, judging, results, certificates
and promotion. Views in views.py, forms in forms.py, rules in services/competitions*.py."""

from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/competitions")

from blueprints.competitions import views  # noqa: E402,F401
