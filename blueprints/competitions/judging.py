"""Judging: the union's panel of practical judges and score sheets; a judge's queue and marks by
competitor number; the union's theory marks (a sheet or a spreadsheet) and sign-off."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from blueprints.access import roles_required
from blueprints.common import keyset_page, run_action, submit
from blueprints.competitions import bp
from blueprints.competitions.forms import JudgeForm, SignOffForm, TheoryUploadForm
from blueprints.competitions.helpers import actor, export_or_job, run_competition_or_404
from blueprints.forms import ButtonForm
from core.templating import text_escape, url_pattern
from models import Role, User, db
from models.competitions import CONFIRMED, SCORING, CompetitionRegistration
from services.accounts import search
from services.competitions import export, judging, ranking_pages, registration, results, standings


@bp.route("/<int:competition_id>/judges", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def judges(competition_id: int):
    competition = run_competition_or_404(competition_id)
    form = JudgeForm()
    if form.validate_on_submit():
        ok, _result = submit(form, lambda: judging.assign_judge(actor(), competition, _picked_judge(form, competition)))
        if ok:
            flash(_("已加入评委组。"), "success")
            return redirect(url_for("competitions.judges", competition_id=competition_id))
    return render_template("competitions/judges.html", competition=competition, form=form,
                           panel=judging.panel(competition), button=ButtonForm(), purpose=judge_purpose(competition))


def judge_purpose(competition) -> str:
    """The picker's purpose: the city's judges; for a town's competition the judges and the town's people;
    for an enterprise's own contest the people its HR manages (services.accounts.search.PURPOSES)."""
    return {"city": "judges", "town": "town_panel"}.get(competition.owner_level, "panel")


def _picked_judge(form, competition) -> User:
    """The judge the picker names (services.accounts.search, judge_purpose): RuleViolation beside
    it when its text names nobody or several, or nothing was chosen."""
    return search.pick_person(actor(), form.judge_id.text, form.judge_id.data, purpose=judge_purpose(competition),
                              field="judge_id")


@bp.route("/<int:competition_id>/judges/<int:assignment_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def remove_judge(competition_id: int, assignment_id: int):
    competition = run_competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        run_action(judging.remove_judge, actor(), competition, assignment_id, success=_("已移出评委组。"))
    return redirect(url_for("competitions.judges", competition_id=competition_id))


@bp.route("/<int:competition_id>/print/score-sheets")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def print_score_sheets(competition_id: int):
    competition = run_competition_or_404(competition_id)
    rows = db.session.scalars(registration.registrations_query(actor(), competition, status=CONFIRMED)).all()
    return render_template("competitions/print_score_sheets.html", competition=competition,
                           rows=sorted(rows, key=lambda r: r.competitor_no or 0), panel=judging.panel(competition))


# --- a judge's marks ---------------------------------------------------------------------------------


@bp.route("/<int:competition_id>/judge")
@roles_required(Role.JUDGE, Role.WORKER, Role.HR)
def judge_queue(competition_id: int):
    judge = actor()
    competition = judging.judge_competition(judge, competition_id)
    page = keyset_page(judging.judge_queue_stmt(judge, competition), CompetitionRegistration.competitor_no,
                       long=True, descending=False, rows=judging.QueueRow)
    return render_template("competitions/judge_queue.html", competition=competition, page=page)


@bp.route("/<int:competition_id>/judge/<int:registration_id>", methods=["GET", "POST"])
@roles_required(Role.JUDGE, Role.WORKER, Role.HR)
def judge_marks(competition_id: int, registration_id: int):
    judge = actor()
    competition = judging.judge_competition(judge, competition_id)
    entry = judging.registration_for_judge(judge, competition, registration_id)
    form = ButtonForm()
    values = {item.id: request.form.get(f"item_{item.id}", "") for item in competition.items}
    errors = {}
    if form.validate_on_submit():
        outcome = run_action(judging.enter_practical_marks, judge, entry, values, flash_error=False)
        if outcome:
            flash(_("已保存 %(n)d 项成绩。", n=outcome.value), "success")
            following = judging.next_to_mark(judge, competition, entry.id)
            if following is not None:  # straight on to the next competitor still to mark
                return redirect(url_for("competitions.judge_marks", competition_id=competition_id,
                                        registration_id=following))
            return redirect(url_for("competitions.judge_queue", competition_id=competition_id))
        errors[outcome.error.field or "form"] = str(outcome.error.message)
    else:
        values = {k: ("" if v is None else v) for k, v in judging.judge_marks(judge, entry).items()}
    return render_template("competitions/judge_marks.html", competition=competition, registration=entry,
                           form=form, values=values, errors=errors, editable=competition.status == SCORING)


# --- the union's theory marks and sign-off ------------------------------------------------------------


def _scores_page(competition, *, upload=None, outcomes=None, typed=None, error=None):
    """One page of the score sheet (keyset by competitor number; fewer entries a page for a large panel:
    ranking_pages.sheet_page_size): the page's lines, marks and stored results only; each entry's mark history
    is a page of its own (entry_marks). After a refused sheet, `typed` (registration id -> text) keeps every
    typed mark and `error` names the bad cell (its field, theory_<id>, and the message)."""
    config = current_app.config
    size = ranking_pages.sheet_page_size(competition, config["LONG_PAGE_SIZE"], config["PAGE_SIZE"])
    page = keyset_page(standings.score_entries_stmt, CompetitionRegistration.competitor_no, per_page=size,
                       descending=False, rows=standings.SheetRow, kept=("standings.score_entries",),
                       params=standings.sheet_params(competition))
    columns, lines = standings.sheet(competition, page.items)
    editable = competition.status == SCORING  # the upload and sign-off forms only then (scores.html)
    stored = standings.stored_ranks(page.items)
    return render_template("competitions/scores.html", competition=competition, form=ButtonForm(), page=page,
                           error=error, columns=columns, lines=lines, stored=stored,
                           sheet_rows=_sheet_rows(competition, lines, columns, stored, editable=editable,
                                                  typed=typed or {}, error=error),
                           upload=(TheoryUploadForm() if upload is None else upload) if editable else None,
                           sign_off_form=SignOffForm() if editable else None,
                           outcomes=outcomes, spread_limit=standings.DISAGREEMENT_SPREAD)


def _sheet_rows(competition, lines, columns, stored, *, editable: bool, typed: dict, error) -> Markup:
    """The score sheet's <tr>s (scores.html), as the template wrote them cell by cell: number, entrant,
    enterprise, the theory mark (its input while the competition is in scoring: the typed text after a
    refused sheet, the bad cell marked with its message), each judge's score with two decimals (the `mark`
    filter's "%.2f"; 回避 for a judge of the entrant's own enterprise, else —), the practical and total
    marks, the stored rank (with stored results), the hints and the link to the entry's marks. Built here
    rather than in the template: the sheet has rows x judges cells (50 x 30 on the city's largest
    competition); labels are translated once and output as the template's `_()` does (unescaped), values
    escaped as its `{{ }}` (core.templating.text_escape)."""
    esc = text_escape
    l_no, l_name, l_ent, l_theory, l_theory_aria, l_practical, l_total, l_rank, l_hint, l_detail, l_sep, \
        l_history, l_recused = (_("参赛号"), _("姓名"), _("企业"), _("理论"), _("理论成绩"), _("实操"), _("总分"),
                                _("当前名次"), _("提示"), _("成绩明细"), _("；"), _("明细与修改记录"), _("回避"))
    recused = f'<span class="text-muted small">{l_recused}</span>'
    heads = [(judge_id, f'<td data-label="{esc(name)}" class="text-end">', enterprise_id)
             for judge_id, name, enterprise_id in columns]
    # escaped once: an id put into it has nothing to escape (nor a competitor number)
    history_url = esc(url_pattern("competitions.entry_marks", "registration_id", competition_id=competition.id))
    bad_cell, bad_message = error if error else (None, None)
    out = []
    for line in lines:
        reg, scores = line.registration, line.judge_scores
        number = reg.number_label
        if editable:
            cell = f"theory_{reg.id}"
            value = typed.get(str(reg.id), "" if line.theory is None else line.theory)
            theory = (f'<input class="form-control form-control-sm{" is-invalid" if cell == bad_cell else ""}" '
                      f'id="{cell}" name="{cell}" value="{esc(value)}" inputmode="decimal" '
                      f'aria-label="{l_theory_aria} {number}"')
            if cell == bad_cell:
                theory += (f' aria-invalid="true" aria-describedby="{cell}-error" autofocus>'
                           f'<div class="invalid-feedback" id="{cell}-error" data-testid="cell-error">'
                           f'{esc(bad_message)}</div>')
            else:
                theory += ">"
        else:
            theory = _mark(line.theory)
        own = reg.enterprise_id
        judge_cells = "".join([
            f"{head}{'%.2f' % scores[judge_id]}</td>" if judge_id in scores  # noqa: UP031 (as `mark`)
            else f"{head}{recused if enterprise_id and enterprise_id == own else '—'}</td>"
            for judge_id, head, enterprise_id in heads])
        # a stored rank is an int or None: its text has nothing to escape
        rank = (f'<td data-label="{l_rank}" class="text-end" data-testid="current-rank">'
                f'{stored[reg.id].rank if reg.id in stored else ""}</td>') if stored else ""
        practical, total = line.practical, line.total  # as _mark writes them, without a call each
        spread = _("评委差异 %(s)s 分", s=line.spread) if line.flagged else ""
        flag = f'<span class="badge text-bg-warning" data-testid="flag">{spread}</span> ' if line.flagged else ""
        hints = l_sep.join([f'<span class="text-danger">{esc(problem)}</span>' for problem in line.problems]
                           ) if line.problems else ""
        out.append(
            f'\n    <tr class="{"table-warning" if line.flagged else ""}">\n'
            f'      <td data-label="{l_no}" class="cell-primary">{number}</td>'
            f'<td data-label="{l_name}" class="cell-primary">{esc(reg.entrant_name)}</td>'
            f'<td data-label="{l_ent}" class="cell-wide">{esc(reg.enterprise_name)}</td>\n'
            f'      <td data-label="{l_theory}" class="cell-wide">{theory}</td>\n'
            f'      {judge_cells}\n'
            f'      <td data-label="{l_practical}" class="text-end">'
            f'{"—" if practical is None else "%.2f" % practical}</td>'  # noqa: UP031 (as `mark`)
            f'<td data-label="{l_total}" class="text-end fw-bold">'
            f'{"—" if total is None else "%.2f" % total}</td>\n'  # noqa: UP031
            f'      {rank}\n'
            f'      <td data-label="{l_hint}" class="small cell-wide">{flag}{hints}</td>\n'
            f'      <td data-label="{l_detail}" class="text-nowrap cell-wide">'
            f'<a class="small" href="{history_url % reg.id}">{l_history}</a></td>\n'
            f'    </tr>\n    ')
    return Markup("".join(out))


def _mark(value) -> str:
    """A mark as the `mark` filter writes it: two decimals ("%.2f"), — for none."""
    return "—" if value is None else "%.2f" % value  # noqa: UP031 (as `mark`)


@bp.route("/<int:competition_id>/scores", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def scores(competition_id: int):
    competition = run_competition_or_404(competition_id)
    if ButtonForm().validate_on_submit():
        marks = {key.removeprefix("theory_"): raw for key, raw in request.form.items() if key.startswith("theory_")}
        outcome = run_action(judging.enter_theory_marks, actor(), competition, marks, flash_error=False)
        if outcome:
            flash(_("已保存 %(n)d 个理论成绩。", n=outcome.value), "success")
            # back to the same page of the sheet
            return redirect(url_for("competitions.scores", competition_id=competition_id, **request.args))
        error = (outcome.error.field or "", str(outcome.error.message))
        return _scores_page(competition, typed=marks, error=error), 422
    return _scores_page(competition)


@bp.route("/<int:competition_id>/export/scores.xlsx", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def export_scores(competition_id: int):
    """Every competitor's score line: the file, or a background job when big (export_or_job)."""
    user = actor()
    competition = run_competition_or_404(competition_id)
    return export_or_job(competition, count=export.score_count(competition),
                         make_file=lambda: export.scores_file(user, competition),
                         start_job=lambda locale: export.start_scores_export(user, competition, locale),
                         file_name=f"scores-{competition.id}.xlsx", what=_("成绩明细"))


@bp.route("/<int:competition_id>/scores/<int:registration_id>")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def entry_marks(competition_id: int, registration_id: int):
    """One competitor's marks by judge and sub-item, and every entry and correction of them."""
    competition = run_competition_or_404(competition_id)
    entry = judging.entry_of_competition(competition, registration_id)
    columns, (line,) = standings.entry_sheet(competition, [entry])
    return render_template("competitions/entry_marks.html", competition=competition, entry=entry, line=line,
                           columns=columns, history=judging.mark_history(entry),
                           stored=standings.stored_ranks([entry]).get(entry.id))


@bp.route("/<int:competition_id>/scores/import", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def import_theory(competition_id: int):
    competition = run_competition_or_404(competition_id)
    upload = TheoryUploadForm()
    outcomes = None
    if upload.validate_on_submit():
        _ok, outcomes = submit(upload, judging.import_theory_upload, actor(), competition, upload.file.data)
    return _scores_page(competition, upload=upload, outcomes=outcomes)


@bp.route("/<int:competition_id>/sign-off", methods=["POST"])
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def sign_off(competition_id: int):
    competition = run_competition_or_404(competition_id)
    form = SignOffForm()
    if form.validate_on_submit():
        outcome = run_action(results.sign_off, actor(), competition, acknowledge_flags=form.acknowledge_flags.data,
                             success=_("成绩已确认并排出名次，不能再修改。"))
        if not outcome:
            return redirect(url_for("competitions.scores", competition_id=competition_id))
    return redirect(url_for("competitions.show", competition_id=competition_id))
