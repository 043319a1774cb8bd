"""Craftsman titles (工匠): rounds, nominations, awards and notice; the public honour roll and
certificate verification; the worker's growth record."""

from flask import Blueprint

bp = Blueprint("titles", __name__, url_prefix="/titles")

from blueprints.titles import higher, lists, round_page, views  # noqa: E402,F401
