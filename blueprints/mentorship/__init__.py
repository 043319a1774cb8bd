"""Mentor-apprentice pairing (名师带徒): registered home; its journeys land with their own issue."""

from flask import Blueprint

bp = Blueprint("mentorship", __name__, url_prefix="/mentorship")

from blueprints.mentorship import views  # noqa: E402,F401
