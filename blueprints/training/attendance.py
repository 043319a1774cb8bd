"""Attendance of a training class (services.training.signin, attendance, attendance_sheet): the organiser's
sign-in board with the rotating QR code, the scan address workers open on their phones (with the carry
through the login), the worker's own attendance with sign-out, the printed list ticked into the system,
the sign-in sheet PDF and closing the class's attendance."""

from __future__ import annotations

import base64

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from blueprints.access import public, roles_required
from blueprints.common import page_number, pdf_response, run_action
from blueprints.forms import ButtonForm
from blueprints.page_parts import PageMemo, Slotted
from blueprints.training import bp
from core import clock
from core.templating import text_escape
from extensions import limiter
from models.training import ATTENDANCE_METHODS, ATTENDANCE_STATUSES
from services.common.pdf.language import reader_locale
from services.common.rows import translated
from services.common.urls import external_url
from services.training import attendance, attendance_sheet, policy, signin


def actor():
    return current_user._get_current_object()


def runner_class_or_404(class_id: int):
    """The class of the URL for its sign-in runners: NotFound outside the actor's reach, NotAllowed
    unless the owner or the class assistant (policy.require_signin_runner)."""
    training_class = policy.get_class(actor(), class_id)
    policy.require_signin_runner(actor(), training_class)
    return training_class


# --- the organiser's sign-in board --------------------------------------------------------------------------

@bp.route("/classes/<int:class_id>/signin")
@roles_required()
def signin_board(class_id: int):
    """While sign-in is open: the QR code of the current 30-s window, its seconds left, and the address;
    static/js/training_signin.js swaps in the next code, and without JS the page reloads itself (a
    <meta refresh> inside <noscript>, which the CSP allows)."""
    training_class = runner_class_or_404(class_id)
    qr = None
    if signin.is_open(training_class):
        url = external_url("training.scan", class_id=training_class.id, code=signin.current_code(training_class))
        svg = base64.b64encode(signin.qr_svg(url).encode()).decode()
        qr = {"url": url, "src": f"data:image/svg+xml;base64,{svg}", "seconds": signin.seconds_left()}
    start, end = signin.signin_window(training_class)
    return render_template("training/attendance/board.html", training_class=training_class, qr=qr,
                           button=ButtonForm(), counts=attendance.counts(training_class), window_start=start,
                           statuses=ATTENDANCE_STATUSES,
                           window_end=end, may_open=signin.in_signin_window(training_class, clock.now()))


@bp.route("/classes/<int:class_id>/signin/open", methods=["POST"])
@roles_required()
def open_signin(class_id: int):
    training_class = runner_class_or_404(class_id)
    if ButtonForm().validate_on_submit():
        run_action(signin.open_signin, actor(), training_class, success=_("签到已开启。"))
    return redirect(url_for("training.signin_board", class_id=class_id))


@bp.route("/classes/<int:class_id>/signin/close", methods=["POST"])
@roles_required()
def close_signin(class_id: int):
    training_class = runner_class_or_404(class_id)
    if ButtonForm().validate_on_submit():
        run_action(signin.close_signin, actor(), training_class, success=_("签到已关闭。"))
    return redirect(url_for("training.signin_board", class_id=class_id))


# --- the worker's phone ---------------------------------------------------------------------------------------

def _refused(message, status: int, class_id: int | None = None):
    return render_template("training/attendance/refused.html", message=message, class_id=class_id), status


def _signed_in(outcome, class_id: int):
    """Refused: the message, 403 without a confirmed enrolment, else 400. Signed in: to the worker's page."""
    if not outcome:
        error = outcome.error
        if error.field == signin.NOT_ENROLLED_FIELD:
            return _refused(error.message, 403)
        return _refused(error.message, 400, class_id)
    if outcome.value.already:
        flash(_("您已经签到过了，无需重复签到。"), "info")
    else:
        flash(_("签到成功。"), "success")
    return redirect(url_for("training.my_attendance", class_id=class_id))


@bp.route("/signin/<int:class_id>/<code>")
@public
@limiter.limit(lambda: current_app.config["TRAINING_SCAN_LIMIT_PER_IP"], scope="training-scan")
def scan(class_id: int, code: str):
    """The address in the QR code. The code is checked now; someone not logged in is sent to the login
    page with a signed carry address (services.training.signin.verify_scan) and signed in after it."""
    if not current_user.is_authenticated:
        outcome = run_action(signin.verify_scan, class_id, code, flash_error=False)
        if not outcome:
            return _refused(outcome.error.message, 400)
        flash(_("请先登录，登录后自动完成签到。"), "info")
        return redirect(url_for("auth.login", next=url_for("training.scan_carried", class_id=class_id,
                                                             token=outcome.value)))
    return _signed_in(run_action(signin.scan, actor(), class_id, code, flash_error=False), class_id)


@bp.route("/signin/<int:class_id>/carry/<token>")
@roles_required()
def scan_carried(class_id: int, token: str):
    """Where the login continues to after a scan: signed in as of the scan if within the carry minutes."""
    return _signed_in(run_action(signin.scan_carried, actor(), class_id, token, flash_error=False), class_id)


@bp.route("/classes/<int:class_id>/me")
@roles_required()
def my_attendance(class_id: int):
    training_class, row = attendance.my_attendance(actor(), class_id)
    return render_template("training/attendance/mine.html", training_class=training_class, row=row,
                           button=ButtonForm())


@bp.route("/classes/<int:class_id>/sign-out", methods=["POST"])
@roles_required()
def sign_out(class_id: int):
    training_class, _row = attendance.my_attendance(actor(), class_id)
    if ButtonForm().validate_on_submit():
        run_action(attendance.sign_out, actor(), training_class, success=_("已签退。"))
    return redirect(url_for("training.my_attendance", class_id=class_id))


# --- the printed list, the sheet and closing -------------------------------------------------------------

def _marks(form_data) -> dict[int, str]:
    marks = {}
    for name, value in form_data.items():
        if name.startswith("mark_") and value:
            try:
                marks[int(name[5:])] = value
            except ValueError:
                continue
    return marks


@bp.route("/classes/<int:class_id>/attendance", methods=["GET", "POST"])
@roles_required()
def attendance_list(class_id: int):
    """The confirmed enrolments with present / late / excused (after closing also absent, for the owner,
    with a reason); one page of the list per form."""
    training_class = runner_class_or_404(class_id)
    form = ButtonForm()
    if form.validate_on_submit():
        outcome = run_action(attendance.record_list, actor(), training_class, _marks(request.form),
                             request.form.get("reason", ""))
        if outcome:
            flash(_("已保存 %(n)d 人的考勤。", n=outcome.value), "success")
            return redirect(url_for("training.attendance_list", class_id=class_id, page=request.args.get("page")))
    page = attendance.roster_page(training_class, page_number(), current_app.config["LONG_PAGE_SIZE"])
    closed = training_class.closed_at is not None
    choices = attendance.CORRECTION_STATUSES if closed else attendance.LIST_STATUSES
    # the labels translated once per page, not once per row (a lazy label costs ~20 calls per output); the
    # template puts a row's status and method, and its hours, in words once per value (PageMemo) and its
    # radio buttons once per status (Slotted)
    statuses = translated(ATTENDANCE_STATUSES)
    may_edit = not closed or policy.can_run(actor(), training_class.programme)
    rows = _roster_rows(page.items, closed=closed, may_edit=may_edit, statuses=statuses,
                        choices={code: statuses[code] for code in choices}) if page.items else None
    return render_template("training/attendance/list.html", training_class=training_class, form=form, page=page,
                           closed=closed, counts=page.counts, statuses=statuses, roster_rows=rows, may_edit=may_edit)


def _roster_rows(rows, *, closed: bool, may_edit: bool, statuses: dict, choices: dict) -> Markup:
    """The attendance list's <tr>s (training/attendance/list.html), as the template wrote them cell by cell:
    name, enterprise, the current record (status and method, sign-in time, hours) and, for a reader who may
    edit, the radio buttons of `choices` with the row's status checked. Built here rather than per cell in
    the template (50 rows): labels translated once, a status and method's words, an amount of hours and a
    sign-in's time (by its minute) once per value (PageMemo), each state's radio buttons once with the row's
    id left open (Slotted); values escaped as the template's `{{ }}` (core.templating.text_escape), times by
    the templates' `datetime`."""
    esc, when = text_escape, current_app.jinja_env.filters["datetime"]
    l_enterprise, l_now, l_input, l_not_signed = _("企业"), _("当前"), _("录入"), _("未签到")
    methods = translated(ATTENDANCE_METHODS)
    now_of = PageMemo(lambda key: f"{esc(statuses.get(key[0], key[0]))} · {esc(methods.get(key[1], key[1]))}")
    hours_of = PageMemo(lambda hours: _("%(h)s 学时", h=hours))
    # a sign-in's time of day (HH:mm) once per minute: the text depends on nothing finer
    clock_of = PageMemo(lambda minute: esc(when(minute, "HH:mm")))
    slot, radios = "__enrolment__", {}
    if may_edit:  # each state's buttons (none checked for no record, or for a status not among the choices)
        for state in [None, *statuses]:
            radios[state] = Slotted(Markup("".join([
                f'\n          <label class="form-check-label"><input class="form-check-input me-1" type="radio" '
                f'name="mark_{slot}" value="{esc(code)}"{" checked" if state == code else ""}>{esc(label)}</label>'
                f'\n          ' for code, label in choices.items()])), slot)
    out = []
    for e in rows:
        if e.attendance_id:
            now = (f'{now_of[e.status, e.method]}'
                   f'{" · " + clock_of[e.signed_in_at.replace(second=0, microsecond=0)] if e.signed_in_at else ""}'
                   f'{" · " + hours_of[e.hours] if closed or e.signed_out_at else ""}')
        else:
            now = f'<span class="text-muted">{l_not_signed}</span>'
        name = esc(e.worker_name)
        edit = (f'\n        <div class="d-flex flex-wrap gap-2" role="radiogroup" aria-label="{name}">\n          '
                f'{radios[e.status][e.id]}\n        </div>\n        ' if may_edit else "")
        out.append(f'\n    <tr data-testid="roster-row">\n      <td class="cell-primary">{name}</td>\n      '
                   f'<td data-label="{l_enterprise}">{esc(e.enterprise_name or "")}</td>\n      '
                   f'<td data-label="{l_now}">{now}</td>\n      <td data-label="{l_input}">\n        {edit}\n'
                   f'      </td>\n    </tr>\n    ')
    return Markup("".join(out))


@bp.route("/classes/<int:class_id>/attendance/close", methods=["POST"])
@roles_required()
def close_attendance(class_id: int):
    training_class = runner_class_or_404(class_id)
    if ButtonForm().validate_on_submit():
        outcome = run_action(attendance.close_attendance, actor(), training_class)
        if outcome:
            flash(_("考勤已结束，%(n)d 人记为缺勤。", n=outcome.value), "success")
    return redirect(url_for("training.attendance_list", class_id=class_id))


@bp.route("/classes/<int:class_id>/sign-in-sheet.pdf")
@roles_required()
def sign_in_sheet(class_id: int):
    training_class = runner_class_or_404(class_id)
    return pdf_response(attendance_sheet.sign_in_sheet_pdf, actor(), training_class, locale=reader_locale(),
                        filename=_("%(programme)s-%(title)s-签到表.pdf", programme=training_class.programme.name,
                                   title=training_class.title),
                        back=url_for("training.attendance_list", class_id=class_id))
