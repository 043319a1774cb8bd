"""Union administration: enterprises, accounts and roles, the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from blueprints.admin import calendar, views  # noqa: E402,F401
