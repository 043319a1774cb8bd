"""Worker accounts managed by enterprise HR (own enterprise only) and by union admins."""

from flask import Blueprint

bp = Blueprint("workers", __name__, url_prefix="/workers")

from blueprints.workers import moves, views  # noqa: E402,F401
