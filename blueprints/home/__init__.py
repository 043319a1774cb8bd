"""The home page (fitted to the user's roles) and the health check."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from blueprints.home import views  # noqa: E402,F401
