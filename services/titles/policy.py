"""Who may do what with craftsman titles (per-object rules; role checks of whole views are in
blueprints.access, the union's tree in services.policy).

- Nominating: HR (for workers of their own enterprise) and union admins (anyone); docs/domain.md,
  "Titles": "Nominations come from enterprise HR or the union".
- A title's certificate: its holder, HR of the enterprise it was awarded in, union admins.
Reviewing, awarding, publishing and revoking are the union admin's (services.policy.require_admin).
"""

from __future__ import annotations

from models.titles import AWARD_NOTICE, TitleAward
from services import policy


def can_nominate(actor) -> bool:
    """HR of an enterprise or a union administrator."""
    return policy.is_hr(actor) or policy.is_admin(actor)


def can_see_award_certificate(user, granted: TitleAward) -> bool:
    """The holder, union admins, and HR whose scope holds the enterprise the title was awarded in; no
    certificate exists before the award is final (拟授予 and 公示中 have none)."""
    if granted.status == AWARD_NOTICE:
        return False
    if policy.is_admin(user) or user.id == granted.worker_id:
        return True
    return policy.in_scope(user, granted.enterprise_id, at=granted.created_at)
