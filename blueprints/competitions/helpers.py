"""Small helpers shared by the competitions view modules: the acting user, the competition a URL
names (404 when the actor may not see it), a refused form's messages, an Excel download, and an
export that is a file when small and a background job when big."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from blueprints.common import run_action
from blueprints.forms import ButtonForm
from services.common.spreadsheets import XLSX_TYPE
from services.competitions import export, setup
from services.competitions import policy as competitions_policy


def actor():
    """The logged-in user (the object itself, not the proxy)."""
    return current_user._get_current_object()


def competition_or_404(competition_id: int, *, with_trade: bool = False):
    """The competition of the URL as services.competitions.setup.get_competition finds it for the actor
    (`with_trade`: with its trade, for a page that shows it)."""
    return setup.get_competition(actor(), competition_id, with_trade=with_trade)


def run_competition_or_404(competition_id: int):
    """The competition of the URL for one of its owner's pages: NotFound when it does not exist for the
    actor, NotAllowed unless the actor runs it (services.competitions.policy.require_runner)."""
    competition = competition_or_404(competition_id)
    competitions_policy.require_runner(actor(), competition)
    return competition


def flash_form_errors(form) -> None:
    """Flash the messages of a form that did not validate (a POST button with a small form)."""
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "danger")


def xlsx(data: bytes, name: str) -> Response:
    """An .xlsx download that no cache keeps."""
    return Response(data, mimetype=XLSX_TYPE, headers={"Content-Disposition": f"attachment; filename={name}",
                                                  "Cache-Control": "private, no-store"})


def export_or_job(competition, *, count: int, make_file, start_job, file_name: str, what: str):
    """The one shape of every competitions export: up to services.competitions.export.INLINE_ROWS rows a
    GET answers the file (`make_file()`); more rows, GET shows what the export holds with its button and
    POST starts the job (`start_job(locale)`, run through run_action) and shows its page."""
    if count <= export.INLINE_ROWS and request.method == "GET":
        return xlsx(make_file(), file_name)
    form = ButtonForm()
    if form.validate_on_submit():
        outcome = run_action(start_job, str(get_locale()))
        if outcome:
            return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return render_template("competitions/export.html", competition=competition, form=form, count=count, what=what,
                           endpoint=request.endpoint)


def posted_export(back: str, *, count, inline_rows: int, make_file, start_job, file_name: str):
    """The one shape of the report's drilled lists' exports (a POST with the list's filters): a refused form
    goes `back`; up to `inline_rows` rows (`count()`) the file itself (`make_file()`); more, the job
    (`start_job(locale)`, run through run_action) and its page."""
    if not ButtonForm().validate_on_submit():
        return redirect(back)
    if count() <= inline_rows:
        return xlsx(make_file(), file_name)
    outcome = run_action(start_job, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=outcome.value.id) if outcome else back)
