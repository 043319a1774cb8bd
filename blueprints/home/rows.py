"""Parts of the home page built in Python, which the templates wrote piece by piece: the to-dos' links
(_macros/todos.html todo_list, about 90 calls a to-do) and the workers per skill level (a town's, HR's
enterprise's: the phone's grid items and the table's rows of home/index.html's skill_counts, about 120
calls a level). Labels are translated once a page, links come from the templates' own url_for (kept per
process) or one pattern (url_pattern), numbers and days are formatted by the templates' `number` and
`date` filters, and values are escaped as the template's `{{ }}` (core.templating.text_escape)."""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from core.l10n import lazy_gettext as _l
from core.templating import text_escape, url_pattern
from models.skills import SKILL_LEVELS

_OVERDUE = _l("已逾期")


def todo_items(todos) -> Markup:
    """The <a>s of the to-do list, one per to-do in the given order: its label and deadline (已逾期 once it
    passed), its count, linking to its filtered list; an urgent one stands out."""
    env = current_app.jinja_env
    esc, number, date = text_escape, env.filters["number"], env.filters["date"]
    url_for, overdue = env.globals["url_for"], env.globals["overdue"]
    out = []
    for t in todos:
        href = esc(url_for(t.link["endpoint"], **(t.link["values"] or {})))
        deadline = ""
        if t.deadline:
            late = (f' <span class="badge text-bg-danger" data-testid="overdue">{_OVERDUE}</span>'
                    if overdue(t.deadline) else "")
            due = esc(_l("截止 %(d)s", d=esc(date(t.deadline))))  # outside the f-string: extracted
            deadline = f'<span class="small text-muted d-block">{due}{late}</span>'
        out.append(
            '\n    <a class="list-group-item list-group-item-action d-flex justify-content-between align-items-center'
            f' gap-2 py-3{" list-group-item-warning" if t.urgent else ""}"\n       href="{href}">\n      <span>'
            f'{esc(t.label)}{deadline}</span>\n      <span class="badge rounded-pill text-bg-'
            f'{"danger" if t.urgent else "primary"} fs-6">{esc(number(t.count))}</span>\n    </a>\n    ')
    return Markup("".join(out))


_CELL_LABELS = (_l("职业技能等级"), _l("人数"))  # the cells' labels, as the template's _(): unescaped


def skill_rows(per_level: dict) -> dict[str, Markup]:
    """`grid`: the <li>s of the phone's grid, `table`: the table's <tr>s, one per skill level in rank
    order, each linking to the workers of that level and showing how many there are (`per_level`: rank
    -> count; a level missing counts 0)."""
    esc, number = text_escape, current_app.jinja_env.filters["number"]
    l_level, l_people = map(str, _CELL_LABELS)
    level_url = url_pattern("workers.index", "level")
    grid, table = [], []
    for step in SKILL_LEVELS:
        href, label, count = esc(level_url % step.rank), esc(step.label), esc(number(per_level.get(step.rank, 0)))
        grid.append(f'<li><a href="{href}"><span>{label}</span> <span class="fw-semibold">{count}</span></a></li>')
        table.append(f'<tr><td data-label="{l_level}"><a href="{href}">{label}</a></td>'
                     f'<td data-label="{l_people}" class="text-end">{count}</td></tr>')
    return {"grid": Markup("".join(grid)), "table": Markup("".join(table))}
