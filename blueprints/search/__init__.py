"""Type-ahead for the searchable pickers (templates/_macros/pickers.html, static/js/pickers.js): JSON
suggestions from the one people search and the enterprise search (services.accounts.search)."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

from blueprints.search import views  # noqa: E402,F401
