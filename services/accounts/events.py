"""Messages about people changing employer (services.messages): one function per event, called inside
the service that makes the change (same transaction).

- person_left(person, enterprise_id, ended): the enterprise's HR, with what the leave ended
  (mentor pairs, competition entries, nominations);
- transfer_started(transfer): the person (to confirm) and, when asked, the old enterprise's HR (to
  confirm the leave date or answer "still employed here");
- transfer_stopped(transfer): the new enterprise's HR and the person;
- transfer_completed(transfer): the new enterprise's HR, the old one's and the person.
"""

from __future__ import annotations

from sqlalchemy import select

from models import Enterprise, Role, Transfer, User, UserRole, db
from services.common.i18n import deferred
from services.messages import inbox


def hr_of(enterprise_id: int | None) -> list[int]:
    """The active HR accounts of an enterprise (none for None)."""
    if enterprise_id is None:
        return []
    return list(db.session.scalars(select(User.id).join(UserRole, UserRole.user_id == User.id).where(
        User.enterprise_id == enterprise_id, UserRole.role == Role.HR.value, User.is_active.is_(True))))


def _transfer_link(transfer: Transfer) -> dict:
    return inbox.link_to("workers.transfer_show", transfer_id=transfer.id)


def person_left(person: User, enterprise_id: int, ended: list[str]) -> None:
    """The old enterprise's HR: the person's leave took effect and what it ended."""
    body = deferred("已结束：师徒结对 %(pairs)d 个，竞赛报名退出 %(entries)d 项，称号推荐撤回 %(nominations)d 项，"
                    "本企业活动评委 %(panels)d 个（未打分的评审任务已取消，请另行分配）。",
                    pairs=ended.count("pair"), entries=ended.count("registration"),
                    nominations=ended.count("nomination"), panels=ended.count("panel"))
    inbox.notify(hr_of(enterprise_id), "account.left", deferred("%(name)s 已离职。", name=person.name), body=body)


def transfer_started(transfer: Transfer, *, ask_old: bool) -> None:
    """The person confirms in their account; the old enterprise's HR answers when `ask_old`."""
    to_name = db.session.get(Enterprise, transfer.to_enterprise_id).name
    inbox.notify([transfer.user_id], "account.transfer",
                 deferred("%(enterprise)s 申请将您调入本企业，请确认。", enterprise=to_name),
                 link=inbox.link_to("auth.transfers_mine"))
    if ask_old:
        person = db.session.get(User, transfer.user_id)
        inbox.notify(hr_of(transfer.from_enterprise_id), "account.transfer",
                     deferred("%(enterprise)s 申请调入 %(name)s，请确认其离职日期，或答复仍在本企业任职。",
                              enterprise=to_name, name=person.name),
                     link=_transfer_link(transfer))


def transfer_answered_by_person(transfer: Transfer) -> None:
    """The person confirmed or declined: the message that asked them (transfer_started) is read."""
    inbox.settle(transfer.user_id, "account.transfer", inbox.link_to("auth.transfers_mine"))


def transfer_declined(transfer: Transfer, *, tell_old: bool) -> None:
    """The person declined: the new enterprise's HR is told (and the old one's, when it was asked)."""
    person = db.session.get(User, transfer.user_id)
    subject = deferred("%(name)s 拒绝了调入申请，调入已终止。", name=person.name)
    old_hr = hr_of(transfer.from_enterprise_id) if tell_old else []
    for hr in old_hr:  # their question (answer the transfer) has no object any more
        inbox.settle(hr, "account.transfer", _transfer_link(transfer))
    recipients = hr_of(transfer.to_enterprise_id) + old_hr
    inbox.notify(recipients, "account.transfer", subject, link=_transfer_link(transfer))


def transfer_stopped(transfer: Transfer) -> None:
    """The old enterprise answered "still employed here": the new HR and the person are told."""
    subject = deferred("原企业答复 %(name)s 仍在职，调入申请已终止。", name=transfer.person.name)
    inbox.notify(hr_of(transfer.to_enterprise_id) + [transfer.user_id], "account.transfer", subject,
                 link=_transfer_link(transfer))


def transfer_completed(transfer: Transfer) -> None:
    """Everyone concerned: the person now works at the new enterprise."""
    subject = deferred("%(name)s 已调入 %(enterprise)s。", name=transfer.person.name,
                       enterprise=transfer.to_enterprise.name)
    inbox.notify(hr_of(transfer.to_enterprise_id) + hr_of(transfer.from_enterprise_id), "account.transfer",
                 subject, link=_transfer_link(transfer))
    inbox.notify([transfer.user_id], "account.transfer", subject, link=inbox.link_to("auth.profile"))
