"""The one public verification page of every kind of certificate (services.common.verification)."""

from flask import Blueprint

bp = Blueprint("verify", __name__, url_prefix="/verify")

from blueprints.verify import views  # noqa: E402,F401
