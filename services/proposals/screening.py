"""Screening by the enterprise (企业审核) and the flags for possible duplicates.

Rules (docs/domain.md, "Vocabulary" (valid proposal) and "Five Small proposals": screening):
- HR of the proposal's own enterprise screens a submitted proposal: valid, returned for revision (with
  a note saying what to change) or rejected (with a reason from SCREENING_REASON_LABELS and a note).
  Notes are at most 2000 characters.
- A proposal is flagged as a possible duplicate when another proposal of the same enterprise and
  campaign (drafts and withdrawn ones aside) has a similar title (titles_similar).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from models import db
from models.proposals import DRAFT, REJECTED, RETURNED, SCREENING_REASON_LABELS, VALID, WITHDRAWN, Proposal
from services.errors import RuleViolation
from services.proposals import policy as proposals_policy
from services.proposals.lifecycle import transition

# The screening form's decisions and the status each leads to.
DECISIONS = {"valid": VALID, "return": RETURNED, "reject": REJECTED}
MAX_NOTE = 2000


def screen_proposal(actor, proposal: Proposal, decision: str, reason: str | None, note: str | None) -> Proposal:
    """HR of the proposal's enterprise decides: `decision` is a key of DECISIONS, `reason` a key of
    SCREENING_REASON_LABELS (rejections only), `note` free text (see the module rules).

    NotFound for anyone but that HR; RuleViolation on the form field for a missing decision, reason or
    note, or from a status TRANSITIONS does not allow (submitted proposals only).
    """
    proposals_policy.require_screener(actor, proposal)
    target = DECISIONS.get(decision)
    if target is None:
        raise RuleViolation(_l("请选择审核结论。"), field="decision")
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise RuleViolation(_l("说明不能超过 2000 字。"), field="note")
    if target == RETURNED and not note:
        raise RuleViolation(_l("退回修改时请写明需要修改的地方。"), field="note")
    if target == REJECTED:
        if reason not in SCREENING_REASON_LABELS:
            raise RuleViolation(_l("不通过时请选择原因。"), field="reason")
        if not note:
            raise RuleViolation(_l("不通过时请填写说明。"), field="note")
    else:
        reason = None
    transition(proposal, target, actor, "hr", reason=reason, note=note)
    proposal.screening_reason = reason
    proposal.screening_note = note
    return proposal


def _normal_title(title: str) -> str:
    return re.sub(r"[\W_]+", "", (title or "").lower())


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def titles_similar(a: str, b: str, threshold: float = 0.6) -> bool:
    """Similar titles: equal after normalising (lower case, punctuation and spaces dropped), one
    containing the other (4+ characters), or character-bigram Jaccard similarity >= threshold."""
    na, nb = _normal_title(a), _normal_title(b)
    if not na or not nb:
        return False
    if na == nb or (len(na) >= 4 and (na in nb or nb in na)):
        return True
    ga, gb = _bigrams(na), _bigrams(nb)
    return len(ga & gb) / len(ga | gb) >= threshold


def duplicate_flags(proposals) -> dict[int, list[tuple[int, str]]]:
    """For a page of proposals: proposal id -> [(id, title)] of the other proposals of the same
    enterprise and campaign with a similar title (only proposals with any).

    One query for the whole page (every non-draft, non-withdrawn proposal of the page's
    (enterprise, campaign) pairs), then compared in one pass.
    """
    proposals = list(proposals)
    pairs = {(p.enterprise_id, p.campaign_id) for p in proposals}
    if not pairs:
        return {}
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.enterprise_id, Proposal.campaign_id).where(
            or_(*(and_(Proposal.enterprise_id == e, Proposal.campaign_id == c) for e, c in pairs)),
            Proposal.status.not_in((DRAFT, WITHDRAWN)),
        )
    ).all()
    by_pair: dict[tuple[int, int], list] = {}
    for row in rows:
        by_pair.setdefault((row.enterprise_id, row.campaign_id), []).append(row)
    flags = {}
    for p in proposals:
        similar = [(r.id, r.title) for r in by_pair.get((p.enterprise_id, p.campaign_id), [])
                   if r.id != p.id and titles_similar(p.title, r.title)]
        if similar:
            flags[p.id] = similar
    return flags
