"""The competition page and its entries: a worker registers and withdraws; HR enters workers one by
one, from a list or as a team; the union reviews the entries, prints the sign-in sheet and exports
the list."""

from __future__ import annotations

from flask import current_app, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from blueprints.access import roles_required
from blueprints.common import enterprise_filter, keyset_page, page_number, run_action, submit
from blueprints.competitions import bp
from blueprints.competitions.forms import EmployeeNoForm, ReasonForm, RecommendTopForm, TeamForm, UploadForm
from blueprints.competitions.helpers import (
    actor,
    competition_or_404,
    export_or_job,
    flash_form_errors,
    run_competition_or_404,
)
from blueprints.forms import ButtonForm, ObjectionForm, OnceButtonForm, ResolveForm
from core.l10n import lazy_gettext as _l
from core.templating import text_escape, url_pattern
from models import Role, db
from models.competitions import CONFIRMED, FINAL, NOTICED, REGISTRATION_STATUSES, SIGNED_OFF, CompetitionRegistration
from services import policy
from services.common import notices
from services.common.rows import translated
from services.competitions import (
    bulk,
    certificates,
    details,
    eligibility,
    entry_rows,
    export,
    ranking_pages,
    recommendation,
    registration,
    results,
    setup,
)
from services.competitions import policy as competitions_policy


@bp.route("/<int:competition_id>")
@roles_required()
def show(competition_id: int):
    user = actor()
    # with its trade and its entries' counts by status (shown to its owner and overseers): one statement
    competition, entry_counts = setup.get_competition_with_counts(user, competition_id)
    own = problems = position = result = certificate = None
    shown = details.details_of(competition.id)  # eligible trades, items, prize tiers: one statement
    if user.has_role(Role.WORKER) and user.enterprise_id:
        own, own_certificate = certificates.entry_with_certificate(user, competition)  # one statement for both
        if own is None:
            problems = eligibility.eligibility_problems(competition, user, eligible_trades=shown.eligible_trades)
        else:
            position = registration.waitlist_position(own)
            certificate = own_certificate if competition.status == FINAL else None
    if own is not None and own.result is not None and competition.status in (NOTICED, FINAL):
        result = own.result
    notice, objections = results.notice_with_objections(competition)
    notices_running = notice is not None and notices.is_running(notice)
    # The owner's controls (the city's: union admins; an enterprise's own contest: its HR, issue 14).
    is_admin = competitions_policy.can_run_competition(user, competition)
    # The levels above an enterprise's or a town's competition see its counts and ranking, read-only.
    overseer = not is_admin and competitions_policy.can_oversee_competition(user, competition)
    counts = ranked = None
    if is_admin or overseer:  # indexed counts and one page of the stored ranking, never the whole of either
        counts = entry_counts
        if competition.status in (SIGNED_OFF, NOTICED, FINAL):
            ranked = ranking_pages.ranking_page(competition, page_number(), current_app.config["LONG_PAGE_SIZE"])
    registration_open = setup.is_registration_open(competition)
    # each form only when the page shows it (show.html): a form costs its construction on every view
    return render_template(
        "competitions/show.html", competition=competition, own=own, problems=problems, position=position,
        result=result, certificate=certificate, notice=notice, is_admin=is_admin, overseer=overseer,
        is_hr=policy.is_hr(user), registration_open=registration_open,
        button=ButtonForm() if own is not None or is_admin else None,
        register_form=OnceButtonForm() if problems == [] and registration_open and not competition.is_team else None,
        objection_form=ObjectionForm() if notices_running else None,
        resolve_form=ResolveForm() if is_admin and objections else None,
        reason_form=ReasonForm() if is_admin and competition.status == NOTICED else None,
        counts=counts, statuses=REGISTRATION_STATUSES, ranked=ranked,
        ranking_rows=_ranking_rows(competition, ranked.items) if ranked else None,
        notices_running=notices_running, objections=objections,
        trade_restriction=eligibility.trade_restriction(competition, shown.eligible_trades),
        items=shown.items, prize_tiers=shown.prize_tiers,
        recommend_targets=recommendation.targets_for(user, competition) if is_admin and competition.status == FINAL
        else [],
    )


def _ranking_rows(competition, rows) -> Markup:
    """The ranking's <tr>s of a page of RankedRows, as show.html wrote them cell by cell: rank, number,
    entrant, enterprise, the three marks with two decimals (the `mark` filter's "%.2f", — for none) and
    the prize with its honour and reward. Built here rather than per cell in the template (a page has 50
    rows of 8 cells); the cells' labels are translated once, a prize's label and reward once per prize, an
    honour's label once per honour; values escaped as the template's `{{ }}` (core.templating.text_escape)."""
    esc = text_escape
    l_rank, l_no, l_name, l_ent, l_theory, l_practical, l_total, l_prize = (
        esc(text) for text in (_("名次"), _("参赛号"), _("姓名"), _("企业"), _("理论"), _("实操"), _("总分"),
                               _("奖项")))
    prize_reward = get_template_attribute("_macros/rewards.html", "prize_reward")
    prize_parts: dict = {}
    honour_parts: dict = {None: "", "": ""}
    out = []
    for row in rows:
        p = row.prize
        parts = prize_parts.get(p)
        if parts is None:
            parts = prize_parts[p] = f"{esc(row.prize_label)}", f"{prize_reward(competition, p)}" if p else ""
        honour = honour_parts.get(row.honour)
        if honour is None:
            honour = honour_parts[row.honour] = f" · {esc(row.honour_label)}"
        theory, practical, total = row.theory, row.practical, row.total  # each as the `mark` filter writes it
        theory = "—" if theory is None else "%.2f" % theory  # noqa: UP031
        practical = "—" if practical is None else "%.2f" % practical  # noqa: UP031
        total = "—" if total is None else "%.2f" % total  # noqa: UP031
        out.append(
            f'<tr><td data-label="{l_rank}" class="cell-primary">{row.rank}</td>'  # numbers: nothing to escape
            f'<td data-label="{l_no}">{row.number_label}</td>'
            f'<td data-label="{l_name}">{esc(row.entrant_name)}</td>'
            f'<td data-label="{l_ent}">{esc(row.enterprise_name)}</td>'
            f'<td data-label="{l_theory}" class="text-end">{theory}</td>'
            f'<td data-label="{l_practical}" class="text-end">{practical}</td>'
            f'<td data-label="{l_total}" class="text-end">{total}</td>'
            f'<td data-label="{l_prize}" class="cell-primary">{parts[0]}{honour}{parts[1]}</td></tr>')
    return Markup("".join(out))


def _flash_entered(entry, entrant: str | None = None) -> None:
    """Tell who entered what they got: a competitor number, or their place on the waitlist."""
    if entry.team_name:
        if entry.status == CONFIRMED:
            flash(_("“%(team)s”队报名成功，参赛号 %(no)s。", team=entry.team_name, no=entry.number_label), "success")
        else:
            flash(_("“%(team)s”队已进入候补名单，第 %(n)d 位。", team=entry.team_name,
                    n=registration.waitlist_position(entry)), "warning")
    elif entrant is None:
        if entry.status == CONFIRMED:
            flash(_("报名成功，您的参赛号是 %(no)s。", no=entry.number_label), "success")
        else:
            flash(_("名额已满，您已进入候补名单，第 %(n)d 位。", n=registration.waitlist_position(entry)), "warning")
    elif entry.status == CONFIRMED:
        flash(_("%(name)s 报名成功，参赛号 %(no)s。", name=entrant, no=entry.number_label), "success")
    else:
        flash(_("%(name)s 已进入候补名单，第 %(n)d 位。", name=entrant, n=registration.waitlist_position(entry)),
              "warning")


@bp.route("/<int:competition_id>/register", methods=["POST"])
@roles_required(Role.WORKER)
def register(competition_id: int):
    competition = competition_or_404(competition_id)
    form = OnceButtonForm()
    if form.validate_on_submit():
        user = actor()
        outcome = run_action(registration.register, user, competition, user, once_form=form)
        if outcome:
            _flash_entered(outcome.value)
    return redirect(url_for("competitions.show", competition_id=competition_id))


@bp.route("/registrations/<int:registration_id>/withdraw", methods=["POST"])
@roles_required(Role.WORKER, Role.HR)
def withdraw(registration_id: int):
    user = actor()
    entry = registration.get_registration(user, registration_id)
    competition_id = entry.competition_id
    if ButtonForm().validate_on_submit():
        run_action(registration.withdraw, user, entry, success=_("已退赛。"))
    if entry.worker_id == user.id:
        return redirect(url_for("competitions.show", competition_id=competition_id))
    return redirect(url_for("competitions.registrations", competition_id=competition_id))


def _enrol_page(competition, *, form=None, upload=None, team_form=None, outcomes=None):
    """The HR page of entries: the three forms (blank unless given) and a list's outcomes."""
    return render_template("competitions/enrol.html", competition=competition,
                           form=EmployeeNoForm(formdata=None) if form is None else form,
                           upload=UploadForm(formdata=None) if upload is None else upload,
                           team_form=TeamForm(formdata=None) if team_form is None else team_form,
                           outcomes=outcomes, registration_open=setup.is_registration_open(competition))


@bp.route("/<int:competition_id>/enrol", methods=["GET", "POST"])
@roles_required(Role.HR)
def enrol(competition_id: int):
    competition = competition_or_404(competition_id)
    form = EmployeeNoForm()
    if form.validate_on_submit():
        ok, entry = submit(form, bulk.hr_register, actor(), competition, form.employee_no.data, once_form=form)
        if ok:
            _flash_entered(entry, entrant=entry.worker.name)
            return redirect(url_for("competitions.enrol", competition_id=competition_id))
    return _enrol_page(competition, form=form, upload=UploadForm())


@bp.route("/<int:competition_id>/enrol/team", methods=["POST"])
@roles_required(Role.HR)
def enrol_team(competition_id: int):
    competition = competition_or_404(competition_id)
    team_form = TeamForm()
    if team_form.validate_on_submit():
        ok, entry = submit(team_form, bulk.register_team, actor(), competition, team_form.team_name.data,
                           team_form.employee_nos.data.split(), once_form=team_form)
        if ok:
            _flash_entered(entry)
            return redirect(url_for("competitions.enrol", competition_id=competition_id))
    return _enrol_page(competition, team_form=team_form)


@bp.route("/<int:competition_id>/enrol/upload", methods=["POST"])
@roles_required(Role.HR)
def enrol_upload(competition_id: int):
    competition = competition_or_404(competition_id)
    upload = UploadForm()
    outcomes = None
    if upload.validate_on_submit():
        _ok, outcomes = submit(upload, bulk.hr_register_upload, actor(), competition, upload.file.data)
    return _enrol_page(competition, upload=upload, outcomes=outcomes)


# --- the union's review ----------------------------------------------------------------------------


@bp.route("/<int:competition_id>/registrations")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def registrations(competition_id: int):
    user = actor()
    competition = competition_or_404(competition_id)
    enterprise = enterprise_filter(user) if policy.oversees_enterprises(user) else None
    listed = entry_rows.registration_rows_page(user, competition, status=request.args.get("status"),
                                               enterprise_id=enterprise and enterprise.ids,
                                               search=request.args.get("q", "").strip() or None)
    page = keyset_page(listed.pop("stmt"), CompetitionRegistration.id, long=True, descending=False,
                       rows=entry_rows.EntryRow, **listed)
    # the owner reviews entries; the levels above only look (issue 14)
    is_admin, is_hr = competitions_policy.can_run_competition(user, competition), policy.is_hr(user)
    button, registration_open = ButtonForm(), setup.is_registration_open(competition)  # one token for every form
    rows = _registration_rows(page.items, entry_rows.team_members(page.items),
                              registration.page_waitlist_positions(competition.id, page.items),
                              reviewing=is_admin and competition.status in ("open", "scoring"),
                              withdrawing=is_hr and not is_admin and registration_open,
                              csrf=button.csrf_token() if "csrf_token" in button else "") if page.items else None
    return render_template("competitions/registrations.html", competition=competition, page=page,
                           statuses=REGISTRATION_STATUSES, registration_rows=rows, enterprise=enterprise)


# each status's badge colour on the list of entries
_STATUS_COLOURS = {"confirmed": "success", "waitlisted": "warning", "withdrawn": "secondary", "rejected": "danger",
                   "passed_over": "secondary"}


# the rows' labels (as flask_babel's gettext gives them), each translated once a page
_ROW_LABELS = (_l("参赛号"), _l("姓名"), _l("工号"), _l("企业"), _l("报名时间"), _l("状态"), _l("操作"), _l("已审核"),
               _l("通过"), _l("不通过理由"), _l("不通过"), _l("确定为该职工退赛吗？"), _l("退赛"))


def _registration_rows(rows, members: dict, positions: dict, *, reviewing: bool, withdrawing: bool, csrf) -> Markup:
    """The list of entries' <tr>s (registrations.html), as the template wrote them cell by cell: number,
    name (a team's with its members), employee number(s), enterprise, time, status badge (a waitlisted
    entry's place, checked, the reason) and the owner's review forms (`reviewing`: the owner, while the
    competition is open or scoring) or HR's withdrawal (`withdrawing`: HR not the owner, registration
    open) for a confirmed or waitlisted entry. Built here rather than per cell in the template (50 rows of
    7 cells): labels translated once, the form's links one pattern each; values escaped as the
    template's `{{ }}` (core.templating.text_escape), the time by the templates' `datetime` filter."""
    esc, when = text_escape, current_app.jinja_env.filters["datetime"]
    (l_no, l_name, l_staff_no, l_enterprise, l_time, l_status, l_action, l_checked, l_pass, l_reason, l_fail,
     l_sure, l_withdraw) = map(str, _ROW_LABELS)
    labels = translated(REGISTRATION_STATUSES)  # each status's label translated once for the page's rows
    approve_url, reject_url, withdraw_url = (url_pattern(f"competitions.{name}", "registration_id")
                                             for name in ("approve", "reject", "withdraw"))
    out = []
    for r in rows:
        if r.team_name:
            team = members[r.id]
            name = (f'<strong>{esc(r.team_name)}</strong><div class="small">'
                    f'{"、".join([esc(m.name) for m in team])}</div>')
            staff_no = "、".join([esc(m.employee_no) for m in team])
        else:
            name, staff_no = esc(r.worker_name), esc(r.employee_no or "")
        position = positions.get(r.id)
        place = " · " + _("第 %(n)d 位", n=position) if position else ""  # outside the f-string: extracted
        status = (f'<span class="badge text-bg-{_STATUS_COLOURS.get(r.status, "light")}" '
                  f'data-testid="registration-status">{esc(labels.get(r.status, r.status))}'
                  f'{place}</span>'
                  f'{f""" <span class="badge text-bg-light border">{l_checked}</span>""" if r.approved_at else ""}'
                  f'{f"""<div class="small text-muted">{esc(r.reason)}</div>""" if r.reason else ""}')
        action = ""
        if r.status in ("confirmed", "waitlisted"):
            if reviewing:
                approve = (f'\n        <form method="post" action="{approve_url % r.id}">{csrf}<button class="btn '
                           f'btn-sm btn-outline-success" type="submit">{l_pass}</button></form>\n        '
                           if r.status == "confirmed" and not r.approved_at else "")
                action = (f'\n      <div class="d-flex flex-wrap gap-1">\n        {approve}\n'
                          f'        <form method="post" action="{reject_url % r.id}" class="d-flex gap-1">{csrf}'
                          f'<input class="form-control form-control-sm" name="reason" required '
                          f'placeholder="{l_reason}" aria-label="{l_reason}"><button class="btn btn-sm '
                          f'btn-outline-danger" type="submit">{l_fail}</button></form>\n      </div>\n      ')
            elif withdrawing:
                action = (f'\n      <form method="post" action="{withdraw_url % r.id}">{csrf}<button class="btn '
                          f'btn-sm btn-outline-danger" type="submit" data-confirm="{l_sure}">{l_withdraw}</button>'
                          f'</form>\n      ')
        out.append(
            f'\n  <tr>\n    <td data-label="{l_no}">{r.number_label}</td><td data-label="{l_name}">{name}</td>'
            f'<td data-label="{l_staff_no}">{staff_no}</td><td data-label="{l_enterprise}">{esc(r.enterprise_name)}'
            f'</td><td data-label="{l_time}">{esc(when(r.created_at))}</td>\n'
            f'    <td data-label="{l_status}">{status}</td>\n'
            f'    <td data-label="{l_action}" class="cell-action">\n      {action}\n    </td>\n  </tr>\n  ')
    return Markup("".join(out))


@bp.route("/registrations/<int:registration_id>/approve", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def approve(registration_id: int):
    entry = registration.get_registration(actor(), registration_id)
    if ButtonForm().validate_on_submit():
        run_action(registration.approve, actor(), entry, success=_("已审核通过。"))
    return redirect(url_for("competitions.registrations", competition_id=entry.competition_id))


@bp.route("/registrations/<int:registration_id>/reject", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def reject(registration_id: int):
    entry = registration.get_registration(actor(), registration_id)
    form = ReasonForm()
    if form.validate_on_submit():
        run_action(registration.reject, actor(), entry, form.reason.data,
                   success=_("已取消该选手的参赛资格；如有候补，已自动递补。"))
    else:
        flash_form_errors(form)
    return redirect(url_for("competitions.registrations", competition_id=entry.competition_id))


def _confirmed_by_number(competition):
    rows = db.session.scalars(registration.registrations_query(actor(), competition, status=CONFIRMED)).all()
    return sorted(rows, key=lambda r: r.competitor_no or 0)


@bp.route("/<int:competition_id>/print/sign-in")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def print_sign_in(competition_id: int):
    competition = run_competition_or_404(competition_id)
    return render_template("competitions/print_sign_in.html", competition=competition,
                           rows=_confirmed_by_number(competition))


@bp.route("/<int:competition_id>/export/registrations.xlsx", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def export_registrations(competition_id: int):
    """The entries the actor may see: the file, or a background job when big (export_or_job)."""
    user = actor()
    competition = competition_or_404(competition_id)
    return export_or_job(competition, count=export.registration_count(user, competition),
                         make_file=lambda: export.registrations_file(user, competition),
                         start_job=lambda locale: export.start_registrations_export(user, competition, locale),
                         file_name=f"registrations-{competition.id}.xlsx", what=_("报名名单"))


@bp.route("/<int:competition_id>/recommend", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def recommend(competition_id: int):
    """The owner of a final selection contest enters its top N into a city competition (推荐上报)."""
    user = actor()
    competition = run_competition_or_404(competition_id)
    form = RecommendTopForm()
    if form.validate_on_submit():
        target = competition_or_404(form.target_id.data)
        outcome = run_action(recommendation.recommend_top, user, competition, target, form.top_n.data)
        if outcome:
            for item in outcome.value:
                if item.entry is None:
                    flash(_("%(name)s 未能报名：%(reason)s", name=item.worker.name, reason=item.reason), "warning")
            entered = sum(1 for item in outcome.value if item.entry is not None)
            flash(_("已推荐 %(n)d 名选手报名“%(name)s”。", n=entered, name=target.name), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("competitions.show", competition_id=competition_id))
