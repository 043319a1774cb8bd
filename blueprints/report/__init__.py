"""The union's yearly report (年度统计报告): HTTP only, every figure is in services/report/."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, int_arg, run_action
from blueprints.forms import BUTTON, ButtonForm
from models import Role
from models.honours import HIGHER_LEVELS, HIGHER_PRIZE_LABELS
from models.vocabulary import COMPETITION_LEVELS, PRIZES
from services import policy
from services import report as reports
from services.accounts import enterprises
from services.common import figures_cache
from services.mentorship import drill as mentorship_drill
from services.proposals.reported import LEVEL_RANK, PRIZE_RANK
from services.report import charts, export, pdf
from services.report import scope as report_scope
from services.training import report_records as training_records

bp = Blueprint("report", __name__, url_prefix="/report")


@bp.route("/")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def show():
    """The report of one scope (the reader's own node, or a town or an enterprise below it) for a year or a
    span of years (services.report.build: 403 for a reader without an office, 404 outside their reach)."""
    actor = current_user._get_current_object()
    node = policy.management_scope(actor)
    picker = enterprise_filter(actor) if node.kind in (policy.CITY, policy.TOWN) else None
    # an id asked for is checked by the service (404 outside the reader's reach); typed text picks one
    enterprise_id = int_arg("enterprise")
    if enterprise_id is None and picker is not None and picker.chosen is not None:
        enterprise_id = picker.chosen.id
    span, span_error = reports.periods.requested_span(int_arg("first"), int_arg("last"))
    report = reports.build(actor, town_id=int_arg("town"), enterprise_id=enterprise_id, first=span.first,
                           last=span.last)
    towns = enterprises.town_rows() if node.kind == policy.CITY else []
    shown_town = report_scope.town_of(report.scope) if towns else None
    return render_template("report/show.html", report=report, towns=towns, picker=picker, span_error=span_error,
                           shown_town=shown_town, asked_town=int_arg("town"),
                           export_form=BUTTON, sections_html=_sections_html(report))


def _sections_html(report) -> Markup:
    """The report's parts as HTML, rendered once per data version, scope, span, language and the reader's
    roles (the only thing of the reader the parts show: which lists they may open, `_may_open`) and then
    served from services.common.figures_cache (shared between app servers through Redis when configured):
    the ~1,000 formatted numbers and their labels cost nothing while no counted record changes, and are
    computed and rendered afresh, once for every app server, right after one does. Nothing else of the
    reader (no form, no token) is in these parts."""
    roles = tuple(sorted(str(role) for role in current_user.roles))
    key = ("report-html", report.scope.key, report.span.first, report.span.last, str(get_locale()), roles)
    version = figures_cache.current_version()

    def chart_url(section_key: str, chart_key: str) -> str:
        """The address of one chart: the report's scope and span, and the data version (`v`, so a browser
        keeps the image exactly as long as the numbers beside it stay the same)."""
        return url_for("report.chart", section_key=section_key, chart_key=chart_key, v=version,
                       first=report.span.first, last=report.span.last, **_scope_args(report))

    return figures_cache.memoised(key, lambda: Markup(render_template(
        "report/_sections.html", report=report, chart_url=chart_url, drill_down=drill_down,
        series_drill=series_drill, breakdown_drawn=charts.breakdown_drawn)))


def _scope_args(report) -> dict:
    scope = report.scope
    return {scope.kind: scope.id} if scope.kind in ("town", "enterprise") else {}


@bp.route("/chart/<section_key>/<chart_key>.svg")
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def chart(section_key: str, chart_key: str):
    """One chart of the report the address names, as SVG (services.report.charts.chart_of): the same
    scope and span arguments as the page, checked the same way (403 without an office, 404 outside the
    reader's reach or for a chart the report does not draw). The page links its charts instead of
    embedding them, so it stays small on a phone; the browser keeps an image for a day, privately, under an
    address that changes with the data version; the SVG is memoised (and shared) like the page's parts."""
    span, _error = reports.periods.requested_span(int_arg("first"), int_arg("last"))
    report = reports.build(current_user._get_current_object(), town_id=int_arg("town"),
                           enterprise_id=int_arg("enterprise"), first=span.first, last=span.last)
    key = ("report-chart", report.scope.key, span.first, span.last, section_key, chart_key, str(get_locale()))
    svg = figures_cache.memoised(key, lambda: charts.chart_of(report, section_key, chart_key) or "")
    if not svg:
        abort(404)
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


# Figures that link to the list behind them (docs/domain.md, "The yearly report"): (part, figure key) -> a
# Drill: the list's endpoint, its fixed arguments, and whether the list takes a span of years (`first` and
# `last`, for the span's total) besides one `year`. A breakdown's row is a figure too (its key, e.g.
# "prize.city.first"). Every list applies the report's definition of the figure and its scope attribution.
@dataclass(frozen=True)
class Drill:
    endpoint: str
    args: dict = field(default_factory=dict)
    spans: bool = False


# Five Small: every figure, over a year and over the span (services.proposals.reported holds the lists'
# definitions): the counts, the authors (person-times, people), the savings, the best prizes; the results
# above the city link to the 上级成绩 list (services.honours.results.RecordFilters).
DRILL_DOWN: dict[tuple[str, str], Drill] = {
    ("five_small", key): Drill("proposals.proposal_list", {"stage": key}, spans=True) for key in (
        "collected", "valid", "adopted", "implemented", "person_times", "people", "estimated_savings",
        "verified_savings")}
# the years' lists of the city's top ten, newest year first (services.proposals.achievements.span_list)
DRILL_DOWN[("five_small", "top_ten")] = Drill("proposals.top_ten", spans=True)
DRILL_DOWN |= {("five_small", f"prize.{lv}.{code}"): Drill(
    "proposals.proposal_list", {"stage": "prize", "level": lv, "prize": code}, spans=True)
    for lv in LEVEL_RANK for code in PRIZE_RANK}
DRILL_DOWN |= {("five_small", f"higher.{lv}.{prize}"): Drill(
    "titles.higher_list", {"level": lv, "prize": prize, "subject": "proposal"}, spans=True)
    for lv in HIGHER_LEVELS for prize in HIGHER_PRIZE_LABELS if prize != "none"}
# Competitions (services.competitions.listing): held ones in the competition list (report=1 applies the
# report's definition and scope), entries and prizes in the cross-competition entries list; person-times
# and distinct people both list the entries they are counted from.
_HELD = {"report": 1}
DRILL_DOWN |= {("competitions", "held"): Drill("competitions.index", _HELD, spans=True),
               ("competitions", "person_times"): Drill("competitions.entry_list", {"figure": "entrants"}, True),
               ("competitions", "people"): Drill("competitions.entry_list", {"figure": "entrants"}, True),
               ("competitions", "prizes"): Drill("competitions.entry_list", {"figure": "prizes"}, True),
               ("competitions", "promotions_recommended"): Drill("competitions.promotions", {"basis": "recommended"},
                                                                 True),
               ("competitions", "promotions_certified"): Drill("competitions.promotions", {"basis": "certified"},
                                                               True)}
DRILL_DOWN |= {("competitions", f"held.{level}"): Drill("competitions.index", _HELD | {"level": level}, True)
               for level in COMPETITION_LEVELS}
DRILL_DOWN |= {("competitions", f"prize.{level}.{prize}"): Drill(
    "competitions.entry_list", {"figure": "prizes", "level": level, "prize": prize}, True)
    for level in COMPETITION_LEVELS for prize in PRIZES}
# Mentoring (services.mentorship.drill): the pair list, per year and for the span's total ("active" over a
# span: the distinct pairs that ran on a day of it, services.report.mentoring).
DRILL_DOWN |= {("mentoring", key): Drill("mentorship.pairs", {"figure": key}, spans=True)
               for key in mentorship_drill.FIGURES}
# Training (services.training.report_records): the records each figure counts.
DRILL_DOWN |= {("training", key): Drill("training.report_records_list", {"figure": key}, spans=True)
               for key in training_records.FIGURES}
# Titles (services.titles.listing): awards by the date that decides the figure's year, and nominations.
DRILL_DOWN |= {("titles", "awarded"): Drill("titles.award_list", {"basis": "awarded"}, True),
               ("titles", "revoked"): Drill("titles.award_list", {"basis": "revoked"}, True),
               ("titles", "nominations"): Drill("titles.nomination_list", {}, True)}


def _title_row(rest: str) -> Drill | None:
    """A row of the titles by level and name ("title.<level>.<name>"; names are data)."""
    level, _dot, name = rest.partition(".")
    return Drill("titles.award_list", {"basis": "awarded", "level": level, "title": name}, True) if name else None


# Breakdowns whose rows are data: (part, key prefix) -> the Drill of the rest of a row's key.
DRILL_ROWS = {("titles", "title."): _title_row}


def _drill_of(section_key: str, figure_key: str) -> Drill | None:
    drill = DRILL_DOWN.get((section_key, figure_key))
    if drill is None:
        for (section, prefix), row in DRILL_ROWS.items():
            if section == section_key and figure_key.startswith(prefix):
                return row(figure_key[len(prefix):])
    return drill


def drill_down(report, section_key: str, figure_key: str, year: int | None = None) -> str | None:
    """The address of the list behind a figure of `report` in `year` (None: over the report's span, for
    the total column), with the report's scope as its filter (a town, an enterprise; the reader's own
    scope needs none), or None when the figure has no list (or its list takes no span)."""
    drill = _drill_of(section_key, figure_key)
    if drill is None or not _may_open(drill.endpoint):
        return None
    span = report.span
    if year is None and span.first == span.last:
        year = span.first
    if year is None and not drill.spans:
        return None
    when = {"year": year} if year is not None else {"first": span.first, "last": span.last}
    scope = report.scope
    where = {scope.kind: scope.id} if scope.kind in ("town", "enterprise") else {}
    return url_for(drill.endpoint, **drill.args, **when, **where)


def _may_open(endpoint: str) -> bool:
    """The reader holds a role the list's view admits (blueprints.access.roles_required): no link to a
    list they could not open (e.g. 上级成绩 for a town officer)."""
    roles = getattr(current_app.view_functions.get(endpoint), "access_roles", ())
    return not roles or current_user.has_role(*roles)


# The arguments of the report's span and scope that every list behind a figure takes.
SPAN_AND_SCOPE = ("year", "first", "last", "town", "enterprise")
# Lists that also open without the report and take a year there as a filter of their own: the argument
# only the report's addresses carry (a list not named here is the report's when it carries a year or span).
DRILL_MARKS = {"competitions.index": "report", "mentorship.pairs": "figure"}


def _drill_arguments() -> dict[str, tuple[str, ...]]:
    """Endpoint of a list behind a figure -> every argument the report's addresses of it may carry: the
    span, the scope and the figures' own (DRILL_DOWN, and DRILL_ROWS' rows)."""
    found: dict[str, set] = {}
    drills = [*DRILL_DOWN.values(), *(row("level.name") for row in DRILL_ROWS.values())]
    for drill in drills:
        found.setdefault(drill.endpoint, set(SPAN_AND_SCOPE)).update(drill.args)
    return {endpoint: tuple(sorted(names)) for endpoint, names in found.items()}


DRILL_ARGUMENTS = _drill_arguments()


@dataclass(frozen=True)
class ReportOrigin:
    """The report a list was opened from: the arguments that name its figure (`keep`) and the report
    page's address with the same scope and span (`url`, None for a reader who may not open the report)."""

    keep: tuple[str, ...]
    url: str | None


@bp.app_template_global("report_origin")
def report_origin() -> ReportOrigin | None:
    """The report the current page's list stands behind, or None (not a list behind a figure, or an
    address without the report's year or span, or without the list's DRILL_MARKS argument).

    The one rule of every list opened from the report (docs/domain.md, "The yearly report"): the report's
    own arguments (span, scope, the figure's) are what the list's "统计报告口径" line states, not filters
    the reader set: filter_status (templates/_macros/ui.html) does not count them and its 清除筛选 keeps
    them (back to the figure's whole list); report_back shows the 返回统计报告 link to the report of the
    same scope and span. Worked out once a request (a list page asks twice: filter_status and report_back)."""
    current = request._get_current_object()  # the request itself keeps it: nothing outlives the request
    found = current.__dict__.get("_report_origin", _UNKNOWN)
    if found is _UNKNOWN:
        found = current.__dict__["_report_origin"] = _report_origin()
    return found


_UNKNOWN = object()


def _report_origin() -> ReportOrigin | None:
    names = DRILL_ARGUMENTS.get(request.endpoint or "")
    mark = DRILL_MARKS.get(request.endpoint or "")
    if names is None or not (request.args.get("year") or request.args.get("first")):
        return None
    if mark and not request.args.get(mark):
        return None
    year, first = int_arg("year"), int_arg("first")
    span = {"first": year, "last": year} if year else {"first": first, "last": int_arg("last") or first}
    scope = {name: value for name in ("town", "enterprise") if (value := int_arg(name))}
    url = url_for("report.show", **span, **scope) if _may_open("report.show") else None
    return ReportOrigin(names, url)


def series_drill(report, section_key: str, series, index: int) -> str | None:
    """The address of the list behind one bar of a series (Series.drill: the figure it counts, in the
    span's last year, with the point's own scope, e.g. a town's), or None."""
    if series.drill is None or index >= len(series.scopes):
        return None
    drill = DRILL_DOWN.get((section_key, series.drill))
    if drill is None or not _may_open(drill.endpoint):
        return None
    return url_for(drill.endpoint, **drill.args, year=report.span.last, **series.scopes[index])


@bp.route("/export", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_xlsx():
    """Start the Excel export of the report the form names (services.report.export: a background job)
    and show the job's page with its progress."""
    return _start(export.start_export)


@bp.route("/pdf", methods=["POST"])
@roles_required(Role.ADMIN, Role.TOWN, Role.HR)
def export_pdf():
    """Start the PDF of the report the form names (services.report.pdf: a background job) and show the
    job's page with its progress."""
    return _start(pdf.start_pdf)


def _start(service):
    form = ButtonForm()
    if not form.validate_on_submit():
        return redirect(url_for("report.show"))

    def field(name):
        value = request.form.get(name, type=int)
        return value if value and value > 0 else None

    outcome = run_action(service, current_user._get_current_object(), field("town"), field("enterprise"),
                         field("first"), field("last"), str(get_locale()))
    if outcome:
        return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return redirect(url_for("report.show"))
