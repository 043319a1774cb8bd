"""Bulk imports from Excel: HR's roster (花名册) and the union's enterprise list; upload, preview, apply."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")

from blueprints.imports import views  # noqa: E402,F401
