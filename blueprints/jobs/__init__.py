"""The person's background jobs: progress while they run, the file once they are done."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from blueprints.jobs import views  # noqa: E402,F401
