"""The pair list's rows: the <tr>s of templates/mentorship/_macros.html pair_table built in Python,
character for character as the template's loop wrote them (issue 10, speed: through the template a row
cost some 150 calls; a page shows up to fifty). Labels translated once a page, every value escaped as the
template's `{{ }}` (core.templating.text_escape)."""

from __future__ import annotations

from markupsafe import Markup

from core.l10n import format_date, request_catalog
from core.l10n import lazy_gettext as _l
from core.templating import text_escape, url_pattern

_LABELS = (_l("师傅"), _l("徒弟"), _l("工种"), _l("企业"), _l("期限"), _l("状态"), _l("带徒记录"), _l("出师考核"))
_STATES = {"overdue": ('<span class="badge text-bg-danger">', _l("记录逾期"), "</span>\n  "),
           "due": ('<span class="badge text-bg-warning">', _l("本周应记录"), "</span>\n  "),
           "ok": ('<span class="badge text-bg-light border">', _l("记录正常"), "</span>")}
_EXPIRED = _l("考核已到期")
_DUE_BY = "截止 %(day)s"  # the template's _('截止 %(day)s', day=...)
_COLOURS = {"proposed": "warning", "active": "primary", "completed": "success", "ended_early": "secondary",
            "dissolved": "secondary"}


def _day(value) -> str:
    """The template's `value|date`."""
    return format_date(value, "medium") if value else ""


def pair_rows(pairs, checkin_state, today, trade_label, statuses, grades, passing, show_enterprise) -> Markup:
    """The rows of `pairs` (plain rows of services.mentorship.reports.pairs_query(rows=True)) with pair_table's
    arguments: their check-in state (`checkin_state`, a function of the row), `today`, the trades' labels
    (`trade_label`), the statuses' and grades' labels by code, the passing grades, and the enterprise's column
    when `show_enterprise`."""
    esc = text_escape
    l_mentor, l_apprentice, l_trade, l_enterprise, l_term, l_status, l_checkins, l_assessment = map(str, _LABELS)
    states = {key: f"{start}{label}{end}" for key, (start, label, end) in _STATES.items()}
    expired = f'<span class="badge text-bg-danger">{_EXPIRED}</span>'
    due_by = request_catalog().ugettext(_DUE_BY)
    show_url = url_pattern("mentorship.pair_show", "pair_id")
    out = []
    for p in pairs:
        status, grade = p.status, p.grade
        active = status == "active"
        enterprise = f'<td data-label="{l_enterprise}">{esc(p.enterprise_name)}</td>' if show_enterprise else ""
        due = (f'<div class="small text-muted">{due_by % {"day": esc(_day(p.next_checkin_due))}}</div>'
               if active and p.next_checkin_due else "")
        graded = (f'<span class="badge {"text-bg-success" if grade in passing else "text-bg-danger"}">'
                  f'{esc(grades.get(grade, grade))}</span>' if grade else "")
        out.append(
            f'\n  <tr>\n    <td data-label="{l_mentor}"><a href="{esc(show_url % p.id)}">{esc(p.mentor_name)}</a></td>'
            f'\n    <td data-label="{l_apprentice}">{esc(p.apprentice_name)}</td>'
            f'\n    <td data-label="{l_trade}">{esc(trade_label(p.trade_name))}</td>\n    {enterprise}'
            f'\n    <td data-label="{l_term}" class="text-nowrap">{esc(_day(p.start_date))} – '
            f'{esc(_day(p.planned_end))}</td>'
            f'\n    <td data-label="{l_status}">\n  \n  <span class="badge text-bg-{_COLOURS.get(status, "light")}"'
            f' data-testid="pair-status">{esc(statuses.get(status, status))}</span>\n</td>'
            f'\n    <td data-label="{l_checkins}">\n  {states.get(checkin_state(p), "")}\n{due}</td>'
            f'\n    <td data-label="{l_assessment}">\n  {graded}\n'
            f'{expired if active and p.planned_end <= today else ""}</td>\n  </tr>\n  ')
    return Markup("".join(out))
