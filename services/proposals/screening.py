"""Screening by the enterprise (企业审核) and the flags for possible duplicates.

Rules (docs/domain.md, "Vocabulary" (valid proposal) and "Five Small proposals": screening):
- HR of the proposal's own enterprise screens a submitted proposal: valid, returned for revision (with
  a note saying what to change) or rejected (with a reason from SCREENING_REASON_LABELS and a note).
  Notes are at most 2000 characters.
- A proposal is flagged as a possible duplicate when another proposal of the same enterprise and
  campaign (drafts and withdrawn ones aside) has a similar title (services.proposals.similar_titles).
"""

from __future__ import annotations

from core.l10n import lazy_gettext as _l
from models.proposals import REJECTED, RETURNED, SCREENING_REASON_LABELS, VALID, Proposal
from services.errors import RuleViolation
from services.proposals import events, similar_titles
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


def duplicate_flags(proposals) -> dict[int, list[tuple[int, str]]]:
    """For a page of proposals: proposal id -> [(id, title)] of the other proposals of the same
    enterprise and campaign with a similar title (only proposals with any; drafts and withdrawn ones are
    neither flagged nor flag another). The pairs are stored when proposals change
    (services.proposals.similar_titles): one indexed query, whatever the enterprise's size."""
    return similar_titles.flags_of(p.id for p in proposals)
