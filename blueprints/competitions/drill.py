"""The lists behind the yearly report's competitions figures (services.competitions.listing): the
entries across competitions, and the Excel exports of it and of the held competitions list."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from blueprints.access import roles_required
from blueprints.common import int_arg, keyset_page
from blueprints.competitions import bp
from blueprints.competitions.helpers import actor, posted_export
from blueprints.forms import BUTTON
from models import Role
from models.competitions import CompetitionRegistration
from models.vocabulary import LEVEL_LABELS, PRIZE_LABELS
from services.competitions import list_export, listing
from services.report import drill


def report_args() -> dict:
    """The report filter's arguments of the address (year, first, last, town, enterprise)."""
    return {"year": int_arg("year"), "first": int_arg("first"), "last": int_arg("last"), "town_id": int_arg("town"),
            "enterprise_id": int_arg("enterprise")}


def held_params(reported) -> dict:
    level = request.args.get("level")
    return reported.params | ({"level": level} if level in LEVEL_LABELS else {})


def _entry_filters() -> listing.EntryFilters:
    return listing.EntryFilters(
        figure=request.args.get("figure") or listing.ENTRANTS, year=int_arg("year"), first=int_arg("first"),
        last=int_arg("last"), town=int_arg("town"), enterprise=int_arg("enterprise"),
        level=request.args.get("level") or None, prize=request.args.get("prize") or None)


@bp.route("/entries")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def entry_list():
    """The entries behind the report's entrants and prizes figures (services.competitions.listing): 404
    for a town or enterprise outside the reader's reach."""
    user = actor()
    filters = _entry_filters()
    reported = listing.entries_filter(user, filters)
    pagination = keyset_page(listing.entries_query(user, filters, reported, paged=True, rows=True),
                             CompetitionRegistration.id, rows=True)
    pagination.items = listing.entry_lines(pagination.items)
    summary = listing.entries_summary(filters, reported)
    return render_template("competitions/entry_list.html", pagination=pagination, filters=filters,
                           reported=reported, summary=summary,
                           total=listing.shown_count(user, filters, reported, summary),
                           levels=LEVEL_LABELS, prizes=PRIZE_LABELS,
                           export_form=BUTTON)


@bp.route("/entries/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_entry_list():
    """The entries list as Excel: the file when small, else a background job and its page."""
    user = actor()
    filters = _entry_filters()
    return posted_export(url_for("competitions.entry_list", **request.args),
                         count=lambda: listing.entry_count(user, filters), inline_rows=list_export.INLINE_ROWS,
                         make_file=lambda: list_export.entries_file(user, filters),
                         start_job=lambda locale: list_export.start_entries_export(user, filters, locale),
                         file_name="competition-entries.xlsx")


@bp.route("/held/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_held():
    """The competition list drilled from the report (report=1) as Excel: the file when small, else a job."""
    user = actor()
    back = url_for("competitions.index", **request.args)
    reported = drill.report_filter(user, **report_args())
    if reported is None:
        return redirect(back)
    params = held_params(reported)
    return posted_export(back, count=lambda: list_export.held_count(user, params),
                         inline_rows=list_export.INLINE_ROWS, make_file=lambda: list_export.held_file(user, params),
                         start_job=lambda locale: list_export.start_held_export(user, params, locale),
                         file_name="competitions-held.xlsx")


@bp.route("/promotions/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_promotions():
    """The promotions drilled from the report as Excel: the file when small, else a background job."""
    user = actor()
    back = url_for("competitions.promotions", **request.args)
    reported = drill.report_filter(user, **report_args())
    if reported is None:
        return redirect(back)
    params = reported.params | {"basis": request.args.get("basis") or listing.RECOMMENDED}
    return posted_export(back, count=lambda: list_export.promotions_count(user, params),
                         inline_rows=list_export.INLINE_ROWS,
                         make_file=lambda: list_export.promotions_file(user, params),
                         start_job=lambda locale: list_export.start_promotions_export(user, params, locale),
                         file_name="competition-promotions.xlsx")
