"""The list of workers' table rows built in Python (workers/index.html): twenty rows of eight cells, which
the template wrote piece by piece. Here the cells' labels are translated once a page, the link comes from
one pattern (url_pattern), a trade's name is translated once per trade, and values are escaped as the
template's `{{ }}` (core.templating.text_escape); the badges are the template's own, rendered once."""

from __future__ import annotations

from markupsafe import Markup

from core.l10n import lazy_gettext as _l
from core.templating import text_escape, url_pattern
from models.vocabulary import TRADE_LABELS, reference_label

# the cells' labels (as the template's _(): a label's text unescaped), each translated once a page
_CELL_LABELS = (_l("姓名"), _l("工号"), _l("手机号"), _l("工种"), _l("职业技能等级"), _l("企业"), _l("开通"),
                _l("状态"))


def worker_rows(rows, with_enterprise, activation_badges, active_badges, skill_texts: dict) -> Markup:
    """The <tr>s of `rows` (services.accounts.people.WorkerRow): name (a link to the person), employee
    number, phone, trade, skill level (`skill_texts`: rank -> text), the enterprise when
    `with_enterprise`, and the badges: `activation_badges` (activated, not yet) and `active_badges`
    (active, deactivated) as the template rendered them."""
    esc = text_escape
    l_name, l_no, l_phone, l_trade, l_level, l_enterprise, l_activated, l_status = map(str, _CELL_LABELS)
    show_url = url_pattern("workers.show", "user_id")
    activated, not_activated = activation_badges
    active, inactive = active_badges
    trades: dict = {}  # a trade's name -> its label's text, translated once a page
    out = []
    for w in rows:
        trade = trades.get(w.trade_name)
        if trade is None:
            trade = trades[w.trade_name] = esc(reference_label(TRADE_LABELS, w.trade_name))
        enterprise = (f'<td data-label="{l_enterprise}">{esc(w.enterprise_name or "")}</td>'
                      if with_enterprise else "")
        out.append(
            f'\n  <tr><td data-label="{l_name}"><a href="{show_url % w.id}">{esc(w.name)}</a></td>'
            f'<td data-label="{l_no}">{esc(w.employee_no or "")}</td><td data-label="{l_phone}" '
            f'class="d-none d-md-table-cell">{esc(w.phone or "")}</td><td data-label="{l_trade}" '
            f'class="d-none d-sm-table-cell">{trade}</td><td data-label="{l_level}">'
            f'{esc(skill_texts.get(w.skill_level, ""))}</td>{enterprise}<td data-label="{l_activated}">'
            f'{activated if w.activated_at else not_activated}</td><td data-label="{l_status}" '
            f'class="d-none d-md-table-cell">{active if w.is_active else inactive}</td></tr>\n  ')
    return Markup("".join(out))
