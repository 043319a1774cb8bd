"""A title round's page (admins, HR, town officers): the round, its nominations as cards, for the admin its
awards with their revoke forms, its notice and objections.

The page reads plain rows from kept statements (services.titles.round_page, awards.round_award_rows) and its
cards and award lines come built from them here, as templates/titles/round.html wrote them piece by piece
(a page of fifty cards, each ~40 pieces): labels translated once a page, values escaped as the template's
`{{ }}` (core.templating.text_escape), links from url_pattern, one CSRF field for every form, each
evidence summary kept per locale and snapshot (evidence_html).
"""

from __future__ import annotations

import json
from functools import partial

from flask import current_app, get_template_attribute, render_template, request
from flask_login import current_user
from markupsafe import Markup

from blueprints.access import roles_required
from blueprints.common import page_number
from blueprints.forms import PublishForm, ResolveForm, csrf_field_html
from blueprints.titles import bp
from core import l10n
from core.l10n import lazy_gettext as _l
from core.memo import keep
from core.templating import text_escape, url_pattern
from models import Role
from models.skills import level
from models.titles import (
    AWARD_FINAL,
    AWARD_REVOKED,
    NOMINATION_APPROVED,
    NOMINATION_REJECTED,
    NOMINATION_STATUS_LABELS,
    NOMINATION_SUBMITTED,
    ROUND_CLOSED,
    ROUND_NOTICE,
    ROUND_OPEN,
    nomination_status_label,
)
from models.vocabulary import TRADE_LABELS, prize_label, reference_label
from services import policy
from services.common import notices
from services.common.rows import label_texts
from services.titles import awards, round_page, rounds
from services.titles import policy as titles_policy

EVIDENCE_KEPT = 4096  # evidence summaries' HTML kept per process (then started afresh)
_evidence_html: dict[tuple, Markup] = {}


def evidence_html(evidence: str, labels: dict, locale: str | None = None) -> Markup:
    """The evidence summary of a nomination snapshot (its JSON text, as stored) as
    templates/titles/_evidence.html's evidence_summary renders it with a page's `labels` (translated in the
    reader's locale, `locale` its name when the caller knows it). A snapshot's summary is the same for every
    reader of one locale, so its HTML is kept per process by the locale and the snapshot's text (up to
    EVIDENCE_KEPT, then started afresh): a round's page shows fifty cards, and the macro costs ~150 calls a
    card."""
    key = (locale or str(l10n.reader_locale()), evidence)
    found = _evidence_html.get(key)
    if found is None:
        found = keep(_evidence_html, key, get_template_attribute("titles/_evidence.html", "evidence_summary")(
            json.loads(evidence), labels), EVIDENCE_KEPT)
    return found


def _level_or_dash(rank):
    """A skill level as the templates' skill_label shows it (the level, or — for none)."""
    return level(rank) or "—"


# The cards' and award lines' labels (the template's words), translated once a page.
_EVIDENCE_LABELS = {"skill": _l("技能等级"), "years": _l("工种年限"), "year": _l("年"), "competition": _l("竞赛"),
                    "proposals": _l("五小创新"), "pairs": _l("带徒"), "training": _l("培训"), "colon": _l("："),
                    "sep": _l("；"), "open": _l("（"), "close": _l("）")}
_CARD_LABELS = {"approve": _l("通过"), "reject": _l("不通过"), "note": _l("理由（不通过时必填）"), "reason": _l("理由"),
                "save": _l("保存评审意见"), "award": _l("授予称号"), "certificate": _l("证书"), "why": _l("撤销理由"),
                "sure": _l("确定撤销这个称号吗？"), "revoke": _l("撤销"), "none": _l("还没有推荐。"),
                "no_awards": _l("尚未授予。"), "l_no": _l("证书编号"), "l_name": _l("姓名"), "l_ent": _l("企业"),
                "l_status": _l("状态")}


_TRANSLATED: dict[tuple, dict] = {}  # (which labels, the request's catalog) -> their texts; a catalog per locale


def _texts(name: str, labels: dict) -> dict:
    """`labels` (named `name`) translated in the reader's language, as the template's `_()` gives them (a
    translation is trusted text); kept per catalog (one per locale per process), so translated once."""
    key = (name, l10n.request_catalog())
    found = _TRANSLATED.get(key)
    if found is None:
        found = keep(_TRANSLATED, key, {code: Markup(str(label)) for code, label in labels.items()}, 64)
    return found


@bp.route("/rounds/<int:round_id>")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def round_detail(round_id: int):
    """A round's page: its nominations as cards (services.titles.round_page.round_cards), for the admin its
    awards (awards.round_award_rows); the admin's forms built only where the page shows them."""
    actor = current_user._get_current_object()
    title_round = round_page.round_facts(round_id)
    sort = request.args.get("sort", "evidence")
    pagination = round_page.round_cards(actor, round_id, sort, page_number(),
                                        current_app.config["LONG_PAGE_SIZE"])  # tens; counted with them
    admin = policy.is_admin(actor)
    resolving = admin and title_round.status == ROUND_NOTICE  # the objections are listed only then
    t = _texts("card", _CARD_LABELS)
    csrf = csrf_field_html()
    reviewing = admin and title_round.status in (ROUND_OPEN, ROUND_CLOSED)
    return render_template(
        "titles/round.html", title_round=title_round, pagination=pagination, sort=sort, notice=title_round.notice,
        accepts=rounds.accepts_nominations(title_round) and titles_policy.can_nominate(actor),
        publish_form=PublishForm() if reviewing else None,
        resolve_form=ResolveForm() if resolving else None,
        objections=notices.objections_of(title_round.notice) if resolving else [],
        admin=admin, csrf=csrf, cards=_cards(title_round, pagination.items, t, csrf, reviewing=reviewing),
        award_lines=_award_lines(awards.round_award_rows(title_round), t, csrf) if admin else "",
    )


def _cards(title_round, rows, t: dict, csrf: str, *, reviewing: bool) -> Markup:
    """The nominations' cards of a page of round_page rows, as round.html wrote them (see the module)."""
    if not rows:
        return Markup(f'\n  <p class="text-muted">{t["none"]}</p>\n')
    esc = text_escape
    texts = label_texts()  # a trade's, level's and prize's text once a page
    ev_labels = {**_texts("evidence", _EVIDENCE_LABELS), "level_text": partial(texts, _level_or_dash),
                 "prize_text": partial(texts, prize_label)}
    locale = str(l10n.reader_locale())
    status_labels = {status: str(nomination_status_label(status, title_round.status))
                     for status in NOMINATION_STATUS_LABELS}
    trade_label = partial(reference_label, TRADE_LABELS)
    detail_url = url_pattern("titles.nomination_detail", "nomination_id")
    review_url = url_pattern("titles.nomination_review", "nomination_id")
    award_url = url_pattern("titles.nomination_award", "nomination_id")
    out = []
    for nomination_id, status, citation, note, evidence, worker, enterprise, trade, _total in rows:
        footer = ""
        if reviewing:
            review = award = ""
            if status in (NOMINATION_SUBMITTED, NOMINATION_APPROVED, NOMINATION_REJECTED):
                review = (
                    f'\n        <form method="post" action="{review_url % nomination_id}" class="mb-2">\n'
                    f'          {csrf}\n          <div class="d-flex flex-wrap gap-2 align-items-center">\n'
                    f'            <label class="small"><input type="radio" name="decision" value="approve"'
                    f'{" checked" if status == NOMINATION_APPROVED else ""}> {t["approve"]}</label>\n'
                    f'            <label class="small"><input type="radio" name="decision" value="reject"'
                    f'{" checked" if status == NOMINATION_REJECTED else ""}> {t["reject"]}</label>\n'
                    f'            <input class="form-control form-control-sm" name="note" placeholder="{t["note"]}" '
                    f'value="{esc(note or "")}" aria-label="{t["reason"]}">\n'
                    f'            <button class="btn btn-sm btn-outline-primary" type="submit">{t["save"]}</button>\n'
                    f'          </div>\n        </form>\n        ')
            if status == NOMINATION_APPROVED:
                award = (f'\n        <form method="post" action="{award_url % nomination_id}">\n          {csrf}\n'
                         f'          <button class="btn btn-sm btn-success" type="submit">{t["award"]}</button>\n'
                         f'        </form>\n        ')
            footer = f'\n      <div class="card-footer">\n        {review}\n        {award}\n      </div>\n      '
        out.append(
            f'\n  <div class="col-md-6 col-xl-4">\n    <div class="card h-100">\n      <div class="card-body">\n'
            f'        <h2 class="h6 card-title"><a href="{detail_url % nomination_id}">{esc(worker)}</a> '
            f'<span class="badge text-bg-light border">{esc(status_labels.get(status, status))}</span></h2>\n'
            f'        <p class="small text-muted mb-2">{esc(enterprise or "")} · '
            f'{esc(texts(trade_label, trade))}</p>\n'
            f'        {evidence_html(evidence, ev_labels, locale)}\n'
            f'        <p class="small mt-2 mb-0 text-truncate-3">{esc(citation)}</p>\n      </div>\n      {footer}\n'
            f'    </div>\n  </div>\n')
    return Markup("".join(out))


def _award_lines(rows, t: dict, csrf: str) -> Markup:
    """The admin's award lines (<tr>s of awards.round_award_rows), as round.html wrote them."""
    if not rows:
        return Markup(f'<tr><td colspan="5" class="text-muted">{t["no_awards"]}</td></tr>')
    esc = text_escape
    certificate_url = url_pattern("titles.award_certificate", "award_id")
    revoke_url = url_pattern("titles.award_revoke", "award_id")
    status_texts: dict = {}  # an award's status label once per status (its round's stage is the page's)
    out = []
    for a in rows:
        status = status_texts.get(a.status)
        if status is None:
            status = status_texts[a.status] = esc(a.status_label)
        reason = f'<br><span class="small text-muted">{esc(a.revoked_reason)}</span>' if a.revoked_reason else ""
        action = ""
        if a.status != AWARD_REVOKED:
            link = (f'<a class="small" href="{certificate_url % a.id}">{t["certificate"]}</a>'
                    if a.status == AWARD_FINAL else "")
            action = (f'\n        {link}\n        <form method="post" action="{revoke_url % a.id}" '
                      f'class="d-flex gap-1 mt-1">\n          {csrf}\n          <input class="form-control '
                      f'form-control-sm" name="reason" placeholder="{t["why"]}" aria-label="{t["why"]}" required '
                      f'minlength="4">\n          <button class="btn btn-sm btn-outline-danger text-nowrap" '
                      f'type="submit" data-confirm="{t["sure"]}">{t["revoke"]}</button>\n        </form>')
        out.append(
            f'\n      <tr><td data-label="{t["l_no"]}" class="font-monospace small">{esc(a.certificate_no)}</td>'
            f'<td data-label="{t["l_name"]}">{esc(a.worker_name)}</td><td data-label="{t["l_ent"]}" '
            f'class="d-none d-md-table-cell">{esc(a.enterprise_name)}</td><td data-label="{t["l_status"]}">'
            f'{status}{reason}</td>\n      <td class="cell-action">{action}</td></tr>\n    ')
    return Markup("".join(out))
