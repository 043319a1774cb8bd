"""The message centre, a person's notification choices, and the administrator's channels and send log."""

from flask import Blueprint

bp = Blueprint("messages", __name__, url_prefix="/messages")

from blueprints.messages import views  # noqa: E402,F401
