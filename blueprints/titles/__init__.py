"""Craftsman titles (工匠) and growth records: registered home; its journeys land with their own issue."""

from flask import Blueprint

bp = Blueprint("titles", __name__, url_prefix="/titles")

from blueprints.titles import views  # noqa: E402,F401
