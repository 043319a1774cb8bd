"""The proposal list's table rows built in Python (proposals/list.html): a page shows 50 rows of up to 9
cells, which the template wrote piece by piece. Here each cell's label is translated once a page, links
come from one pattern (url_pattern) and values are escaped as the template's `{{ }}`
(core.templating.text_escape), amounts by the templates' `number` filter."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from core.templating import text_escape, url_pattern

# each status's badge colour (proposals/_macros.html status_colours)
STATUS_COLOURS = {"draft": "secondary", "submitted": "info", "returned": "warning", "rejected": "danger",
                  "withdrawn": "secondary", "valid": "primary", "under_review": "primary", "scored": "success",
                  "awarded": "success", "adopted": "success", "implemented": "success"}


def proposal_rows(items, flags: dict, *, manager: bool, enterprise: bool, verified: dict | None) -> Markup:
    """The list's <tr>s for ListedProposals (services.proposals.listing): title and link (with the
    suspected duplicates' flag, `flags`: id -> [(other id, other title)]), kind, campaign, for a manager the
    proposer (and with the enterprise filter the enterprise), estimated savings, the verified amount
    (`verified`: id -> amount, when the list shows it), status badge, rank and prize."""
    esc, number = text_escape, current_app.jinja_env.filters["number"]
    l_title, l_kind, l_campaign, l_proposer, l_enterprise = _("标题"), _("类别"), _("活动"), _("提案人"), _("企业")
    l_savings, l_status, l_result, l_yuan = _("预计年节约额"), _("状态"), _("结果"), _("元")
    l_verified, l_duplicate, l_separator = _("核实年节约额"), _("疑似重复"), _("；")
    show_url = url_pattern("proposals.show", "proposal_id")
    title_class, status_class = (' class="cell-primary"', "") if manager else ("", ' class="cell-primary"')

    def money(value) -> str:  # proposals/_macros.html money
        return f"{esc(number(value))} {l_yuan}" if value is not None else "—"

    out = []
    for p in items:
        flagged = flags.get(p.id)
        flag = (f'<br><span class="badge text-bg-warning" data-testid="duplicate-flag" title="'
                f'{l_separator.join([esc(title) for _other, title in flagged])}">{l_duplicate}</span>\n      '
                f'<span class="small text-muted">'
                f'{"".join([f"""<a href="{show_url % other}">#{other}</a> """ for other, _title in flagged[:3]])}'
                f'</span>' if flagged else "")
        people = ""
        if manager:
            people = f'<td data-label="{l_proposer}">{esc(p.proposer_name)}</td>'
            if enterprise:
                people += f'<td data-label="{l_enterprise}" class="small">{esc(p.enterprise_name)}</td>'
        checked = (f'<td data-label="{l_verified}" class="text-end" data-testid="verified-amount">'
                   f'{money(verified.get(p.id))}</td>' if verified is not None else "")
        result = ""
        if p.rank:
            place = _("第 %(n)d 名", n=p.rank)
            result = (f'{place} \n<span class="badge text-bg-warning">{esc(p.prize_label)}</span>\n'
                      if p.prize_label else f"{place} ")
        out.append(
            f'\n  <tr>\n    <td data-label="{l_title}"{title_class}><a href="{show_url % p.id}">{esc(p.title)}</a>'
            f'\n      {flag}\n    </td>\n    <td data-label="{l_kind}">{esc(p.kind_label)}</td><td data-label='
            f'"{l_campaign}" class="small">{esc(p.campaign_name)}</td>\n    {people}\n    \n    <td data-label='
            f'"{l_savings}" class="text-end">{money(p.estimated_savings)}</td>\n    {checked}\n    <td data-label='
            f'"{l_status}"{status_class}>\n<span class="badge text-bg-{STATUS_COLOURS.get(p.status, "light")}" '
            f'data-testid="status">{esc(p.status_label)}</span>\n</td>\n    <td data-label="{l_result}">{result}'
            f'</td>\n  </tr>\n  ')
    return Markup("".join(out))
