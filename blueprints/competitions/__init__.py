"""Skills competitions (技能竞赛): registered home; its journeys land with their own issue."""

from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/competitions")

from blueprints.competitions import views  # noqa: E402,F401
