"""Public notice (公示) objections, one flow for every area: filing an objection under one's real name
while a notice runs, and the notice owner's resolution. Views in views.py; what each kind of subject
means (who sees it, who resolves, its page, the messages) is registered by its area in
services.common.notices."""

from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/notices")

from blueprints.notices import views  # noqa: E402,F401
