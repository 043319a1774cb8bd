"""The report drill's attendance list rows built in Python (training/report_records.html, the longest of
its lists), as the template wrote them piece by piece (~100 calls a row through Jinja): each label
translated once a page, the programme's link from one pattern (url_pattern), a class's start formatted
once a page for each class, values escaped as the template's `{{ }}` (core.templating.text_escape), hours
by the templates' `number` filter."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from core.templating import text_escape


def attendance_rows(items, statuses: dict, class_start, programme_url: str) -> Markup:
    """The <tr>s of a page of attendances (`items`, report_records.attendance_page's rows): the worker,
    the programme (linked by `programme_url`, a url_pattern), the class, its start (`class_start`, a
    class's start as the `datetime` filter writes it), the sign-in status (`statuses`' text) and the hours
    once settled, else that the attendance is still open."""
    esc, number = text_escape, current_app.jinja_env.filters["number"]
    l_programme, l_class, l_start, l_status, l_hours, l_pending = (
        _("培训项目"), _("班次"), _("开始时间"), _("签到"), _("学时"), _("考勤未结束"))
    pending = f'<span class="text-muted" data-testid="hours-pending">{l_pending}</span>'
    out = []
    for a in items:
        hours = esc(number(a.hours)) if a.hours_settled else pending
        out.append(
            f'\n  <tr data-record-id="{esc(a.id)}" data-person-id="{esc(a.worker_id)}"><td class="cell-primary">'
            f'{esc(a.worker_name)}</td><td data-label="{l_programme}"><a href="{programme_url % a.programme_id}">'
            f'{esc(a.programme_name)}</a></td><td data-label="{l_class}">{esc(a.class_title)}</td><td '
            f'data-label="{l_start}">{esc(class_start(a.starts_at))}</td><td data-label="{l_status}">'
            f'{esc(statuses.get(a.status, a.status))}</td><td data-label="{l_hours}" class="text-end">{hours}'
            f'</td></tr>\n  ')
    return Markup("".join(out))
