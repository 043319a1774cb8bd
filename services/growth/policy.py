"""Who may see a worker's growth record (成长档案).

The worker themself, HR of the worker's enterprise and union admins (docs/domain.md, "Who uses it");
anyone else gets 404. It is the accounts domain's rule for seeing a person's records.
"""

from __future__ import annotations

from models import User
from services.accounts import policy as accounts_policy


def can_view(actor, worker: User) -> bool:
    """The worker themself, or a manager whose scope holds the worker's enterprise."""
    return accounts_policy.can_view_worker(actor, worker)
