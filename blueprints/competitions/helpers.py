"""Small helpers shared by the competitions view modules: the acting user, the competition a URL
names (404 when the actor may not see it), a refused form's messages, an Excel download."""

from __future__ import annotations

from flask import Response, flash
from flask_login import current_user

from services.common.spreadsheets import XLSX_TYPE
from services.competitions import setup


def actor():
    """The logged-in user (the object itself, not the proxy)."""
    return current_user._get_current_object()


def competition_or_404(competition_id: int):
    """The competition of the URL as services.competitions.setup.get_competition finds it for the actor."""
    return setup.get_competition(actor(), competition_id)


def flash_form_errors(form) -> None:
    """Flash the messages of a form that did not validate (a POST button with a small form)."""
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "danger")


def xlsx(data: bytes, name: str) -> Response:
    """An .xlsx download that no cache keeps."""
    return Response(data, mimetype=XLSX_TYPE, headers={"Content-Disposition": f"attachment; filename={name}",
                                                  "Cache-Control": "private, no-store"})
