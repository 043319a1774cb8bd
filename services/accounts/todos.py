"""What accounts put on HR's to-do list (services.messages.todos): the enterprise's people who have not
activated their account yet (one indexed count), linking to the workers list filtered to them, where
HR prints their activation slips.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from services.accounts.activation import not_activated_query
from services.messages.inbox import link_to
from services.messages.todos import ENTERPRISE, Tally, Todo, enterprise_counter


@enterprise_counter("accounts.not_activated")
def not_activated_todos(enterprise_id: int) -> list[Tally]:
    """HR: active people of the enterprise whose account is not activated yet."""
    return [Tally(("accounts.not_activated",), lambda: not_activated_query(ENTERPRISE),
                  {"enterprise_id": enterprise_id},
                  lambda count: [Todo(_l("尚未开通账号的人员"), count or 0, link_to("workers.index", activated="no"))])]
