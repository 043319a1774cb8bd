"""Helpers shared by views: mapping domain errors onto forms, safe redirects, pagination args."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select

from core.statements import shared_statement
from models import db
from services import policy
from services.accounts import search
from services.common import once, uploads
from services.common.urls import external_url
from services.errors import DomainError, NotAllowed, NotFound


def _field_named(form, name: str):
    """The field of `form` called `name`, also inside a FieldList or FormField (e.g. coauthors-0-user_id)."""
    for field in form:
        if field.name == name:
            return field
        if field.type in ("FieldList", "FormField") and name.startswith(f"{field.name}-"):
            found = _field_named(field, name)
            if found is not None:
                return found
    return None


def show_error_on_form(form, error: DomainError) -> None:
    """Put the service's message beside its field, or at the top of the form."""
    field = (getattr(form, error.field, None) or _field_named(form, error.field)) if error.field else None
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
               once_form=None, **kwargs) -> Outcome:
    """Run one service call for this request: the one error path of every view.

    On success: commit once, flash `success` if given, return Outcome(True, value).
    On a RuleViolation (or any DomainError other than the two below): roll back (or commit, when
    `keep_on_error`, for the audit record of a refused login), show the message beside its field of
    `form` (or at the top of the form), else flash it unless `flash_error` is False, and return
    Outcome(False, error=...). NotFound and NotAllowed are never shown as messages: they propagate
    and the app answers 404 / 403.

    With `once_form` (a create form, blueprints.forms.OnceForm), its one-time token is recorded with
    what the action creates (services.common.once); a second use of it raises FormReplayed before
    anything is written, and the app answers it by showing what the first use created
    (`answer_replay`).
    """
    token_field = getattr(once_form, "form_token", None)
    token = token_field.data if token_field is not None else None
    try:
        claimed = once.claim(token, getattr(current_user, "id", None)) if token else None
        value = action(*args, **kwargs)
        once.settle(claimed, value)
    except once.FormReplayed as replay:
        db.session.rollback()
        raise (once.first_use(replay.token) if replay.kind is None else replay) from None
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


def _replay_target(kind: str | None, object_id: int | None) -> str | None:
    """Where the first use of a replayed form leads: the page of what it created."""
    from models import Objection
    from services.common import notices

    if kind is None or object_id is None:
        return None
    simple = {"proposal": ("proposals.show", "proposal_id"), "mentor_pair": ("mentorship.pair_show", "pair_id"),
              "nomination": ("titles.nomination_detail", "nomination_id"),
              "enterprise": ("admin.enterprise_edit", "enterprise_id"),
              "transfer": ("workers.transfer_show", "transfer_id"),
              "import_batch": ("imports.batch", "batch_id"), "training_programme": ("training.show", "programme_id")}
    if kind in simple:
        endpoint, name = simple[kind]
        return url_for(endpoint, **{name: object_id})
    if kind == "user":
        return url_for("admin.user_detail" if policy.is_admin(current_user) else "workers.show", user_id=object_id)
    if kind == "competition_registration":
        from models.competitions import CompetitionRegistration

        entry = db.session.get(CompetitionRegistration, object_id)
        return url_for("competitions.show", competition_id=entry.competition_id) if entry else None
    if kind in ("training_class", "training_enrolment"):
        from models.training import TrainingClass, TrainingEnrolment

        row = db.session.get(TrainingClass if kind == "training_class" else TrainingEnrolment, object_id)
        return url_for("training.show", programme_id=row.programme_id) if row else None
    if kind == "excellent_nomination":
        from models.mentorship import ExcellentNomination

        nomination = db.session.get(ExcellentNomination, object_id)
        return url_for("mentorship.pair_show", pair_id=nomination.pair_id) if nomination else None
    if kind == "objection":
        objection = db.session.get(Objection, object_id)
        if objection is not None:
            endpoint, args = notices.subject_of(objection.notice).back_to(objection.notice.subject_id)
            return url_for(endpoint, **args)
    return None


def answer_replay(replay: once.FormReplayed):
    """The app's answer to a form sent a second time (a double click, two tabs): no error, no second
    record; a note and the page of what the first sending created (else the page it came from)."""
    flash(_("这份表单已经提交过了，没有重复保存。下面是已保存的内容。"), "info")
    target = _replay_target(replay.kind, replay.object_id)
    if target is None:
        referrer = request.referrer or ""
        path = referrer.removeprefix(request.host_url.rstrip("/")) if referrer.startswith(request.host_url) else ""
        target = path if is_safe_next(path) else url_for("home.index")
    return redirect(target, code=303)


def hold_uploads(form, name: str, *, allowed: tuple[str, ...], uploader) -> list:
    """The files of the multipart `form`'s file input `name`, kept across refusals: those held at an
    earlier sending and still ticked (checkboxes "<name>_held", templates/_macros/ui.html held_uploads)
    plus those chosen now, each checked and held (services.common.uploads.hold_upload). A refused file's
    message goes beside the field; the form's `held_error` is then True. Call it after validating the
    form (validation resets the fields' errors). Returns the HeldFile list, also kept as `form.held`."""
    held = uploads.held_files(uploader, request.form.getlist(f"{name}_held"))
    form.held_error = False
    for file_storage in [f for f in request.files.getlist(name) if f and f.filename]:
        outcome = run_action(uploads.hold_upload, uploader, file_storage, allowed=allowed, field=name, form=form)
        if outcome:
            held.append(outcome.value)
        else:
            form.held_error = True
    form.held = held
    return held


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


class RowsPagination(SelectPagination):
    """A page of a select of plain columns: its items are the rows themselves (not the first column of
    each, as db.paginate gives), its total one COUNT over the select."""

    def _query_items(self) -> list:
        select_ = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select_).all())

    def _query_count(self) -> int:
        counted = self._query_args["select"].order_by(None).subquery()
        return self._query_args["session"].execute(sa_select(func.count()).select_from(counted)).scalar()


class WindowCountedRowsPagination(RowsPagination):
    """A page of a select of plain columns (RowsPagination) whose total comes with its rows: one more
    column, COUNT(*) OVER () named window_total (the matching rows before LIMIT), last in each row, so one
    statement instead of two; only a page past the end (no rows) counts apart. For short lists (every
    matching row is read anyway)."""

    def _query_items(self) -> list:
        select_ = (self._query_args["select"].add_columns(func.count().over().label("window_total"))
                   .limit(self.per_page).offset(self._query_offset))
        rows = self._query_args["session"].execute(select_).all()
        self._window_total = rows[0][-1] if rows else None
        return rows

    def _query_count(self) -> int:
        return super()._query_count() if self._window_total is None else self._window_total


class CountedRowsPagination(RowsPagination):
    """A page of a select of plain columns (RowsPagination) whose total is already known: not counted."""

    def _query_count(self) -> int:
        return self._query_args["total"]


class CountedPagination(SelectPagination):
    """A page of a select whose total is already known (e.g. memoised per data version): not counted again."""

    def _query_count(self) -> int:
        return self._query_args["total"]


def paginate(stmt, *, long: bool = False, rows: bool = False, total: int | None = None, short: bool = False):
    """One page of `stmt` for the `page` query argument; the page size comes from the configuration
    (PAGE_SIZE, or LONG_PAGE_SIZE for long tables such as rankings and the audit log). With `rows`, `stmt`
    selects plain columns and the page's items are its rows (RowsPagination), no ORM objects; with `short`
    too (a list of at most a few thousand rows), the total is counted in the same statement, one more last
    column of each row (WindowCountedRowsPagination). With `total`, the number of rows the caller already
    knows (no COUNT; with `rows` too)."""
    per_page = current_app.config["LONG_PAGE_SIZE" if long else "PAGE_SIZE"]
    if rows and short and total is None:
        return WindowCountedRowsPagination(select=stmt, session=db.session(), page=page_number(), per_page=per_page,
                                           error_out=False)
    if total is not None and not rows:  # the caller knows how many there are
        return CountedPagination(select=stmt, session=db.session(), page=page_number(), per_page=per_page,
                                 error_out=False, total=total)
    if total is not None:  # rows whose number the caller knows
        return CountedRowsPagination(select=stmt, session=db.session(), page=page_number(), per_page=per_page,
                                     error_out=False, total=total)
    if rows:
        return RowsPagination(select=stmt, session=db.session(), page=page_number(), per_page=per_page,
                              error_out=False)
    return db.paginate(stmt, page=page_number(), per_page=per_page, error_out=False)


@dataclass
class KeysetPage:
    """One page of a list walked by a unique key (keyset pagination): `items`, and the links to the
    next and previous pages and back to the first one (None where there is none)."""

    items: list
    next_url: str | None = None
    prev_url: str | None = None
    first_url: str | None = None


def keyset_page(stmt, key, *, long: bool = False, descending: bool = True, rows=False, kept=None,
                params=None, per_page: int | None = None) -> KeysetPage:
    """One page of `stmt` in the order of the unique integer column `key` (e.g. User.id; newest first
    unless `descending` is False), after the `after` or before the `before` query argument: one query
    reading at most a page + 1 rows through an index on the key, never a COUNT of every matching row nor
    an OFFSET deep into a big table (docs/domain.md, "Scale the platform is built for"). `stmt`'s own
    ordering is replaced. The page size is PAGE_SIZE (LONG_PAGE_SIZE for long tables), or `per_page` when the caller
    sizes its pages itself (the score sheet: services.competitions.ranking_pages.sheet_page_size). `stmt` selects one
    entity; or, with `rows`, plain columns (`key` among them, under its own name) and the items are its
    rows, or `rows(*values)` when `rows` is a class (e.g. a services.common.rows.PlainRow with a field
    named as `key`). With `kept` (a key of core.statements.shared_statement), `stmt` is a callable making
    the statement with bind parameters (`params` their values) and the page's statement is kept."""
    per_page = per_page or current_app.config["LONG_PAGE_SIZE" if long else "PAGE_SIZE"]
    after, before = (request.args.get(name, type=int) for name in ("after", "before"))
    forward = before is None
    cursor = after if forward else before
    params = dict(params or {}, keyset_cursor=cursor)

    def page_statement(base):
        mark = bindparam("keyset_cursor")
        if cursor is not None:
            base = base.where(key < mark if descending == forward else key > mark)
        order = key.desc() if descending == forward else key.asc()
        return base.order_by(None).order_by(order).limit(per_page + 1)

    if kept is not None:
        stmt = shared_statement((*kept, "keyset", descending == forward, cursor is not None, per_page),
                                lambda: page_statement(stmt()))
    else:
        stmt = page_statement(stmt)
    if callable(rows) and kept is not None:  # on the session's connection after a flush: no ORM result processing
        found = [rows(*values) for values in db.session.flush() or db.session.connection().execute(stmt, params).all()]
    elif callable(rows):
        found = [rows(*values) for values in db.session.execute(stmt, params)]
    else:
        found = db.session.execute(stmt, params).all() if rows else list(db.session.scalars(stmt, params).unique())
    more = len(found) > per_page
    items = found[:per_page]
    if not forward:
        items.reverse()
    has_next = more if forward else True
    has_prev = (after is not None) if forward else more
    page = KeysetPage(items)
    if items:
        page.next_url = _page_link("after", getattr(items[-1], key.key)) if has_next else None
        page.prev_url = _page_link("before", getattr(items[0], key.key)) if has_prev else None
    if after is not None or before is not None:
        page.first_url = _page_link(None, None)
    return page


def _page_link(name: str | None, value) -> str:
    """This page's URL with its filters, `after` or `before` set to `value` (and no `page`)."""
    args = {k: v for k, v in request.args.items() if k not in ("after", "before", "page")}
    if name:
        args[name] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def page_number() -> int:
    page = request.args.get("page", 1, type=int)
    if page is None or page < 1:
        abort(404)
    return page


def int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


def enterprise_filter(actor, name: str = "enterprise"):
    """The enterprise picker of a list's filter: the `name` (id) and `<name>_q` (text) query
    arguments resolved by services.accounts.search.resolve_enterprise (union admins). Its `.ids`
    filter the list: the chosen enterprise, or every match of the text."""
    return search.resolve_enterprise(actor, request.args.get(f"{name}_q"), int_arg(name))


def person_filter(actor, name: str, purpose: str = "people"):
    """A person picker of a list's filter, as `enterprise_filter` (services.accounts.search.resolve_person)."""
    return search.resolve_person(actor, request.args.get(f"{name}_q"), int_arg(name), purpose=purpose)


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


def pdf_response(make, *args, filename: str, back: str, **kwargs):
    """A server-made PDF, after the caller's permission check: `make(*args, **kwargs)` builds its bytes (through
    `run_action`, so a refusal, e.g. a character no font can print, is flashed and the user is sent to
    `back`). Served inline (WeChat's browser often cannot save downloads) with the file name in UTF-8
    (RFC 6266 filename*) and an ASCII fallback; never cached."""
    from urllib.parse import quote

    from flask import Response, redirect

    outcome = run_action(make, *args, **kwargs)
    if not outcome:
        return redirect(back)
    ascii_name = "".join(char if char.isascii() and (char.isalnum() or char in "-_.") else "_" for char in filename)
    response = Response(outcome.value, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def activation_url() -> str:
    """The activation page's address printed on slips (services.common.urls: PUBLIC_BASE_URL when set,
    else this request's host)."""
    return external_url("auth.activate")
