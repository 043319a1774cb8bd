"""What public notices (公示) put on their owners' to-do lists (services.messages.todos): per open notice,
its objections to resolve, its end within 2 working days, or, once it ended, the result to confirm.
Each owner sees the notices of the subjects it owns and resolves (services.common.notices.owned_condition:
the union administrators the city's, a town's officers their town's events, an enterprise's HR its own
events). One query over the open notices (a handful at a time) with their pending objections counted.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import bindparam, func, select

from core import clock
from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import db
from models.notices import NOTICE_OPEN, OBJECTION_PENDING, Objection, PublicNotice
from services import policy
from services.common import notices, workdays
from services.messages.inbox import link_to
from services.messages.todos import Todo, city_counter, enterprise_counter, town_counter

ENDING_WITHIN_WORKING_DAYS = 2


def ending_cutoff() -> datetime:
    """Notices ending at or before this moment end within ENDING_WITHIN_WORKING_DAYS working days."""
    last_day, _provisional = workdays.add_working_days(clock.today(), ENDING_WITHIN_WORKING_DAYS)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)


@city_counter("notices")
def notice_todos() -> list[Todo]:
    """The union administrators: the city's open notices (`owner_notice_todos`)."""
    return owner_notice_todos(policy.CITY)


@town_counter("notices")
def town_notice_todos(town_id: int) -> list[Todo]:
    """A town's officers: the open notices of the events their town owns (`owner_notice_todos`)."""
    return owner_notice_todos(policy.TOWN, town_id)


@enterprise_counter("notices")
def enterprise_notice_todos(enterprise_id: int) -> list[Todo]:
    """An enterprise's HR: the open notices of the enterprise's own events (`owner_notice_todos`)."""
    return owner_notice_todos(policy.ENTERPRISE, enterprise_id)


def owner_notice_todos(level: str, owner_id: int | None = None) -> list[Todo]:
    """Per open notice of the owner (`level`, `owner_id`): pending objections (urgent), else its end
    within 2 working days, else (ended) the result to confirm; linked to the page where its owner does
    that. One kept statement of plain rows per owner level and set of registered subjects."""
    stmt = shared_statement(("owner-notices", level, notices.owned_condition_key()),
                            lambda: _owner_notices(level))
    now, cutoff = clock.now(), None
    items = []
    for notice in db.session.execute(stmt, {"notice_owner_id": owner_id}):
        subject = notices.subject_of(notice)
        if subject is None:
            continue
        endpoint, values = subject.back_to(notice.subject_id, owner=True)
        link = link_to(endpoint, **values)
        last_day = (notice.ends_at - timedelta(days=1)).astimezone(clock.SHANGHAI).date()
        if notice.objections:
            items.append(Todo(_l("“%(title)s”待处理的异议", title=notice.title), notice.objections, link,
                              deadline=last_day, urgent=True))
        elif notice.ends_at <= now:
            items.append(Todo(_l("“%(title)s”公示期满，待确认结果", title=notice.title), 1, link, urgent=True))
        elif notice.ends_at <= (cutoff := cutoff or ending_cutoff()):  # the calendar read only when needed
            items.append(Todo(_l("“%(title)s”公示即将结束", title=notice.title), 1, link, deadline=last_day))
    return items


def _owner_notices(level: str):
    """The open notices of the owner `level` whose id is the bind parameter `notice_owner_id`, by end,
    with their pending objections counted (`objections`)."""
    pending = (select(func.count(Objection.id)).where(Objection.notice_id == PublicNotice.id,
                                                      Objection.status == OBJECTION_PENDING)
               .correlate(PublicNotice).scalar_subquery())
    owner = None if level == policy.CITY else bindparam("notice_owner_id")
    return (select(PublicNotice.id, PublicNotice.subject_type, PublicNotice.subject_id, PublicNotice.title,
                   PublicNotice.ends_at, pending.label("objections"))
            .where(PublicNotice.status == NOTICE_OPEN, notices.owned_condition(level, owner))
            .order_by(PublicNotice.ends_at))
