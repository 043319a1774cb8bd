"""Mentoring overviews: everyone's own pairs, HR's and the union's dashboards, the filtered pair
list behind each figure, its Excel export (a background job), and a person's mentoring record."""

from __future__ import annotations

from functools import partial

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, int_arg, page_number, paginate, run_action
from blueprints.forms import ButtonForm
from blueprints.mentorship import bp, current_actor
from blueprints.mentorship.pair_rows import pair_rows
from core import clock
from core.l10n import lazy_gettext as _l
from core.templating import text_escape
from models import Role
from models.mentorship import CREDIT_YEARS_AFTER, GRADE_LABELS, PASSING_GRADES, STATUS_LABELS
from models.vocabulary import TRADE_LABELS, reference_label
from services import policy
from services.common.rows import label_texts, translated
from services.mentorship import checkins, own_pairs, records, reports
from services.mentorship import drill as pair_drill
from services.mentorship import export as pair_export
from services.mentorship.settings import get_settings


@bp.route("/")
@roles_required()
def index():
    """Everyone: their own pairs; HR: the enterprise dashboard; admins: the union dashboard."""
    actor = current_actor()
    own = own_pairs.own_pairs(actor)  # the settings read along with them
    settings = get_settings()  # read once for the page and its figures
    figures = reports.enterprise_dashboard(actor, settings) if policy.is_hr(actor) else None
    union = reports.union_dashboard(actor, page_number(), current_app.config["LONG_PAGE_SIZE"], settings) \
        if policy.is_admin(actor) else None
    return render_template("mentorship/index.html", own=own, figures=figures, union=union,
                           filters=reports.FILTERS, settings=settings, today=clock.today(),
                           checkin_state=checkins.checkin_state, enterprise_rows=_enterprise_rows)

# the enterprise rows' labels (as the template's _(): a label's text unescaped), each translated once a page
_PAIRS_LABEL, _RATE_LABEL = _l("结对总数"), _l("通过率")
_FIGURE_COLUMNS = (("active", _l("带徒中")), ("due_week", _l("本周应记录")), ("overdue", _l("记录逾期")),
                   ("assessment_due", _l("待出师考核")), ("completed_year", _l("本年出师")))


def _enterprise_rows(rows) -> Markup:
    """The union dashboard's enterprise rows (<tr>s of union_dashboard's page) as the template's loop wrote
    them, character for character: the enterprise's name linking to its pairs, its pairs, each figure's
    count linking to the pair list of that filter and enterprise, and the pass rate. Labels translated and
    each figure cell's start made once a page, values escaped as the template's `{{ }}`."""
    esc = text_escape
    pairs_url = esc(url_for("mentorship.pairs"))
    l_pairs, l_rate = str(_PAIRS_LABEL), str(_RATE_LABEL)
    starts = [(key, f'<td data-label="{label}" class="text-end"><a href="{pairs_url}?filter={key}&amp;enterprise=')
              for key, label in _FIGURE_COLUMNS]
    out = []
    for row in rows:
        enterprise_id, rate = row["enterprise_id"], row["pass_rate"]
        cells = "".join([f'\n      {start}{enterprise_id}">{int(row[key])}</a></td>\n      ' for key, start in starts])
        out.append(
            f'\n    <tr>\n      <td class="cell-primary"><a href="{pairs_url}?enterprise={esc(enterprise_id)}">'
            f'{esc(row["name"])}</a></td>\n      <td data-label="{l_pairs}" class="text-end">'
            f'{esc(row["pairs"])}</td>'
            f'\n      {cells}\n      <td data-label="{l_rate}" class="text-end">'
            f'{f"{rate:.1f}%" if rate is not None else "—"}</td>\n    </tr>\n    ')
    return Markup("".join(out))


def _list_filters(actor):
    """The pair list's filter name (reports.FILTERS) and, for admins only, the enterprise picker's
    resolution (blueprints.common.enterprise_filter; None for HR)."""
    filter_name = request.args.get("filter", "all")
    return filter_name, enterprise_filter(actor) if policy.oversees_enterprises(actor) else None


def _report(actor):
    """The yearly report's figure the list stands behind (services.mentorship.drill.checked), or None."""
    return pair_drill.requested(actor, request.args.get("figure") or None, int_arg("year"), int_arg("first"),
                                int_arg("last"), int_arg("town"), int_arg("enterprise"))


@bp.route("/pairs")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def pairs():
    actor = current_actor()
    settings = get_settings()  # read once for the page and its filters
    filter_name, enterprise = _list_filters(actor)
    search = request.args.get("q", "").strip() or None
    report = _report(actor)
    today = clock.today()
    stmt = reports.pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise and enterprise.ids,
                               search=search, report=report, rows=True, settings=settings)
    pagination = paginate(stmt, rows=True, short=True)
    rows = pair_rows(pagination.items, checkins.checkin_states(today, settings),  # the rule's days once a page
                     today, partial(label_texts(), partial(reference_label, TRADE_LABELS)),  # a trade once a page
                     translated(STATUS_LABELS), translated(GRADE_LABELS), PASSING_GRADES, enterprise is not None)
    return render_template(
        "mentorship/pairs.html", pagination=pagination, rows=rows, filter_name=filter_name,
        filters=translated(reports.FILTERS), enterprise=enterprise, report=report and pair_drill.described(*report),
        report_args=pair_drill.args(report),
    )


@bp.route("/pairs/export.xlsx", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def export():
    """GET: what the export holds, with the button; POST: start the export job and show its page."""
    actor = current_actor()
    filter_name, enterprise = _list_filters(actor)
    enterprise_ids = enterprise and enterprise.ids
    report = _report(actor)
    form = ButtonForm()
    if form.validate_on_submit():
        outcome = run_action(pair_export.start_export, actor, filter_name, enterprise_ids, str(get_locale()),
                             report=pair_drill.args(report))
        if outcome:
            return redirect(url_for("jobs.show", job_id=outcome.value.id))
    # NotFound: unknown filter
    reports.pairs_query(actor, filter_name=filter_name, enterprise_id=enterprise_ids, report=report)
    return render_template("mentorship/export.html", form=form, filter_name=filter_name, filters=reports.FILTERS,
                           list_args=request.args.to_dict(), report=report and pair_drill.described(*report))


@bp.route("/people/<int:user_id>")
@roles_required()
def person(user_id: int):
    """A person's mentoring record: as mentor (current and past apprentices, credits), as apprentice."""
    record = records.person_record(current_actor(), user_id)
    return render_template("mentorship/person.html", **record, credit_years=CREDIT_YEARS_AFTER)
