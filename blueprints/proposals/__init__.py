"""Five Small innovation proposals (五小): registered home; its journeys land with their own issue."""

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

from blueprints.proposals import views  # noqa: E402,F401
