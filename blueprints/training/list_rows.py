"""The lists of training programmes' table rows built in Python (training/_programme_macros.html
programme_table, for 培训 and the owner's list): twenty rows of six cells, which the template wrote piece by
piece. Here the cells' labels are translated once a page, the link comes from one pattern (url_pattern),
each date is formatted once a page by the templates' `date` filter, and values are escaped as the
template's `{{ }}` (core.templating.text_escape); the status badges are the template's own."""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from core.l10n import lazy_gettext as _l
from core.templating import text_escape, url_pattern

# the cells' labels (as the template's _(): a label's text unescaped), each translated once a page
_CELL_LABELS = (_l("类型"), _l("主办方"), _l("培训日期"), _l("名额"), _l("状态"))


def programme_rows(rows, owner_names: dict, kinds: dict, badges: dict, badge) -> Markup:
    """The <tr>s of `rows` (services.training.programmes.programme_lines): the programme's name linking to
    its page, its kind (`kinds`: code -> label), its owner's name (`owner_names`: id -> name), its days, its
    seats taken of its capacity and its status's badge (`badges`: status -> the template's badge; another
    status: `badge(status, status)`, the template's macro)."""
    esc, date = text_escape, current_app.jinja_env.filters["date"]
    l_kind, l_owner, l_days, l_seats, l_status = map(str, _CELL_LABELS)
    programme_url = url_pattern("training.show", "programme_id")
    days: dict = {}  # a date -> its text, formatted once a page

    def day(value) -> str:
        text = days.get(value)
        if text is None:
            text = days[value] = esc(date(value))
        return text

    out = []
    for p in rows:
        out.append(
            f'\n  <tr><td class="cell-primary"><a href="{programme_url % p.id}">{esc(p.name)}</a></td>'
            f'<td data-label="{l_kind}">{esc(kinds.get(p.kind, p.kind))}</td><td data-label="{l_owner}">'
            f'{esc(owner_names.get(p.id, ""))}</td><td data-label="{l_days}">{day(p.starts_on)} – {day(p.ends_on)}'
            f'</td><td data-label="{l_seats}" class="text-end">{esc(p.seats_taken)}/{esc(p.capacity)}</td>'
            f'<td data-label="{l_status}">{badges.get(p.status) or badge(p.status, p.status)}</td></tr>\n  ')
    return Markup("".join(out))
