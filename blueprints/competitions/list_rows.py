"""The competition list's repeated parts built in Python (competitions/index.html): the worker's open
competitions' cards and the list's table rows, as the template wrote them piece by piece. A page shows
20 rows and up to 50 cards; here each label is translated and escaped once a page, each link
comes from one pattern (url_pattern) and each value is escaped as the template's `{{ }}`
(core.templating.text_escape: a lazy label as markupsafe takes it), dates by the templates' filters."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from blueprints.page_parts import PageMemo
from core.templating import text_escape, url_pattern

# each status's badge colour (competitions/_macros.html status_badge and registration_badge)
_STATUS_COLOURS = {"draft": "secondary", "open": "success", "scoring": "warning", "signed_off": "info",
                   "noticed": "primary", "final": "dark"}
_ENTRY_COLOURS = {"confirmed": "success", "waitlisted": "warning", "withdrawn": "secondary", "rejected": "danger",
                  "passed_over": "secondary"}


def listed_rows(items) -> Markup:
    """The list's <tr>s for ListedCompetitions (services.competitions.catalogue): name and link, level,
    trade, date, seats, status badge."""
    esc, day = text_escape, current_app.jinja_env.filters["date"]
    l_name, l_level, l_trade, l_date, l_seats, l_status = (_("竞赛"), _("级别"), _("工种"), _("比赛日期"), _("名额"),
                                                           _("状态"))
    show_url = url_pattern("competitions.show", "competition_id")
    levels, trades, statuses = {}, {}, {}  # a label's text by the code it depends on, once a page
    out = []
    for c in items:
        level, trade, status = levels.get(c.level), trades.get(c.trade_name), statuses.get(c.status)
        if level is None:
            level = levels[c.level] = esc(c.level_label)
        if trade is None:
            trade = trades[c.trade_name] = esc(c.trade_label)
        if status is None:
            status = statuses[c.status] = esc(c.status_label)
        out.append(
            f'\n  <tr><td data-label="{l_name}"><a href="{show_url % c.id}">{esc(c.name)}</a><div class="small '
            f'text-muted d-md-none">{level} · {trade}</div></td><td data-label="{l_level}" class="d-none '
            f'd-md-table-cell">{level}</td><td data-label="{l_trade}" class="d-none d-md-table-cell">{trade}</td>'
            f'<td data-label="{l_date}" class="d-none d-sm-table-cell">{esc(day(c.held_on))}</td><td data-label='
            f'"{l_seats}" class="text-end d-none d-md-table-cell">{c.seats_taken}/{c.capacity}</td><td data-label='
            f'"{l_status}">\n\n<span class="badge text-bg-{_STATUS_COLOURS.get(c.status, "light")}">'
            f'{status}</span>\n</td></tr>\n  ')
    return Markup("".join(out))


def open_cards(rows) -> Markup:
    """The worker's open competitions' cards for OpenCompetitions (services.competitions.eligibility
    open_for_worker): name and link, level, trade, date, registration window, seats, and the worker's entry,
    why they may not enter, or whether they may."""
    esc, filters = text_escape, current_app.jinja_env.filters
    day = filters["date"]
    when = PageMemo(lambda value: esc(filters["datetime"](value)))  # the window's ends: most cards share one
    l_date, l_window = _("比赛日期"), _("报名")
    l_unfit, l_team = _("不符合报名条件"), _("团体赛，由企业组队报名")
    l_full, l_may = _("名额已满，可报候补"), _("可以报名")
    show_url = url_pattern("competitions.show", "competition_id")
    out = []
    for row in rows:
        c, entry = row.competition, row.registration
        if entry:
            badge = (f'\n\n<span class="badge text-bg-{_ENTRY_COLOURS.get(entry.status, "light")}" data-testid='
                     f'"registration-status">{esc(entry.status_label)}</span>\n\n          ')
        elif row.problems:
            badge = f'<span class="badge text-bg-secondary">{l_unfit}</span>\n          '
        elif c.is_team:
            badge = f'<span class="badge text-bg-info">{l_team}</span>\n          '
        elif c.seats_taken >= c.capacity:
            badge = f'<span class="badge text-bg-warning" data-testid="full-waitlist">{l_full}</span>\n          '
        else:
            badge = f'<span class="badge text-bg-success">{l_may}</span>'
        problems = (f'\n      <ul class="small text-danger mb-0 mt-2" data-testid="ineligible-reasons">'
                    f'{"".join([f"<li>{esc(p)}</li>" for p in row.problems])}</ul>\n      ' if row.problems else "")
        seats = _("名额 %(t)d/%(c)d", t=c.seats_taken, c=c.capacity)
        out.append(
            f'\n  \n  <div class="card mb-2" data-testid="open-competition">\n    <div class="card-body">\n      '
            f'<div class="d-flex flex-wrap justify-content-between gap-2">\n        <div>\n          '
            f'<a class="fw-bold tap" href="{show_url % c.id}">{esc(c.name)}</a>\n          <div class="text-muted '
            f'small">{esc(c.level_label)} · {esc(c.trade.label)} · {l_date} {esc(day(c.held_on))} · {l_window} \n'
            f'{when[c.registration_opens_at]} – {when[c.registration_closes_at]}\n · '
            f'{seats}</div>\n        </div>\n        <div>\n'
            f'          {badge}\n        </div>\n      </div>\n      {problems}\n    </div>\n  </div>\n  ')
    return Markup("".join(out))

