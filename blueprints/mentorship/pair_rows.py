"""The pair list's rows: the <tr>s of templates/mentorship/_macros.html pair_table built in Python,
character for character as the template's loop wrote them (issue 10, speed: through the template a row
cost some 150 calls; a page shows up to fifty). Labels translated once a page, every value escaped as the
template's `{{ }}` (core.templating.text_escape)."""

from __future__ import annotations

from markupsafe import Markup

from core.l10n import format_date
from core.l10n import lazy_gettext as _l
from core.templating import text_escape, url_pattern

_LABELS = (_l("师傅"), _l("徒弟"), _l("工种"), _l("企业"), _l("期限"), _l("状态"), _l("带徒记录"), _l("出师考核"))
_STATES = {"overdue": ('<span class="badge text-bg-danger">', _l("记录逾期"), "</span>\n  "),
           "due": ('<span class="badge text-bg-warning">', _l("本周应记录"), "</span>\n  "),
           "ok": ('<span class="badge text-bg-light border">', _l("记录正常"), "</span>")}
_EXPIRED = _l("考核已到期")
_DUE_BY = _l("截止 %(day)s")  # the template's _('截止 %(day)s', day=...): the text, then % {"day": ...}
_COLOURS = {"proposed": "warning", "active": "primary", "completed": "success", "ended_early": "secondary",
            "dissolved": "secondary"}


def pair_rows(pairs, checkin_state, today, trade_label, statuses, grades, passing, show_enterprise) -> Markup:
    """The rows of `pairs` (plain rows of services.mentorship.reports.pairs_query(rows=True), its columns in
    their order) with pair_table's arguments: their check-in state (`checkin_state`, a function of the row),
    `today`, the trades' labels (`trade_label`), the statuses' and grades' labels by code, the passing
    grades, and the enterprise's column when `show_enterprise`. Each day, trade, status and grade is
    formatted and escaped once a page."""
    esc = text_escape
    l_mentor, l_apprentice, l_trade, l_enterprise, l_term, l_status, l_checkins, l_assessment = map(str, _LABELS)
    states = {key: f"{start}{label}{end}" for key, (start, label, end) in _STATES.items()}
    expired = f'<span class="badge text-bg-danger">{_EXPIRED}</span>'
    due_by = str(_DUE_BY)
    show_url = url_pattern("mentorship.pair_show", "pair_id")
    days, trades, shown_statuses, shown_grades = {}, {}, {}, {}

    def day(value) -> str:
        """The template's `{{ value|date }}`."""
        found = days.get(value)
        if found is None:
            found = days[value] = esc(format_date(value, "medium") if value else "")
        return found

    out = []
    for p in pairs:
        pair_id, status, start_date, planned_end, next_due, mentor_name, apprentice_name, trade_name, \
            enterprise_name, grade, *_ = p
        active = status == "active"
        trade = trades.get(trade_name)
        if trade is None:
            trade = trades[trade_name] = esc(trade_label(trade_name))
        shown_status = shown_statuses.get(status)
        if shown_status is None:
            shown_status = shown_statuses[status] = (
                f'<span class="badge text-bg-{_COLOURS.get(status, "light")}" data-testid="pair-status">'
                f'{esc(statuses.get(status, status))}</span>')
        graded = shown_grades.get(grade)
        if graded is None:
            graded = shown_grades[grade] = (
                f'<span class="badge {"text-bg-success" if grade in passing else "text-bg-danger"}">'
                f'{esc(grades.get(grade, grade))}</span>' if grade else "")
        enterprise = f'<td data-label="{l_enterprise}">{esc(enterprise_name)}</td>' if show_enterprise else ""
        due = f'<div class="small text-muted">{due_by % {"day": day(next_due)}}</div>' if active and next_due else ""
        out.append(
            f'\n  <tr>\n    <td data-label="{l_mentor}"><a href="{esc(show_url % pair_id)}">{esc(mentor_name)}</a></td>'
            f'\n    <td data-label="{l_apprentice}">{esc(apprentice_name)}</td>'
            f'\n    <td data-label="{l_trade}">{trade}</td>\n    {enterprise}'
            f'\n    <td data-label="{l_term}" class="text-nowrap">{day(start_date)} – {day(planned_end)}</td>'
            f'\n    <td data-label="{l_status}">\n  \n  {shown_status}\n</td>'
            f'\n    <td data-label="{l_checkins}">\n  {states.get(checkin_state(p), "")}\n{due}</td>'
            f'\n    <td data-label="{l_assessment}">\n  {graded}\n'
            f'{expired if active and planned_end <= today else ""}</td>\n  </tr>\n  ')
    return Markup("".join(out))
