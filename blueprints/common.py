"""Helpers shared by views: mapping domain errors onto forms, safe redirects, pagination args."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, request

from models import db
from services.errors import DomainError, NotAllowed, NotFound


def show_error_on_form(form, error: DomainError) -> None:
    """Put the service's message beside its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors = list(getattr(form, "form_errors", [])) + [str(error.message)]


def submit(form, action, *args, **kwargs):
    """Run a service call for a form; commit on success, roll back and show the error otherwise.

    Returns (True, result) or (False, None). NotFound/NotAllowed become 404/403.
    """
    try:
        result = action(*args, **kwargs)
    except (NotFound, NotAllowed):
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        show_error_on_form(form, error)
        return False, None
    db.session.commit()
    return True, result


def run_action(action, *args, success=None, **kwargs) -> bool:
    """Run a service call from a button (no form fields): commit and flash, or flash the error."""
    try:
        action(*args, **kwargs)
    except (NotFound, NotAllowed):
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return False
    db.session.commit()
    if success:
        flash(str(success), "success")
    return True


def is_safe_next(target: str | None) -> bool:
    """Only a relative path on this site (no scheme, no host, no '//' or backslash tricks)."""
    if not target:
        return False
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


def page_number() -> int:
    page = request.args.get("page", 1, type=int)
    if page is None or page < 1:
        abort(404)
    return page


def int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


def send_stored_file(stored, download_name: str | None = None):
    """Send an uploaded file after the caller's permission check: images and PDFs inline,
    everything else as a download, never sniffed by the browser. `download_name` replaces the
    uploaded name (e.g. for blind judges, so the name cannot reveal the author)."""
    from flask import send_file

    from services.uploads import stored_path

    inline = stored.kind in {"image", "pdf"}
    response = send_file(stored_path(stored), mimetype=stored.content_type, as_attachment=not inline,
                         download_name=download_name or stored.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
