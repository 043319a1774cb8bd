"""Helpers shared by views: mapping domain errors onto forms, safe redirects, pagination args."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, request

from models import db
from services.errors import DomainError, NotAllowed, NotFound


def show_error_on_form(form, error: DomainError) -> None:
    """Put the service's message beside its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors = list(getattr(form, "form_errors", [])) + [str(error.message)]


@dataclass
class Outcome:
    """What a service call gave back to a view: truthy when it succeeded (and was committed).

    `value` is the service's return value; `error` the DomainError that refused it (already rolled
    back and shown to the user).
    """

    ok: bool
    value: Any = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok


def run_action(action, *args, success=None, form=None, flash_error: bool = True, keep_on_error: bool = False,
               **kwargs) -> Outcome:
    """Run one service call for this request: the one error path of every view.

    On success: commit once, flash `success` if given, return Outcome(True, value).
    On a RuleViolation (or any DomainError other than the two below): roll back (or commit, when
    `keep_on_error`, for the audit record of a refused login), show the message beside its field of
    `form` (or at the top of the form), else flash it unless `flash_error` is False, and return
    Outcome(False, error=...). NotFound and NotAllowed are never shown as messages: they propagate
    and the app answers 404 / 403.
    """
    try:
        value = action(*args, **kwargs)
    except (NotFound, NotAllowed):
        db.session.rollback()
        raise
    except DomainError as error:
        if keep_on_error:
            db.session.commit()
        else:
            db.session.rollback()
        if form is not None:
            show_error_on_form(form, error)
        elif flash_error:
            flash(str(error.message), "danger")
        return Outcome(False, error=error)
    db.session.commit()
    if success:
        flash(str(success), "success")
    return Outcome(True, value)


def submit(form, action, *args, **kwargs) -> tuple[bool, Any]:
    """`run_action` for a form: the error goes beside its field. Returns (ok, the service's result)."""
    outcome = run_action(action, *args, form=form, **kwargs)
    return outcome.ok, outcome.value


def flash_form_errors(form) -> None:
    """For a small form posted from a page it redirects back to: flash each field's own message."""
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "danger")


def is_safe_next(target: str | None) -> bool:
    """Only a relative path on this site (no scheme, no host, no '//' or backslash tricks)."""
    if not target:
        return False
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


def paginate(stmt, *, long: bool = False):
    """One page of `stmt` for the `page` query argument; the page size comes from the configuration
    (PAGE_SIZE, or LONG_PAGE_SIZE for long tables such as rankings and the audit log)."""
    per_page = current_app.config["LONG_PAGE_SIZE" if long else "PAGE_SIZE"]
    return db.paginate(stmt, page=page_number(), per_page=per_page, error_out=False)


@dataclass
class KeysetPage:
    """One page of a list walked by a unique key instead of OFFSET and COUNT: `items`, and the keys
    that open the neighbouring pages (`next_after`, `prev_before`; None at either end)."""

    items: list
    next_after: Any = None
    prev_before: Any = None

    @property
    def has_next(self) -> bool:
        return self.next_after is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_before is not None


def keyset_paginate(stmt, column, *, descending: bool = True, per_page: int | None = None) -> KeysetPage:
    """One page of `stmt` in the order of the unique integer `column` (e.g. Proposal.id), for the query
    arguments `after` (the page after that key) or `before` (the page before it); the first page
    without either. Whatever the page, one query reading at most per_page + 1 rows through an index
    on the column: no deep OFFSET and no COUNT. `stmt`'s own ordering is replaced."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    after = request.args.get("after", type=int)
    before = request.args.get("before", type=int)
    forward = before is None
    if forward and after is not None:
        stmt = stmt.where(column < after if descending else column > after)
    elif not forward:
        stmt = stmt.where(column > before if descending else column < before)
    order = column.desc() if descending == forward else column.asc()
    rows = list(db.session.scalars(stmt.order_by(None).order_by(order).limit(per_page + 1)).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    page = KeysetPage(rows)
    if rows:
        first, last = getattr(rows[0], column.key), getattr(rows[-1], column.key)
        page.next_after = last if (more or not forward) else None
        page.prev_before = first if (more if not forward else after is not None) else None
    return page


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

    from services.common.uploads import stored_path

    inline = stored.kind in {"image", "pdf"}
    response = send_file(stored_path(stored), mimetype=stored.content_type, as_attachment=not inline,
                         download_name=download_name or stored.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
