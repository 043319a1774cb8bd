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
from services.proposals import events
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
    events.screened(proposal)
    return proposal


def _normal_title(title: str) -> str:
    return re.sub(r"[\W_]+", "", (title or "").lower())


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _title_key(title: str) -> tuple[str, frozenset[str]]:
    """A title as compared: normalised, and its character bigrams."""
    normal = _normal_title(title)
    return normal, frozenset(_bigrams(normal)) if normal else frozenset()


def _keys_similar(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]], threshold: float) -> bool:
    (na, ga), (nb, gb) = a, b
    if not na or not nb:
        return False
    if na == nb or (len(na) >= 4 and (na in nb or nb in na)):
        return True
    smaller, larger = sorted((len(ga), len(gb)))
    if smaller < threshold * larger:  # the Jaccard similarity is at most smaller / larger
        return False
    shared = len(ga & gb)
    return shared / (len(ga) + len(gb) - shared) >= threshold


def titles_similar(a: str, b: str, threshold: float = 0.6) -> bool:
    """Similar titles: equal after normalising (lower case, punctuation and spaces dropped), one
    containing the other (4+ characters), or character-bigram Jaccard similarity >= threshold."""
    return _keys_similar(_title_key(a), _title_key(b), threshold)


def duplicate_flags(proposals) -> dict[int, list[tuple[int, str]]]:
    """For a page of proposals: proposal id -> [(id, title)] of the other proposals of the same
    enterprise and campaign with a similar title (only proposals with any).

    One query for the whole page (every non-draft, non-withdrawn proposal of the page's
    (enterprise, campaign) pairs), each title normalised once, then compared in one pass.
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
        by_pair.setdefault((row.enterprise_id, row.campaign_id), []).append((row, _title_key(row.title)))
    flags = {}
    for p in proposals:
        key = _title_key(p.title)
        similar = [(r.id, r.title) for r, other in by_pair.get((p.enterprise_id, p.campaign_id), [])
                   if r.id != p.id and _keys_similar(key, other, 0.6)]
        if similar:
            flags[p.id] = similar
    return flags
