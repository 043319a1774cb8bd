"""The completion page's table rows built in Python (training/completion.html), as the template wrote them
piece by piece (a page of 20 enrolments: ~150 calls a row through Jinja, two formatted `_()` each). Here
each label is translated once a page, the two per-row sentences are formatted from their translated
pattern, the links come from one pattern each (url_pattern), the forms share one CSRF field, and values
are escaped as the template's `{{ }}` (core.templating.text_escape), codes and dates by the templates'
`grouped_code` and `date` filters."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from blueprints.forms import csrf_field_html
from core.templating import text_escape, url_pattern


def completion_rows(items, progress: dict, assessment_labels: dict, *, page: int, runs: bool, assess_open: bool,
                    finished: bool, reason_of) -> Markup:
    """The <tr>s of one page of enrolments (`items`, the completion list's rows) with their `progress` (by
    enrolment id): worker and enterprise, hours attended of the total and required, the assessment (its
    label from `assessment_labels`, the score), the outcome (certificate code and revocation; on a
    `finished` programme the reason not completed as `reason_of` gives it; else in progress) and the
    actions: the assessment form while `assess_open` (the form's `page`), else the certificate's PDF and,
    for the owner (`runs`), revoking it."""
    # the hours are Decimals: nothing in them to escape, and the patterns are the translator's text (the
    # template's `_()` escapes only its variables)
    esc, filters = text_escape, current_app.jinja_env.filters
    grouped_code, date = filters["grouped_code"], filters["date"]
    l_hours, l_assessment, l_outcome, l_passed, l_failed, l_score, l_save = (
        _("出勤学时"), _("考核"), _("结业情况"), _("通过"), _("未通过"), _("成绩"), _("保存"))
    l_done, l_not_done, l_revoked, l_revoke, l_in_progress, l_code = (
        _("已结业"), _("未结业"), _("已撤销"), _("撤销"), _("培训中"), _("验证码"))
    have_pattern, need_pattern = _("%(have)s / %(total)s 学时"), _("（结业需 %(need)s）")
    assessment_url, certificate_url, revoke_url = (
        url_pattern(f"training.{name}", "enrolment_id")
        for name in ("record_assessment", "certificate_pdf", "revoke_certificate"))
    complete_mark = " · " + _("已达到结业条件")
    csrf = csrf_field_html() if assess_open and items else ""
    out = []
    for e in items:
        p, eid = progress[e.id], e.id
        name = esc(e.worker_name)
        if e.completed_at:
            revoked = (f'<span class="badge text-bg-danger">{l_revoked} {esc(date(e.certificate_revoked_at))}</span>'
                       if e.certificate_revoked_at else "")
            outcome = (f'<span class="badge text-bg-success">{l_done}</span> <span class="small text-nowrap">'
                       f'{l_code} {esc(grouped_code(e.certificate_code))}</span>\n        {revoked}\n      ')
        elif finished:
            outcome = (f'<span class="badge text-bg-secondary">{l_not_done}</span> <span class="small">'
                       f'{esc(reason_of(e))}</span>\n      ')
        else:
            outcome = f'<span class="small text-muted">{l_in_progress}{complete_mark if p.complete else ""}</span>'
        if assess_open:
            passed, score = e.assessment_passed, e.assessment_score
            action = (
                f'\n      <form method="post" action="{assessment_url % eid}" class="d-flex flex-wrap gap-2 '
                f'align-items-center" data-testid="assessment-form">\n        {csrf}<input type="hidden" '
                f'name="page" value="{page}">\n        <div class="form-check form-check-inline mb-0"><input '
                f'class="form-check-input" type="radio" name="passed" value="1" id="pass-{eid}"'
                f'{" checked" if passed else ""}><label class="form-check-label" for="pass-{eid}">{l_passed}'
                f'</label></div>\n        <div class="form-check form-check-inline mb-0"><input '
                f'class="form-check-input" type="radio" name="passed" value="0" id="fail-{eid}"'
                f'{" checked" if passed is False else ""}><label class="form-check-label" for="fail-{eid}">'
                f'{l_failed}</label></div>\n        <input class="form-control form-control-sm w-auto" size="6" '
                f'name="score" inputmode="decimal" autocomplete="off" value="{esc(score if score is not None else "")}"'
                f' placeholder="{l_score}" aria-label="{l_score}">\n        <button class="btn btn-sm '
                f'btn-outline-primary" type="submit">{l_save}</button>\n      </form>\n      ')
        elif e.completed_at:
            revoke = (f'<a class="btn btn-sm btn-outline-danger" href="{revoke_url % eid}">{l_revoke}</a>'
                      if runs and not e.certificate_revoked_at else "")
            action = (f'\n      <a class="btn btn-sm btn-outline-secondary" href="{certificate_url % eid}">PDF</a>'
                      f'\n      {revoke}\n      ')
        else:
            action = ""
        score_part = (f" · {l_score} {esc(e.assessment_score)}" if e.assessment_score is not None else "")
        out.append(
            f'\n  <tr data-testid="enrolment-row" data-worker="{name}">\n    <td class="cell-primary"><strong>'
            f'{name}</strong><div class="small text-muted">{esc(e.enterprise_name or "")}</div></td>\n    <td '
            f'data-label="{l_hours}"><span class="{"text-danger" if p.hours_short else "text-success"}" '
            f'data-testid="hours">{have_pattern % {"have": p.hours_attended, "total": p.total_hours}}</span> '
            f'<span class="small text-muted text-nowrap">{need_pattern % {"need": p.hours_required}}</span>'
            f'</td>\n    <td data-label="{l_assessment}"><span data-testid="assessment-state">'
            f'{esc(assessment_labels[p.assessment])}</span>{score_part}</td>\n    <td data-label="{l_outcome}" '
            f'data-testid="outcome">\n      {outcome}\n    </td>\n    <td class="cell-action">\n      {action}'
            f'\n    </td>\n  </tr>\n  ')
    return Markup("".join(out))
