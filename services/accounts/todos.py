"""What accounts put on to-do lists (services.messages.todos): for HR, the enterprise's people who have not
activated their account yet (one indexed count), linking to the workers list filtered to them, where
HR prints their activation slips, and other enterprises' transfer requests for its people waiting for
its answer; for a person, the transfers (调入) waiting for their consent (services.accounts.transfers).
"""

from __future__ import annotations

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import Transfer
from models.employment import TRANSFER_PENDING
from services.accounts.activation import not_activated_query
from services.messages.inbox import link_to
from services.messages.todos import ENTERPRISE, PERSON, Tally, Todo, enterprise_counter, person_params, todo_provider


@todo_provider("accounts.transfer")
def person_todos(person) -> list[Tally]:
    """The person: transfers waiting for their consent."""
    return [Tally(("accounts.transfer",),
                  lambda: select(func.count(Transfer.id)).where(Transfer.user_id == PERSON,
                                                                Transfer.status == TRANSFER_PENDING,
                                                                Transfer.person_confirmed_at.is_(None)),
                  person_params(person),
                  lambda count: [Todo(_l("待确认的调入申请"), count or 0, link_to("auth.transfers_mine"),
                                      urgent=True)])]


@enterprise_counter("accounts.transfers_out")
def answer_todos(enterprise_id: int) -> list[Tally]:
    """HR: other enterprises' transfer requests for its people, waiting for its answer."""

    def make(count, due) -> list[Todo]:
        day = due.astimezone(clock.SHANGHAI).date() if due else None
        return [Todo(_l("待答复的调出确认"), count or 0, link_to("workers.transfers_list"), deadline=day)]

    return [Tally(("accounts.transfers_out",),
                  lambda: select(func.count(Transfer.id), func.min(Transfer.answer_due_at)).where(
                      Transfer.from_enterprise_id == ENTERPRISE, Transfer.status == TRANSFER_PENDING,
                      Transfer.answer.is_(None)), {"enterprise_id": enterprise_id}, make)]


@enterprise_counter("accounts.not_activated")
def not_activated_todos(enterprise_id: int) -> list[Tally]:
    """HR: active people of the enterprise whose account is not activated yet."""
    return [Tally(("accounts.not_activated",), lambda: not_activated_query(ENTERPRISE),
                  {"enterprise_id": enterprise_id},
                  lambda count: [Todo(_l("尚未开通账号的人员"), count or 0, link_to("workers.index", activated="no"))])]
