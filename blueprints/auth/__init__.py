"""Logging in and out, the user's own profile and password, the language switch."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from blueprints.auth import moves, views  # noqa: E402,F401
