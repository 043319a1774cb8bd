"""The lists of competitions (everyone's, the worker's own entries, the judge's panels) and setting a
competition up: create, edit, publish for registration, start scoring (union admins)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import int_arg, page_number, paginate, run_action, submit
from blueprints.competitions import bp, list_rows
from blueprints.competitions.drill import report_args
from blueprints.competitions.forms import CompetitionForm, tiers_text
from blueprints.competitions.helpers import actor, run_competition_or_404
from blueprints.forms import BUTTON, ButtonForm, trade_choices
from models import Role
from models.competitions import STATUSES, WAITLISTED
from models.vocabulary import COMPETITION_LEVELS, LEVEL_LABELS
from services import policy
from services.competitions import catalogue, certificates, eligibility, listing, registration, setup
from services.competitions.judging import judge_competitions
from services.report import drill


@bp.route("/")
@roles_required()
def index():
    user = actor()
    filters = {"year": request.args.get("year", type=int), "level_code": request.args.get("level"),
               "trade_id": int_arg("trade"), "status": request.args.get("status")}
    # drilled from the yearly report (report=1): the "held" figure's competitions (services.competitions.listing)
    reported = drill.report_filter(user, **report_args()) if request.args.get("report") else None
    if reported is not None:
        pagination = paginate(listing.held_query(user, reported, filters["level_code"], filters["trade_id"],
                                                 filters["status"], rows=True), rows=True, short=True)
        pagination.items = [catalogue.ListedCompetition(*row[:-1]) for row in pagination.items]  # less the total
    else:
        pagination = catalogue.competitions_page(user, page_number(), current_app.config["PAGE_SIZE"], **filters)
    open_rows = None
    if user.has_role(Role.WORKER) and user.enterprise_id:
        open_rows = eligibility.open_for_worker(user, limit=50)
    return render_template("competitions/index.html", pagination=pagination, open_rows=open_rows,
                           open_cards=list_rows.open_cards(open_rows) if open_rows else None,
                           listed_rows=list_rows.listed_rows(pagination.items) if pagination.items else None,
                           years=catalogue.competition_years(), statuses=STATUSES,
                           levels={code: LEVEL_LABELS[code] for code in COMPETITION_LEVELS},
                           trades=trade_choices(_("全部工种")), is_admin=policy.is_admin(user), reported=reported,
                           export_form=BUTTON if reported is not None else None)


@bp.route("/mine")
@roles_required(Role.WORKER)
def mine():
    entries = registration.my_registrations(actor())
    positions = {r.id: registration.waitlist_position(r) for r in entries if r.status == WAITLISTED}
    held = certificates.certificates_of(actor(), [r.id for r in entries])
    return render_template("competitions/mine.html", registrations=entries, positions=positions, certificates=held)


@bp.route("/judging")
@roles_required(Role.JUDGE, Role.WORKER, Role.HR)
def judging():
    return render_template("competitions/judging.html", competitions=judge_competitions(actor()))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def create():
    form = CompetitionForm()
    form.fill_choices()
    if request.method == "GET":  # the defaults of the owner's level (services.competitions.setup.defaults_for)
        defaults = setup.defaults_for(setup.owner_level_of(actor()))
        form.min_judges.data, form.prize_tiers.data = defaults["min_judges"], tiers_text(defaults["prize_tiers"])
    if form.validate_on_submit():
        ok, competition = submit(form, setup.create_competition, actor(), form.to_data())
        if ok:
            flash(_("竞赛已创建（草稿）。核对无误后请发布报名。"), "success")
            return redirect(url_for("competitions.show", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=None,
                           owner_level=setup.owner_level_of(actor()))


@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def edit(competition_id: int):
    competition = run_competition_or_404(competition_id)
    form = CompetitionForm()
    form.fill_choices()
    if request.method == "GET":
        form.load(competition)
    if form.validate_on_submit():
        ok, _result = submit(form, setup.update_competition, actor(), competition, form.to_data())
        if ok:
            flash(_("已保存。"), "success")
            return redirect(url_for("competitions.show", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=competition,
                           owner_level=competition.owner_level)


@bp.route("/<int:competition_id>/open", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def open_registration(competition_id: int):
    competition = run_competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(setup.open_competition, actor(), competition, success=_("已发布，职工可以在报名时间内报名。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/<int:competition_id>/start-scoring", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def start_scoring(competition_id: int):
    competition = run_competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(setup.start_scoring, actor(), competition, success=_("报名已结束，开始评分。"))
    return redirect(url_for("competitions.show", competition_id=competition_id))
