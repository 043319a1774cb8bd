"""The lists behind the yearly report's titles figures (services.titles.listing): awards (awarded or
revoked) and nominations, each with its Excel export."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import int_arg, keyset_page
from blueprints.competitions.helpers import posted_export
from blueprints.forms import BUTTON
from blueprints.titles import bp
from models import Role
from models.titles import TITLE_LEVELS, Nomination, TitleAward
from models.vocabulary import TITLE_LABELS, reference_label
from services.titles import listing


def _filters() -> listing.TitleFilters:
    return listing.TitleFilters(
        year=int_arg("year"), first=int_arg("first"), last=int_arg("last"), town=int_arg("town"),
        enterprise=int_arg("enterprise"), basis=request.args.get("basis") or listing.AWARDED,
        level=request.args.get("level") if request.args.get("level") in TITLE_LEVELS else None,
        title=(request.args.get("title") or "").strip()[:50] or None)


def _render(which: str, template: str, key):
    user = current_user._get_current_object()
    filters = _filters()
    reported = listing.list_filter(user, filters)
    query = listing.awards_query if which == "awards" else listing.nominations_list_query
    pagination = keyset_page(query(user, filters), key)
    return render_template(template, pagination=pagination, filters=filters, reported=reported,
                           total=listing.shown_count(user, which, filters, reported),
                           levels=TITLE_LEVELS, export_form=BUTTON,
                           title_label=reference_label(TITLE_LABELS, filters.title))


def _export(which: str, endpoint: str):
    user = current_user._get_current_object()
    filters = _filters()
    return posted_export(url_for(endpoint, **request.args), count=lambda: listing.list_count(user, which, filters),
                         inline_rows=listing.INLINE_ROWS, make_file=lambda: listing.list_file(user, which, filters),
                         start_job=lambda locale: listing.start_export(user, which, filters, locale),
                         file_name=f"titles-{which}.xlsx")


@bp.route("/awards")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def award_list():
    """Titles awarded or revoked in the report's years and scope (404 outside the reader's reach)."""
    return _render("awards", "titles/award_list.html", TitleAward.id)


@bp.route("/awards/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_award_list():
    """The awards list as Excel: the file when small, else a background job and its page."""
    return _export("awards", "titles.award_list")


@bp.route("/nominations")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def nomination_list():
    """Nominations made in the report's years and scope (404 outside the reader's reach)."""
    return _render("nominations", "titles/nomination_list.html", Nomination.id)


@bp.route("/nominations/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_nomination_list():
    """The nominations list as Excel: the file when small, else a background job and its page."""
    return _export("nominations", "titles.nomination_list")
